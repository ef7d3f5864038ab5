using Cog.Language.Values;

namespace Cog.Runtime.Triggers;

/// <summary>One HTTP request to a trigger (<c>POST /v1/triggers/:id</c>), already read by the web layer.</summary>
/// <param name="TriggerKey">The trigger's id or name, from the URL.</param>
/// <param name="Headers">Request headers: lower-case names; a repeated header is a list of its values.</param>
/// <param name="QueryParams">The decoded query string.</param>
/// <param name="Body">The parsed body (<c>{}</c> when empty).</param>
/// <param name="RawBody">The body as received.</param>
/// <param name="TokenUserId">The user an <c>Authorization: token</c> header authenticated, or <see langword="null"/>.</param>
public sealed record TriggerInvocation(string TriggerKey, ObjectValue Headers, ObjectValue QueryParams, Value Body, string RawBody, string? TokenUserId);

/// <summary>The answer to a trigger request (reference §8.1).</summary>
/// <param name="StatusCode">The HTTP status: 200, 202, 204, 400, 401 (the web layer answers with its authentication
/// challenge), 404, 422 or 500.</param>
/// <param name="Body">The JSON body, or <see langword="null"/> (204, 401).</param>
/// <param name="PipelineId">The pipeline started (also the request id), when one was.</param>
public sealed record TriggerResponse(int StatusCode, Value? Body, string? PipelineId);

/// <summary>Settings of <see cref="TriggerInvoker"/>.</summary>
public sealed class TriggerInvokerOptions
{
    /// <summary>Reference §8.3 <c>COG_TRIGGER_TIMEOUT_BUFFER</c>: the request waits the trigger's timeout less this
    /// (never less than zero) before answering 202. Default 2 s.</summary>
    public TimeSpan TimeoutBuffer { get; set; } = TimeSpan.FromSeconds(2);
}
