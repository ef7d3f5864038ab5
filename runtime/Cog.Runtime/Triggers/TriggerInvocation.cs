using Cog.Language.Values;

namespace Cog.Runtime.Triggers;

/// <summary>One HTTP request to a trigger (<c>POST /v1/triggers/:id</c>), already read by the web layer.</summary>
/// <param name="TriggerKey">The trigger's id or name, from the URL. The id needs no token (it is the capability, as in
/// Cog 1.0); a name is not a secret, so it needs <paramref name="TokenUserId"/>.</param>
/// <param name="Headers">Request headers: lower-case names; a repeated header is a list of its values.</param>
/// <param name="QueryParams">The decoded query string.</param>
/// <param name="Body">The parsed body (<c>{}</c> when empty).</param>
/// <param name="RawBody">The body as received.</param>
/// <param name="TokenUserId">The user an <c>Authorization: token</c> header authenticated, or <see langword="null"/>.</param>
public sealed record TriggerInvocation(string TriggerKey, ObjectValue Headers, ObjectValue QueryParams, Value Body, string RawBody, string? TokenUserId)
{
    /// <summary>Whether the token's user holds <see cref="TriggerInvoker.ManageTriggersPermission"/> (may invoke by name
    /// a trigger that runs as someone else).</summary>
    public bool TokenUserManagesTriggers { get; init; }

    /// <summary>Why the request is cross-origin — a page of another site made a browser send it (e.g.
    /// <c>Origin: http://evil.example</c>) — or <see langword="null"/>: same origin, or not from a browser.</summary>
    public string? CrossOrigin { get; init; }

    /// <summary>Whether the web layer could not read the body (it holds that answer: 400, 413, 415). The invoker answers
    /// <see cref="TriggerResponse.BodyUnreadable"/> once the request is admitted: refusals of the caller come first,
    /// whatever the body.</summary>
    public bool BodyUnreadable { get; init; }
}

/// <summary>The answer to a trigger request.</summary>
/// <param name="StatusCode">The HTTP status: 200, 202, 204, 400, 401, 403, 404, 422 or 500.</param>
/// <param name="Body">The JSON body, or <see langword="null"/> (204; a 401 without a body is the web layer's
/// authentication challenge).</param>
/// <param name="PipelineId">The pipeline started (also the request id), when one was.</param>
public sealed record TriggerResponse(int StatusCode, Value? Body, string? PipelineId)
{
    /// <summary>Why the caller was refused (a 401 or 403 the audit log records as a denial), or <see langword="null"/>.</summary>
    public TriggerDenial? Denial { get; init; }

    /// <summary>The request is admitted but its body could not be read (<see cref="TriggerInvocation.BodyUnreadable"/>):
    /// the web layer answers with its own refusal of the body. Compare by reference.</summary>
    public static TriggerResponse BodyUnreadable { get; } = new(400, null, null);
}

/// <summary>A refused trigger request, as the audit log records it.</summary>
/// <param name="Reason">What was refused, e.g. <c>a cross-origin request (Origin: http://evil.example)</c>.</param>
/// <param name="Permission">The permission the caller lacks, if that is the reason.</param>
public sealed record TriggerDenial(string Reason, string? Permission = null);

/// <summary>Settings of <see cref="TriggerInvoker"/>.</summary>
public sealed class TriggerInvokerOptions
{
    /// <summary>Cog 1.0 <c>COG_TRIGGER_TIMEOUT_BUFFER</c>: the request waits the trigger's timeout less this
    /// (never less than zero) before answering 202. Default 2 s.</summary>
    public TimeSpan TimeoutBuffer { get; set; } = TimeSpan.FromSeconds(2);
}
