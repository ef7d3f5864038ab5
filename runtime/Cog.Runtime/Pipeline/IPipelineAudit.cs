using Cog.Contracts.Relays;
using Cog.Language.Resolution;
using Cog.Language.Rules;

namespace Cog.Runtime.Pipeline;

/// <summary>Where the pipeline engine records what happens, for the audit log.</summary>
/// <remarks>Contract: when <see cref="RecordAsync"/> returns, every event given is durable, in the order given. The
/// engine hands over what happened since its last record together with a decision, and awaits that before it dispatches
/// the invocation, so nothing runs unrecorded; it records the rest with the pipeline's end before the outcome goes
/// back. When recording fails (throws), the engine stops the pipeline and runs nothing more. Implementations write one
/// call's events in one write, and may share a write between concurrent calls (group commit). Thread-safe.
/// <para>Once a pipeline's start is recorded, what follows it (a dispatched command's completion, the pipeline's end)
/// records something that already happened: the engine records it with <see cref="RecordOrSpoolAsync"/>, which keeps it
/// durably aside when the store is unavailable and writes it, in order, when the store is back. The engine dispatches
/// nothing more after a spooled record.</para></remarks>
public interface IPipelineAudit
{
    /// <summary>Records <paramref name="events"/> durably in the audit log, in order; throws when it cannot.</summary>
    ValueTask RecordAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken);

    /// <summary>Records <paramref name="events"/> durably, in order: in the audit log, or — when the store is unavailable
    /// — in the spool, to be written to the audit log when it is back. Returns whether they are pending
    /// (<see langword="true"/>: spooled); throws when neither worked.</summary>
    ValueTask<bool> RecordOrSpoolAsync(IReadOnlyList<PipelineEvent> events, CancellationToken cancellationToken);
}

/// <summary>Something that happened in a pipeline.</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="At">When (server clock).</param>
public abstract record PipelineEvent(string PipelineId, DateTimeOffset At);

/// <summary>A pipeline was accepted for running.</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="At">When.</param>
/// <param name="Caller">Who runs it.</param>
/// <param name="Room">Where.</param>
/// <param name="Text">The text as the user wrote it.</param>
public sealed record PipelineStarted(string PipelineId, DateTimeOffset At, PipelineCaller Caller, PipelineRoom Room, string Text)
    : PipelineEvent(PipelineId, At);

/// <summary>The access rules decided one invocation (recorded before it is dispatched; also for refusals).</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="At">When.</param>
/// <param name="Caller">Who runs it.</param>
/// <param name="Room">Where.</param>
/// <param name="Stage">The stage's index.</param>
/// <param name="InvocationText">The bound invocation, e.g. <c>deploy:release web-7 --env=prod</c>.</param>
/// <param name="Outcome">Allowed, denied, no rule, or evaluation failed (refused).</param>
/// <param name="DecidingRule">The text of the rule that decided, if one did.</param>
/// <param name="Missing">The permissions the caller lacks (denied only).</param>
/// <param name="Preview">Whether this decision was taken before anything ran (whole-pipeline authorization).</param>
/// <param name="Aliases">The aliases the invoked command came from, the one the caller wrote first (a user alias is the
/// caller's own); empty when the caller named the command.</param>
/// <param name="Reason">Why the deciding rule could not be evaluated (evaluation failed only).</param>
public sealed record InvocationDecided(
    string PipelineId,
    DateTimeOffset At,
    PipelineCaller Caller,
    PipelineRoom Room,
    int Stage,
    string InvocationText,
    RuleOutcome Outcome,
    string? DecidingRule,
    IReadOnlyList<string> Missing,
    bool Preview,
    IReadOnlyList<AliasExpansion> Aliases,
    string? Reason = null) : PipelineEvent(PipelineId, At);

/// <summary>An invocation ended.</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="At">When.</param>
/// <param name="Stage">The stage's index.</param>
/// <param name="InvocationText">The bound invocation.</param>
/// <param name="RelayId">The relay that ran it (<see langword="null"/> for built-in commands).</param>
/// <param name="Status">How it ended.</param>
/// <param name="Message">The error or abort message, if any.</param>
/// <param name="Duration">How long it took, as the server saw it.</param>
public sealed record InvocationCompleted(
    string PipelineId,
    DateTimeOffset At,
    int Stage,
    string InvocationText,
    string? RelayId,
    ResultStatus Status,
    string? Message,
    TimeSpan Duration) : PipelineEvent(PipelineId, At);

/// <summary>A pipeline ended.</summary>
/// <param name="PipelineId">The pipeline's id.</param>
/// <param name="At">When.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Message">The error or abort message, if any.</param>
/// <param name="Duration">How long it ran.</param>
public sealed record PipelineEnded(string PipelineId, DateTimeOffset At, PipelineStatus Status, string? Message, TimeSpan Duration)
    : PipelineEvent(PipelineId, At);

/// <summary>A pipeline was explained (<see cref="IPipelineRunner.ExplainAsync"/>): planned and authorized for its caller
/// without running anything.</summary>
/// <param name="PipelineId">The explanation's own id (nothing ran under it).</param>
/// <param name="At">When.</param>
/// <param name="Caller">Who it was explained for.</param>
/// <param name="Room">Where it was asked.</param>
/// <param name="Text">The pipeline text.</param>
/// <param name="Decision">The verdict.</param>
/// <param name="Message">The text the caller would get when running it (refusal or error), if any.</param>
/// <param name="Stages">Each stage's decision and deciding rule.</param>
/// <param name="RequestedBy">The username that asked, when not <paramref name="Caller"/> (an operator explaining for
/// another user): the record's actor.</param>
public sealed record PipelineExplained(
    string PipelineId,
    DateTimeOffset At,
    PipelineCaller Caller,
    PipelineRoom Room,
    string Text,
    ExplanationDecision Decision,
    string? Message,
    IReadOnlyList<StageExplanation> Stages,
    string? RequestedBy = null) : PipelineEvent(PipelineId, At);
