using System.Globalization;
using System.Text;
using Cog.Language.Pipelines;

namespace Cog.Language.Rules;

/// <summary>Prints rules in their canonical form, as rule listings show them.</summary>
/// <remarks>
/// The canonical form: single spaces between tokens; <c>bundle:name</c> without spaces around the colon; quotes
/// kept as written; aggregates as <c>arg</c>/<c>option</c> (never <c>args</c>/<c>options</c>); less-or-equal as
/// <c>=&lt;</c> (Cog's spelling; <c>&lt;=</c> is accepted when parsing); lists as <c>[a, b]</c>. Parentheses are
/// printed only where the tree needs them: around every nested <c>and</c>/<c>or</c> except the left operand of the
/// same operator (chains group from the left), so that parsing the printed text gives back the same tree.
/// </remarks>
public static class RulePrinter
{
    /// <summary>The canonical text of <paramref name="rule"/>.</summary>
    public static string Print(RuleSyntax rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var builder = new StringBuilder("when command is ");
        AppendQuoted(builder, rule.Command.ToString(), rule.CommandQuote);
        if (rule.Condition is not null)
        {
            builder.Append(" with ");
            Append(builder, rule.Condition);
        }
        if (rule.Requirement is null)
        {
            builder.Append(" allow");
        }
        else
        {
            builder.Append(" must have ");
            Append(builder, rule.Requirement);
        }
        return builder.ToString();
    }

    static void AppendQuoted(StringBuilder builder, string text, QuoteKind quote)
    {
        var mark = quote switch
        {
            QuoteKind.Double => "\"",
            QuoteKind.Single => "'",
            _ => "",
        };
        builder.Append(mark).Append(text).Append(mark);
    }

    static void Append(StringBuilder builder, InputExpression expression)
    {
        switch (expression)
        {
            case InputLogical logical:
                AppendOperand(builder, logical.Left, logical.Operator, isLeft: true);
                builder.Append(logical.Operator == LogicalOperator.And ? " and " : " or ");
                AppendOperand(builder, logical.Right, logical.Operator, isLeft: false);
                break;
            case InputComparison comparison:
                Append(builder, comparison.Input);
                builder.Append(' ').Append(Symbol(comparison.Operator)).Append(' ');
                Append(builder, comparison.Value);
                break;
            case InputMembership membership:
                Append(builder, membership.Input);
                builder.Append(" in [");
                for (var i = 0; i < membership.Values.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }
                    Append(builder, membership.Values[i]);
                }
                builder.Append(']');
                break;
            default:
                throw new InvalidOperationException($"Unknown input expression {expression.GetType().Name}.");
        }
    }

    static void AppendOperand(StringBuilder builder, InputExpression operand, LogicalOperator parent, bool isLeft)
    {
        var parenthesize = operand is InputLogical nested && !(isLeft && nested.Operator == parent);
        builder.Append(parenthesize ? "(" : "");
        Append(builder, operand);
        builder.Append(parenthesize ? ")" : "");
    }

    static void Append(StringBuilder builder, InputReference reference)
    {
        switch (reference)
        {
            case ArgumentReference argument:
                builder.Append("arg[").Append(argument.Index.ToString(CultureInfo.InvariantCulture)).Append(']');
                break;
            case ArgumentsReference arguments:
                builder.Append(Quantifier(arguments.Quantifier)).Append("arg");
                break;
            case OptionReference option:
                builder.Append(Quantifier(option.Quantifier)).Append("option[").Append(option.Name).Append(']');
                break;
            case OptionsReference options:
                builder.Append(Quantifier(options.Quantifier)).Append("option");
                break;
            default:
                throw new InvalidOperationException($"Unknown input reference {reference.GetType().Name}.");
        }
    }

    static string Quantifier(RuleQuantifier quantifier) => quantifier switch
    {
        RuleQuantifier.Any => "any ",
        RuleQuantifier.All => "all ",
        _ => "",
    };

    static void Append(StringBuilder builder, RuleValue value)
    {
        switch (value)
        {
            case LiteralValue literal:
                AppendQuoted(builder, literal.Text, literal.Quote);
                break;
            case RegexValue regex:
                builder.Append('/').Append(regex.Pattern).Append('/');
                break;
            default:
                throw new InvalidOperationException($"Unknown value {value.GetType().Name}.");
        }
    }

    static string Symbol(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "==",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.LessOrEqual => "=<",
        _ => throw new InvalidOperationException($"Unknown comparison operator {op}."),
    };

    static void Append(StringBuilder builder, PermissionExpression expression)
    {
        switch (expression)
        {
            case PermissionLogical logical:
                AppendOperand(builder, logical.Left, logical.Operator, isLeft: true);
                builder.Append(logical.Operator == LogicalOperator.And ? " and " : " or ");
                AppendOperand(builder, logical.Right, logical.Operator, isLeft: false);
                break;
            case PermissionTerm term:
                AppendQuoted(builder, term.Permission.Name, term.Permission.Quote);
                break;
            case PermissionList list:
                builder.Append(list.Quantifier == RuleQuantifier.All ? "all in [" : "any in [");
                for (var i = 0; i < list.Items.Length; i++)
                {
                    if (i > 0)
                    {
                        builder.Append(", ");
                    }
                    switch (list.Items[i])
                    {
                        case PermissionName name:
                            AppendQuoted(builder, name.Name, name.Quote);
                            break;
                        case PermissionPattern pattern:
                            builder.Append('/').Append(pattern.Pattern).Append('/');
                            break;
                        default:
                            throw new InvalidOperationException($"Unknown permission item {list.Items[i].GetType().Name}.");
                    }
                }
                builder.Append(']');
                break;
            default:
                throw new InvalidOperationException($"Unknown permission expression {expression.GetType().Name}.");
        }
    }

    static void AppendOperand(StringBuilder builder, PermissionExpression operand, LogicalOperator parent, bool isLeft)
    {
        var parenthesize = operand is PermissionLogical nested && !(isLeft && nested.Operator == parent);
        builder.Append(parenthesize ? "(" : "");
        Append(builder, operand);
        builder.Append(parenthesize ? ")" : "");
    }
}
