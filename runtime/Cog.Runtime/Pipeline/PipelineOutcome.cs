using System.Collections.Immutable;
using Cog.Language.Pipelines;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Runtime.Pipeline;

/// <summary>How a pipeline ended.</summary>
public enum PipelineStatus
{
    /// <summary>Every stage ran; the last produced output.</summary>
    Succeeded,

    /// <summary>A stage produced no items, so later stages did not run (Cog's "early exit").</summary>
    NoOutput,

    /// <summary>A command stopped the pipeline on purpose (<c>COGCMD_ACTION: abort</c>).</summary>
    Aborted,

    /// <summary>Nothing ran: the text did not parse or resolve, or a stage was refused before anything ran.</summary>
    PlanningFailed,

    /// <summary>A stage failed while running: a binding or option error, a refusal, or the command's own error.</summary>
    ExecutionFailed,
}

/// <summary>The result of running a pipeline, for rendering and routing.</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Items">The last stage's output items (Succeeded only).</param>
/// <param name="Template">The template named by the last item's response, if any (Succeeded or Aborted).</param>
/// <param name="Message">The error or abort message (failures and Aborted).</param>
/// <param name="Position">Where in the text a planning error is, when it has a position.</param>
/// <param name="FailedInvocation">The bound invocation text of the failing stage, when one failed.</param>
/// <param name="Redirect">Where the output goes (the last stage's redirect after alias expansion), or <see langword="null"/>
/// for the origin.</param>
public sealed record PipelineOutcome(
    string PipelineId,
    PipelineStatus Status,
    ImmutableArray<Value> Items,
    string? Template,
    string? Message,
    SourcePosition? Position,
    string? FailedInvocation,
    RedirectSyntax? Redirect)
{
    /// <summary>The command whose response named <see cref="Template"/> (the last stage's), so the template is looked up in
    /// the bundle version that produced the output; set when Succeeded or Aborted.</summary>
    public TemplateSource? TemplateSource { get; init; }

    /// <summary>Whether its audit records are in the audit log, pending in the spool, or could not be written.</summary>
    public PipelineAuditState Audit { get; init; }

    /// <summary>Whether the pipeline failed (planning or execution).</summary>
    public bool IsFailure => Status is PipelineStatus.PlanningFailed or PipelineStatus.ExecutionFailed;
}

/// <summary>The command that produced a pipeline's output, and so owns its templates.</summary>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="Version">The bundle version that ran.</param>
/// <param name="Command">The command's name (a command's default template is named after it).</param>
public sealed record TemplateSource(string Bundle, string Version, string Command);
