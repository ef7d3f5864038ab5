using System.Collections.Immutable;
using Cog.Language.Pipelines;
using Cog.Language.Values;

namespace Cog.Runtime.Pipeline;

/// <summary>Who runs a pipeline: a Cog user, seen through the chat handle (or API token, or trigger) they came with.</summary>
/// <param name="UserId">The Cog user's id.</param>
/// <param name="Username">The Cog username.</param>
/// <param name="ChatHandle">The chat handle the text came from; for the API and triggers, the username.</param>
/// <param name="Email">The user's email, if known.</param>
/// <param name="Provider">Where the text came from: a chat provider's name (<c>slack</c>, <c>web</c>), <c>http</c> or <c>trigger</c>.</param>
public sealed record PipelineCaller(string UserId, string Username, string ChatHandle, string? Email, string Provider);

/// <summary>Where a pipeline was started.</summary>
/// <param name="Name">The room's name without <c>#</c>; <c>direct</c> for direct messages, the API and triggers.</param>
/// <param name="IsDirect">Whether it is a direct conversation or a non-chat origin.</param>
public sealed record PipelineRoom(string Name, bool IsDirect)
{
    /// <summary>The room of direct messages, the API and triggers (Cog 1.0 names it <c>direct</c>).</summary>
    public static PipelineRoom Direct { get; } = new("direct", true);
}

/// <summary>One line of text to run as a pipeline.</summary>
/// <param name="Text">The pipeline text, after chat normalisation (prefix and mention removed).</param>
/// <param name="Caller">Who runs it; already looked up (an unknown chat user never gets this far).</param>
/// <param name="Room">Where it was started.</param>
public sealed record PipelineRequest(string Text, PipelineCaller Caller, PipelineRoom Room)
{
    /// <summary>The input of the first stage: one empty object for chat; a trigger's request body.</summary>
    public ImmutableArray<Value> InitialItems { get; init; } = [new ObjectValue([])];

    /// <summary>The pipeline's id; a new one is made when <see langword="null"/>.</summary>
    public string? PipelineId { get; init; }

    /// <summary>Who asked, when not <see cref="Caller"/>: an operator explaining a pipeline for another user
    /// (<see cref="IPipelineRunner.ExplainAsync"/>). Recorded as the audit record's actor.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The longest the whole pipeline may run, or <see langword="null"/> for the engine's default.</summary>
    public TimeSpan? Deadline { get; init; }

    /// <summary>Checks the pipeline's destinations once its text is resolved (aliases may add a redirect) and before
    /// anything runs; <see langword="null"/> accepts any redirect (the API, which answers in place).</summary>
    public IDestinationCheck? Destinations { get; init; }
}

/// <summary>Resolves a pipeline's redirect targets before anything runs. The origin (a chat
/// provider, a trigger) supplies one per request and keeps what it resolved for the delivery of the reply.</summary>
public interface IDestinationCheck
{
    /// <summary>Resolves <paramref name="redirect"/> (<see langword="null"/>: no redirect, the origin). Returns
    /// <see langword="null"/> when every target is usable, else the message that stops the pipeline ("No commands were
    /// executed because the following redirects are invalid: …").</summary>
    ValueTask<string?> CheckAsync(RedirectSyntax? redirect, CancellationToken cancellationToken);
}
