using System.Collections.Immutable;
using Cog.Language.Resolution;
using Cog.Language.Text;

namespace Cog.Runtime.Pipeline;

/// <summary>The verdict on a whole pipeline.</summary>
public enum ExplanationDecision
{
    /// <summary>Every stage that can be decided before running is allowed (stages with variables are decided as they run).</summary>
    Allowed,

    /// <summary>A stage is refused by a rule (the caller lacks a permission).</summary>
    Denied,

    /// <summary>A stage's command has no rule that matches the invocation.</summary>
    NoRule,

    /// <summary>A rule of a stage's command could not be evaluated, so the stage is refused (the message says which
    /// rule and why).</summary>
    EvaluationFailed,

    /// <summary>The text does not parse or resolve, or a stage cannot be bound (see the message).</summary>
    Error,
}

/// <summary>The decision on one stage.</summary>
public enum StageDecision
{
    /// <summary>A rule allows it.</summary>
    Allowed,

    /// <summary>A rule matches but the caller lacks its permissions.</summary>
    Denied,

    /// <summary>No rule matches the invocation.</summary>
    NoRule,

    /// <summary>A rule could not be evaluated, so the stage is refused (the message says which rule and why).</summary>
    EvaluationFailed,

    /// <summary>The stage's arguments refer to the previous stage's output; it is decided only when it runs.</summary>
    Deferred,

    /// <summary>Not decided: an earlier stage was refused, so the engine would stop before this one.</summary>
    NotReached,
}

/// <summary>One stage of an explanation.</summary>
/// <param name="Stage">1-based stage number.</param>
/// <param name="Command">The resolved command, <c>bundle:command</c>.</param>
/// <param name="Invocation">The invocation text (variables shown unbound for deferred stages).</param>
/// <param name="Decision">The decision.</param>
/// <param name="Rule">The text of the deciding rule, if one decided.</param>
/// <param name="Missing">The permissions the caller lacks (Denied).</param>
/// <param name="Message">The exact text the caller would get for this stage (Denied, NoRule), else <see langword="null"/>.</param>
/// <param name="Aliases">The aliases the stage's command came from, the one the caller wrote first; empty when the caller
/// named the command. A user alias is the caller's own.</param>
public sealed record StageExplanation(
    int Stage, string Command, string Invocation, StageDecision Decision, string? Rule, ImmutableArray<string> Missing, string? Message,
    ImmutableArray<AliasExpansion> Aliases);

/// <summary>What running a pipeline would decide, without running it ("can alice run this, and which
/// rule decides?").</summary>
/// <param name="Text">The pipeline text as given.</param>
/// <param name="Caller">Who it is explained for.</param>
/// <param name="Decision">The verdict.</param>
/// <param name="Message">The exact text the caller would get when running it (refusal or error), else <see langword="null"/>.</param>
/// <param name="Position">Where a parse or resolution error is.</param>
/// <param name="Stages">The stages after alias expansion, in order (empty when the text does not resolve).</param>
public sealed record PipelineExplanation(
    string Text, PipelineCaller Caller, ExplanationDecision Decision, string? Message, SourcePosition? Position, ImmutableArray<StageExplanation> Stages);
