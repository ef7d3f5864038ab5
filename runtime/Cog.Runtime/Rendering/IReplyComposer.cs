using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Rendering;

/// <summary>Turns a pipeline's outcome into a provider-neutral reply with the command's template: the
/// template named by the last item's response in the bundle version that produced it, else Cog's fallbacks (<c>text</c>,
/// <c>raw</c>), and Cog's common templates for errors, aborts and early exits.</summary>
/// <remarks>Thread-safe. Never throws for a bad template or odd data: a template that cannot be found or evaluated gives
/// Cog's <c>error-template-not-found</c> / <c>error-template-evaluation</c> reply, and if even that fails, a fixed text.</remarks>
public interface IReplyComposer
{
    /// <summary>The reply for <paramref name="outcome"/>.</summary>
    ValueTask<ReplyDocument> ComposeAsync(PipelineOutcome outcome, ReplyContext context, CancellationToken cancellationToken);

    /// <summary>One of Cog's common templates (<c>unregistered-user</c>, <c>self-registration-success</c>,
    /// <c>self-registration-failed</c>, <c>edited-command</c>…) applied to <paramref name="data"/>.</summary>
    ValueTask<ReplyDocument> ComposeCommonAsync(string template, Value data, CancellationToken cancellationToken);
}

/// <summary>What the common templates may show about the pipeline besides its outcome (Cog 1.0's error context).</summary>
/// <param name="PipelineText">The text the person wrote.</param>
/// <param name="Initiator">Who started it: <c>@handle</c> in chat, the username for the API and triggers.</param>
/// <param name="Started">When it started.</param>
public sealed record ReplyContext(string PipelineText, string Initiator, DateTimeOffset Started);
