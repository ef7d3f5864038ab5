using System.Collections.Immutable;

namespace Cog.Language.Rules;

/// <summary>What rule evaluation decided for one invocation.</summary>
public enum RuleOutcome
{
    /// <summary>The deciding rule allows the user to run the invocation.</summary>
    Allowed,

    /// <summary>The deciding rule requires permissions the user lacks.</summary>
    Denied,

    /// <summary>No rule of the command matched the invocation, so it may not run.</summary>
    NoRule,

    /// <summary>A rule could not be evaluated (something failed while matching it), so the invocation may not run:
    /// a rule decision never depends on a failure.</summary>
    EvaluationFailed,
}

/// <summary>The result of <see cref="RuleEvaluator.Evaluate"/>.</summary>
/// <param name="Outcome">Allowed, denied, or no matching rule.</param>
/// <param name="DecidingRule">The rule that decided (for <see cref="RuleOutcome.EvaluationFailed"/>, the rule that could
/// not be evaluated); <see langword="null"/> when no rule matched.</param>
/// <param name="Missing">The deciding rule's permissions the user lacks, sorted ordinally; empty when allowed or when no rule matched.</param>
/// <param name="Message">The message for the user (Cog 1.0 wording); <see langword="null"/> when allowed.</param>
public sealed record RuleDecision(RuleOutcome Outcome, RuleSyntax? DecidingRule, ImmutableArray<string> Missing, string? Message)
{
    /// <summary>Why <see cref="DecidingRule"/> could not be evaluated (<see cref="RuleOutcome.EvaluationFailed"/> only),
    /// e.g. <c>matching the regular expression /(a+)+$/ timed out</c>.</summary>
    public string? Reason { get; init; }

    /// <summary>The refusal of a command one of whose stored rules could not be loaded: with that rule missing, no
    /// decision can be trusted (<see cref="RuleOutcome.EvaluationFailed"/> without a deciding rule).</summary>
    /// <param name="invocationText">The invocation as shown in messages.</param>
    /// <param name="reason">Which rule and why, e.g. <c>stored rule 42 does not parse: ...</c>.</param>
    public static RuleDecision RuleNotLoaded(string invocationText, string reason) =>
        new(RuleOutcome.EvaluationFailed, null, [], RuleErrors.RuleNotLoaded(invocationText, reason)) { Reason = reason };

    /// <summary>Whether the invocation may run.</summary>
    public bool IsAllowed => Outcome == RuleOutcome.Allowed;

    /// <inheritdoc/>
    public bool Equals(RuleDecision? other) =>
        other is not null && Outcome == other.Outcome && Equals(DecidingRule, other.DecidingRule)
        && Missing.SequenceEqual(other.Missing) && Message == other.Message && Reason == other.Reason;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Outcome, DecidingRule, Missing.Length, Message);
}
