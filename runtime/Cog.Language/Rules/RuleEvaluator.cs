using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Cog.Language.Options;
using Cog.Language.Values;

namespace Cog.Language.Rules;

/// <summary>Decides whether a user may run one invocation, given the rules of its command (Cog 1.0's semantics, with
/// the additions of docs/language.md).</summary>
/// <remarks>
/// <para>Every rule whose <c>with</c> condition holds (or that has none) matches. Its dynamic score is the number of
/// distinct inputs (argument positions, option names) that satisfied at least one comparison; <c>and</c>/<c>or</c>
/// evaluate both sides. Matching rules are ordered by score, highest first, an allowing rule before a denying one at
/// equal score, then by their order in the list; the first decides. When no rule matches, the invocation is refused.</para>
/// <para>Fails closed: if evaluating any rule throws (a regex match, an unexpected tree), the decision is
/// <see cref="RuleOutcome.EvaluationFailed"/> with that rule and the reason, and the invocation is refused.</para>
/// <para>Pure and thread-safe; it allocates only the returned decision (and its message when refused).</para>
/// </remarks>
public static class RuleEvaluator
{
    /// <summary>Evaluates the rules that apply to one invocation.</summary>
    /// <param name="invocationText">The invocation as shown in messages, e.g. <c>foo:bar delete</c>.</param>
    /// <param name="rules">The enabled rules of the invoked command.</param>
    /// <param name="userPermissions">The user's permissions, fully qualified (<c>bundle:name</c>).</param>
    /// <param name="input">The bound positional arguments and options of the invocation.</param>
    public static RuleDecision Evaluate(string invocationText, IReadOnlyList<RuleSyntax> rules, IReadOnlySet<string> userPermissions, CommandInput input)
    {
        ArgumentNullException.ThrowIfNull(invocationText);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(userPermissions);
        ArgumentNullException.ThrowIfNull(input);

        RuleSyntax? best = null;
        var bestScore = -1;
        var bestAllowed = false;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            int score;
            bool? allowed;
            try
            {
                (score, allowed) = Decide(rule, userPermissions, input, best is null ? null : (bestScore, bestAllowed));
            }
#pragma warning disable CA1031 // Fail closed: whatever stops a rule from being evaluated denies the invocation.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var reason = Reason(e);
                return new RuleDecision(RuleOutcome.EvaluationFailed, rule, [], RuleErrors.EvaluationFailed(invocationText, rule.Text, reason)) { Reason = reason };
            }
            // At equal score an allowing rule beats a denying one; otherwise the earlier rule stays.
            if (allowed is { } isAllowed && (best is null || score > bestScore || isAllowed))
            {
                best = rule;
                bestScore = score;
                bestAllowed = isAllowed;
            }
        }

        if (best is null)
        {
            return new RuleDecision(RuleOutcome.NoRule, null, [], RuleErrors.NoMatchingRule(invocationText));
        }
        if (bestAllowed)
        {
            return new RuleDecision(RuleOutcome.Allowed, best, [], null);
        }
        var referenced = best.Permissions.Sort(StringComparer.Ordinal);
        var missing = ImmutableArray.CreateBuilder<string>();
        foreach (var permission in referenced)
        {
            if (!userPermissions.Contains(permission))
            {
                missing.Add(permission);
            }
        }
        return new RuleDecision(RuleOutcome.Denied, best, missing.ToImmutable(), RuleErrors.NotAllowed(invocationText, referenced));
    }

    /// <summary>One rule: its dynamic score and whether it allows, or <see langword="null"/> when it does not match or
    /// cannot beat <paramref name="best"/> (a lower score, or an equal score against an allowing rule).</summary>
    static (int Score, bool? Allowed) Decide(RuleSyntax rule, IReadOnlySet<string> userPermissions, CommandInput input, (int Score, bool Allowed)? best)
    {
        var score = 0;
        if (rule.Condition is not null)
        {
            var matches = default(InputMatches);
            if (!Holds(rule.Condition, input, ref matches))
            {
                return (0, null);
            }
            score = matches.Count;
        }
        if (best is { } b && (score < b.Score || (score == b.Score && b.Allowed)))
        {
            return (score, null);
        }
        return (score, rule.Requirement is null || Holds(rule.Requirement, userPermissions));
    }

    /// <summary>What stopped a rule from being evaluated, for the denial and the audit record.</summary>
    static string Reason(Exception e) => e switch
    {
        RegexMatchTimeoutException timeout => $"matching the regular expression /{timeout.Pattern}/ timed out",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    // ---- permission phase ----

    static bool Holds(PermissionExpression expression, IReadOnlySet<string> permissions)
    {
        switch (expression)
        {
            case PermissionTerm term:
                return permissions.Contains(term.Permission.Name);
            case PermissionLogical logical:
                var left = Holds(logical.Left, permissions);
                return logical.Operator == LogicalOperator.And ? left && Holds(logical.Right, permissions) : left || Holds(logical.Right, permissions);
            case PermissionList list:
                var all = list.Quantifier == RuleQuantifier.All;
                foreach (var item in list.Items)
                {
                    // A regex element never matches a permission (as in Cog 1.0).
                    var held = item is PermissionName name && permissions.Contains(name.Name);
                    if (held != all)
                    {
                        return held;
                    }
                }
                return all;
            default:
                throw new InvalidOperationException($"Unknown permission expression {expression.GetType().Name}.");
        }
    }

    // ---- match phase ----

    static bool Holds(InputExpression expression, CommandInput input, ref InputMatches matches)
    {
        switch (expression)
        {
            case InputLogical logical:
                // No short-circuit: the dynamic score counts inputs matched on both sides.
                var left = Holds(logical.Left, input, ref matches);
                var right = Holds(logical.Right, input, ref matches);
                return logical.Operator == LogicalOperator.And ? left && right : left || right;
            case InputComparison comparison:
                return Test(comparison.Input, comparison, default, input, ref matches);
            case InputMembership membership:
                return Test(membership.Input, null, membership.Values, input, ref matches);
            default:
                throw new InvalidOperationException($"Unknown input expression {expression.GetType().Name}.");
        }
    }

    /// <summary>Tests a comparison (when <paramref name="comparison"/> is set) or a membership in <paramref name="list"/>
    /// against the referenced input(s), marking every input that satisfied it.</summary>
    static bool Test(InputReference reference, InputComparison? comparison, ImmutableArray<RuleValue> list, CommandInput input, ref InputMatches matches)
    {
        switch (reference)
        {
            case ArgumentReference argument:
            {
                var arguments = input.Arguments;
                var value = argument.Index < arguments.Length ? arguments[argument.Index] : null;
                var ok = comparison is not null ? Compare(value, comparison.Operator, comparison.Value) : IsMember(value, list);
                if (ok)
                {
                    matches.MarkArgument(argument.Index);
                }
                return ok;
            }
            case OptionReference { Quantifier: RuleQuantifier.None } option:
            {
                var value = input.Options.TryGetValue(option.Name, out var v) ? v : null;
                var ok = comparison is not null ? Compare(value, comparison.Operator, comparison.Value) : IsMember(value, list);
                if (ok)
                {
                    matches.MarkOption(option.Name);
                }
                return ok;
            }
            case OptionReference option:
            {
                // any/all option[name]: over the elements of a list option (a single value is a one-element list).
                var all = option.Quantifier == RuleQuantifier.All;
                if (!input.Options.TryGetValue(option.Name, out var value))
                {
                    return all && comparison is not null;
                }
                var items = value is ListValue l ? l.Items : default;
                var count = value is ListValue ? items.Length : 1;
                var satisfied = 0;
                for (var i = 0; i < count; i++)
                {
                    var item = value is ListValue ? items[i] : value;
                    if (comparison is not null ? Compare(item, comparison.Operator, comparison.Value) : IsMember(item, list))
                    {
                        satisfied++;
                    }
                }
                if (satisfied > 0)
                {
                    matches.MarkOption(option.Name);
                }
                return Aggregate(all, comparison is not null, count, satisfied);
            }
            case ArgumentsReference arguments:
            {
                var values = input.Arguments;
                var satisfied = 0;
                for (var i = 0; i < values.Length; i++)
                {
                    if (comparison is not null ? Compare(values[i], comparison.Operator, comparison.Value) : IsMember(values[i], list))
                    {
                        satisfied++;
                        matches.MarkArgument(i);
                    }
                }
                return Aggregate(arguments.Quantifier == RuleQuantifier.All, comparison is not null, values.Length, satisfied);
            }
            case OptionsReference options:
            {
                // R6: any/all option match over the option values, like the arg forms.
                var count = 0;
                var satisfied = 0;
                foreach (var pair in input.Options)
                {
                    count++;
                    if (comparison is not null ? Compare(pair.Value, comparison.Operator, comparison.Value) : IsMember(pair.Value, list))
                    {
                        satisfied++;
                        matches.MarkOption(pair.Key);
                    }
                }
                return Aggregate(options.Quantifier == RuleQuantifier.All, comparison is not null, count, satisfied);
            }
            default:
                throw new InvalidOperationException($"Unknown input reference {reference.GetType().Name}.");
        }
    }

    /// <summary><c>any</c>: at least one element satisfied. <c>all</c>: every element did; over no elements a
    /// comparison is vacuously true while <c>in</c> is false (Cog 1.0).</summary>
    static bool Aggregate(bool all, bool isComparison, int count, int satisfied) =>
        all ? (count == 0 ? isComparison : satisfied == count) : satisfied > 0;

    /// <summary>One comparison. Regex: unanchored match on strings only. <c>==</c>/<c>!=</c>: equality without
    /// coercion between types (integers and floats compare as numbers); a missing input is null, which equals nothing.
    /// Ordering: numbers with numbers, strings with strings (ordinal), booleans with booleans; anything else is false (R5).</summary>
    static bool Compare(Value? value, ComparisonOperator op, RuleValue right)
    {
        if (right is RegexValue regex)
        {
            if (value is not StringValue text || op is not (ComparisonOperator.Equal or ComparisonOperator.NotEqual))
            {
                return false;
            }
            var match = regex.Regex.IsMatch(text.Text);
            return op == ComparisonOperator.Equal ? match : !match;
        }
        var literal = ((LiteralValue)right).Value;
        switch (op)
        {
            case ComparisonOperator.Equal:
                return value is not null && AreEqual(value, literal);
            case ComparisonOperator.NotEqual:
                return value is null || !AreEqual(value, literal);
            default:
                if (value is null || !TryOrder(value, literal, out var order))
                {
                    return false;
                }
                return op switch
                {
                    ComparisonOperator.Less => order < 0,
                    ComparisonOperator.Greater => order > 0,
                    ComparisonOperator.GreaterOrEqual => order >= 0,
                    _ => order <= 0,
                };
        }
    }

    /// <summary><c>value in [...]</c>: equal to an element, or matched by a regex element (against the value's text
    /// form); a list value is a member when any of its elements is; null is never a member.</summary>
    static bool IsMember(Value? value, ImmutableArray<RuleValue> list)
    {
        switch (value)
        {
            case null:
            case NullValue:
                return false;
            case ListValue items:
                foreach (var item in items.Items)
                {
                    if (IsMember(item, list))
                    {
                        return true;
                    }
                }
                return false;
        }
        foreach (var element in list)
        {
            if (element is RegexValue regex)
            {
                if (regex.Regex.IsMatch(value is StringValue s ? s.Text : value.ToDisplayString()))
                {
                    return true;
                }
            }
            else if (AreEqual(value, ((LiteralValue)element).Value))
            {
                return true;
            }
        }
        return false;
    }

    static bool AreEqual(Value value, Value literal) => (value, literal) switch
    {
        (StringValue a, StringValue b) => string.Equals(a.Text, b.Text, StringComparison.Ordinal),
        (IntValue a, IntValue b) => a.Number == b.Number,
        (IntValue a, FloatValue b) => a.Number == b.Number,
        (FloatValue a, IntValue b) => a.Number == b.Number,
        (FloatValue a, FloatValue b) => a.Number == b.Number,
        (BoolValue a, BoolValue b) => a.Flag == b.Flag,
        _ => false,
    };

    static bool TryOrder(Value value, Value literal, out int order)
    {
        switch (value, literal)
        {
            case (IntValue a, IntValue b):
                order = a.Number.CompareTo(b.Number);
                return true;
            case (IntValue a, FloatValue b):
                return TryOrder(a.Number, b.Number, out order);
            case (FloatValue a, IntValue b):
                return TryOrder(a.Number, b.Number, out order);
            case (FloatValue a, FloatValue b):
                return TryOrder(a.Number, b.Number, out order);
            case (StringValue a, StringValue b):
                order = string.CompareOrdinal(a.Text, b.Text);
                return true;
            case (BoolValue a, BoolValue b):
                order = a.Flag.CompareTo(b.Flag);
                return true;
            default:
                order = 0;
                return false;
        }
    }

    /// <summary>Orders two numbers; NaN orders with nothing.</summary>
    static bool TryOrder(double a, double b, out int order)
    {
        order = a.CompareTo(b);
        return !double.IsNaN(a) && !double.IsNaN(b);
    }
}
