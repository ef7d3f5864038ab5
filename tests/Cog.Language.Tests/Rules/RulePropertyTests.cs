using System.Globalization;
using System.Text;
using Cog.Language.Pipelines;
using Cog.Language.Rules;
using Cog.Language.Text;
using Cog.Language.Values;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cog.Language.Tests.Rules;

public class RulePropertyTests
{
    [Property(Arbitrary = [typeof(RuleArbitraries)], MaxTest = 500)]
    public bool Printed_random_rules_parse_back_to_the_same_tree(RuleSyntax rule)
    {
        var parsed = RuleParser.Parse(rule.Text);
        return parsed.Succeeded && RuleShape.Of(parsed.Value) == RuleShape.Of(rule) && parsed.Value.Text == rule.Text;
    }

    [Property(Arbitrary = [typeof(RuleArbitraries)], MaxTest = 1000)]
    public bool Rule_like_text_never_throws_and_errors_point_into_the_text(RuleishText text) => ParsesOrPointsInto(text.Text);

    [Property(MaxTest = 500)]
    public bool Arbitrary_text_never_throws_and_errors_point_into_the_text(NonNull<string> text) => ParsesOrPointsInto(text.Get);

    static bool ParsesOrPointsInto(string text)
    {
        var result = RuleParser.Parse(text);
        if (result.Succeeded)
        {
            // Whatever parses prints canonically, and the canonical text is a fixed point.
            var again = RuleParser.Parse(result.Value.Text);
            return again.Succeeded && RuleShape.Of(again.Value) == RuleShape.Of(result.Value);
        }
        var position = result.Error.Position;
        return position.Offset >= 0 && position.Offset <= text.Length && position == SourcePosition.At(text, position.Offset)
            && RuleErrors.Format(result.Error).Length > 0;
    }
}

/// <summary>Text assembled from rule fragments, most of it almost valid.</summary>
public sealed record RuleishText(string Text)
{
    public override string ToString() => Text;
}

public static class RuleArbitraries
{
    static readonly string[] Names = ["foo", "s3", "site", "bundle-x", "a_b", "Zed9", "deploy", "x"];
    static readonly string[] Regexes = ["^prod", "a.*b", "a\\/b", "[0-9]+", "x|y", "\\d{2}"];
    static readonly string[] Quoted = ["hello world", "it\\'s", "a:b", "", "x\\\\y", "tab\there"];

    static readonly string[] Fragments =
    [
        "when", "command", "is", "foo", ":", "bar", "foo:bar", "with", "arg[0]", "arg[12]", "arg", "args", "any", "all", "option",
        "options", "[", "]", "(", ")", ",", "==", "!=", "<", "<=", "=<", ">", ">=", "=", "!", "in", "and", "or", "not", "must",
        "have", "allow", "'x'", "\"y:z\"", "'", "\"", "/", "/a/", "/(/", "12", "1.5", ".5", "-5", "123abc", ":smile:", "(wave)",
        "site:ops", "foo:read", " ", "\n", "\t", "\r\n", "é", "-", "\\", "true", "false", "WHEN", "99999999999999999999",
    ];

    public static Arbitrary<RuleishText> Text() =>
        Gen.Frequency(
            (3, Gen.Elements(Fragments).ListOf().Select(parts => string.Join(" ", parts))),
            (1, Gen.Elements(Fragments).ListOf().Select(parts => string.Concat(parts))),
            (2, Rule().Generator.SelectMany(rule => Gen.Choose(0, rule.Text.Length).Select(cut => rule.Text[..cut]))))
        .Select(text => new RuleishText(text))
        .ToArbitrary();

    public static Arbitrary<RuleSyntax> Rule() =>
        (from command in Command()
         from quote in Gen.Elements(QuoteKind.None, QuoteKind.Single, QuoteKind.Double)
         from condition in Gen.Sized(size => Input(Math.Min(size, 12))).OrNull()
         from requirement in Gen.Sized(size => Permission(Math.Min(size, 12))).OrNull()
         select new RuleSyntax(command, quote, default, condition, requirement, default))
        .ToArbitrary();

    static Gen<CommandReference> Command() =>
        from bundle in Gen.Elements(Names)
        from name in Gen.Elements([.. Names, ":shipit:"])
        select new CommandReference(bundle, name);

    static Gen<InputExpression> Input(int size) =>
        size <= 1
            ? InputTerm()
            : Gen.Frequency(
                (2, InputTerm()),
                (1, from op in Gen.Elements(LogicalOperator.And, LogicalOperator.Or)
                    from left in Input(size / 2)
                    from right in Input(size / 2)
                    select (InputExpression)new InputLogical(op, left, right, default)));

    static Gen<InputExpression> InputTerm() =>
        Gen.OneOf(
            from input in Reference()
            from op in Gen.Elements(Enum.GetValues<ComparisonOperator>())
            from value in Value()
            select (InputExpression)new InputComparison(input, op, value, default),
            from input in Reference()
            from values in Value().ListOf(4)
            select (InputExpression)new InputMembership(input, [.. values], default));

    static Gen<InputReference> Reference() =>
        Gen.OneOf(
            Gen.Choose(0, 20).Select(i => (InputReference)new ArgumentReference(i, default)),
            Gen.Elements(RuleQuantifier.Any, RuleQuantifier.All).Select(q => (InputReference)new ArgumentsReference(q, default)),
            from name in Gen.Elements([.. Names, "dry-run", "1x"])
            from q in Gen.Elements(Enum.GetValues<RuleQuantifier>())
            select (InputReference)new OptionReference(name, q, default),
            Gen.Elements(RuleQuantifier.Any, RuleQuantifier.All).Select(q => (InputReference)new OptionsReference(q, default)));

