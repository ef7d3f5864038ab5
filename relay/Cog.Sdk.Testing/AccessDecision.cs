using Cog.Language.Rules;

namespace Cog.Sdk.Testing;

/// <summary>What the access rules decided for one invocation, as the audit log records it.</summary>
/// <param name="Stage">The stage's index in the pipeline, from 0.</param>
/// <param name="Invocation">The bound invocation the rules saw, e.g. <c>greeter:greet --shout world</c>.</param>
/// <param name="Outcome">Allowed, denied, no rule matched, or the rule could not be evaluated.</param>
/// <param name="Rule">The text of the rule that decided, or <see langword="null"/> when none did.</param>
/// <param name="Missing">The permissions the user lacks (denied only).</param>
/// <param name="BeforeAnythingRan">Whether the decision was taken before any command ran (stages without variables
/// are authorized up front, so a pipeline refused at its last stage runs nothing).</param>
/// <param name="Reason">Why the rule could not be evaluated, when it could not.</param>
public sealed record AccessDecision(
    int Stage,
    string Invocation,
    RuleOutcome Outcome,
    string? Rule,
    IReadOnlyList<string> Missing,
    bool BeforeAnythingRan,
    string? Reason)
{
    /// <summary>Whether the invocation was allowed to run.</summary>
    public bool IsAllowed => Outcome == RuleOutcome.Allowed;

    /// <inheritdoc/>
    public override string ToString() => Outcome switch
    {
        RuleOutcome.Allowed => $"{Invocation}: allowed by `{Rule}`",
        RuleOutcome.Denied => $"{Invocation}: denied by `{Rule}` (missing {string.Join(", ", Missing)})",
        RuleOutcome.NoRule => $"{Invocation}: no rule matches",
        _ => $"{Invocation}: {Outcome} {Reason}",
    };
}