    static Gen<RuleValue> Value() =>
        Gen.OneOf(
            Gen.Choose(0, int.MaxValue).Select(n => Literal(new IntValue(n), n.ToString(CultureInfo.InvariantCulture))),
            from whole in Gen.Choose(0, 999)
            from fraction in Gen.Elements("0", "5", "25", "001", "50")
            let text = $"{whole}.{fraction}"
            select Literal(new FloatValue(double.Parse(text, CultureInfo.InvariantCulture)), text),
            Gen.Elements(true, false).Select(b => Literal(b ? BoolValue.True : BoolValue.False, b ? "true" : "false")),
            Gen.Elements([.. Names, "-5", "123abc", "_y", ":ok:"]).Select(s => Literal(new StringValue(s), s)),
            from text in Gen.Elements(Quoted)
            from quote in Gen.Elements(QuoteKind.Single, QuoteKind.Double)
            select (RuleValue)new LiteralValue(new StringValue(text), quote, text, default),
            Gen.Elements(Regexes).Select(p => (RuleValue)new RegexValue(p, default)));

    static RuleValue Literal(Value value, string text) => new LiteralValue(value, QuoteKind.None, text, default);

    static Gen<PermissionExpression> Permission(int size) =>
        size <= 1
            ? PermissionTerm()
            : Gen.Frequency(
                (2, PermissionTerm()),
                (1, from op in Gen.Elements(LogicalOperator.And, LogicalOperator.Or)
                    from left in Permission(size / 2)
                    from right in Permission(size / 2)
                    select (PermissionExpression)new PermissionLogical(op, left, right, default)));

    static Gen<PermissionName> PermissionName() =>
        from bundle in Gen.Elements(Names)
        from name in Gen.Elements(Names)
        from quote in Gen.Frequency((3, Gen.Constant(QuoteKind.None)), (1, Gen.Elements(QuoteKind.Single, QuoteKind.Double)))
        select new PermissionName($"{bundle}:{name}", quote, default);

    static Gen<PermissionExpression> PermissionTerm() =>
        Gen.OneOf(
            PermissionName().Select(p => (PermissionExpression)new PermissionTerm(p, default)),
            from q in Gen.Elements(RuleQuantifier.Any, RuleQuantifier.All)
            from items in Gen.OneOf(
                PermissionName().Select(p => (PermissionItem)p),
                Gen.Elements(Regexes).Select(r => (PermissionItem)new PermissionPattern(r, default))).ListOf(4)
            select (PermissionExpression)new PermissionList(q, [.. items], default));
}

/// <summary>A rule tree as text with every position left out, for comparing trees "ignoring positions".</summary>
static class RuleShape
{
    public static string Of(RuleSyntax rule)
    {
        var builder = new StringBuilder();
        builder.Append("(rule ").Append(rule.Command).Append(' ').Append(rule.CommandQuote).Append(' ');
        if (rule.Condition is null)
        {
            builder.Append("-");
        }
        else
        {
            Append(builder, rule.Condition);
        }
        builder.Append(' ');
        if (rule.Requirement is null)
        {
            builder.Append("allow");
        }
        else
        {
            Append(builder, rule.Requirement);
        }
        return builder.Append(')').ToString();
    }

    static void Append(StringBuilder builder, InputExpression expression)
    {
        switch (expression)
        {
            case InputLogical l:
                builder.Append('(').Append(l.Operator).Append(' ');
                Append(builder, l.Left);
                builder.Append(' ');
                Append(builder, l.Right);
                builder.Append(')');
                break;
            case InputComparison c:
                builder.Append("(cmp ").Append(Reference(c.Input)).Append(' ').Append(c.Operator).Append(' ').Append(Value(c.Value)).Append(')');
                break;
            case InputMembership m:
                builder.Append("(in ").Append(Reference(m.Input)).Append(" [").AppendJoin(", ", m.Values.Select(Value)).Append("])");
                break;
            default:
                throw new InvalidOperationException();
        }
    }

    static string Reference(InputReference reference) => reference switch
    {
        ArgumentReference a => $"arg[{a.Index}]",
        ArgumentsReference a => $"{a.Quantifier} arg",
        OptionReference o => $"{o.Quantifier} option[{o.Name}]",
        OptionsReference o => $"{o.Quantifier} option",
        _ => throw new InvalidOperationException(),
    };

    static string Value(RuleValue value) => value switch
    {
        LiteralValue l => $"{l.Value}/{l.Quote}/{l.Text}",
        RegexValue r => $"regex/{r.Pattern}",
        _ => throw new InvalidOperationException(),
    };

    static void Append(StringBuilder builder, PermissionExpression expression)
    {
        switch (expression)
        {
            case PermissionLogical l:
                builder.Append('(').Append(l.Operator).Append(' ');
                Append(builder, l.Left);
                builder.Append(' ');
                Append(builder, l.Right);
                builder.Append(')');
                break;
            case PermissionTerm t:
                builder.Append(Item(t.Permission));
                break;
            case PermissionList list:
                builder.Append('(').Append(list.Quantifier).Append(" [").AppendJoin(", ", list.Items.Select(Item)).Append("])");
                break;
            default:
                throw new InvalidOperationException();
        }
    }

    static string Item(PermissionItem item) => item switch
    {
        PermissionName n => $"{n.Name}/{n.Quote}",
        PermissionPattern p => $"regex/{p.Pattern}",
        _ => throw new InvalidOperationException(),
    };
}
