using Cog.Language.Pipelines;
using Cog.Language.Rules;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Tests.Rules;

public class RuleSyntaxTests
{
    static RuleSyntax Parse(string text) => RuleParser.Parse(text).Value;

    [Theory]
    [InlineData("when command is foo:bar allow", 0)]
    [InlineData("when command is foo:bar with arg[0] == 1 allow", 1)]
    [InlineData("when command is foo:bar with arg[0] == 1 or arg[0] == 2 allow", 1)]
    [InlineData("when command is foo:bar with arg[0] == 1 and arg[1] == 2 allow", 2)]
    [InlineData("when command is foo:bar with option[a] == 1 and arg[0] == 1 and option[a] == 2 allow", 2)]
    [InlineData("when command is foo:bar with any arg in [a] allow", 3)]
    [InlineData("when command is foo:bar with any arg in [a] or all arg == b allow", 3)]
    [InlineData("when command is foo:bar with (any arg in [a]) or any option in [b] allow", 4)]
    [InlineData("when command is foo:bar with arg[0] == 1 and any arg == 2 allow", 4)]
    [InlineData("when command is foo:bar with all option[x] in [a] and option[x] == b allow", 1)]
    public void Static_score_counts_distinct_inputs_and_weights_the_argument_aggregate(string text, int score) =>
        Assert.Equal(score, Parse(text).Score);

    [Fact]
    public void Permissions_are_distinct_in_order_of_first_appearance_without_regexes()
    {
        var rule = Parse("when command is s3:bucket must have any in [site:ops, s3:read] or any in [site:management, site:leads] or (site:shift_leads and 'site:ops') or all in [/x/]");
        Assert.Equal(["site:ops", "s3:read", "site:management", "site:leads", "site:shift_leads"], rule.Permissions);
        Assert.Empty(Parse("when command is foo:bar allow").Permissions);
    }

    [Fact]
    public void Nodes_carry_their_positions()
    {
        var rule = Parse("when command is foo:bar\n  with arg[0] == 'x'\n  must have foo:read");
        Assert.Equal(new SourceSpan(new SourcePosition(16, 1, 17), 7), rule.CommandSpan);
        var comparison = Assert.IsType<InputComparison>(rule.Condition);
        Assert.Equal(new SourceSpan(new SourcePosition(31, 2, 8), 13), comparison.Span);
        Assert.Equal(new SourcePosition(41, 2, 18), comparison.Value.Span.Start);
        var term = Assert.IsType<PermissionTerm>(rule.Requirement);
        Assert.Equal(new SourceSpan(new SourcePosition(57, 3, 13), 8), term.Span);
        Assert.Equal(new SourceSpan(SourcePosition.Start, 65), rule.Span);
    }

    [Fact]
    public void Literals_are_typed_as_in_cog()
    {
        var rule = Parse("when command is foo:bar with arg[0] in [10, 0.5, true, false, 'a', \"b\", c, 123abc, -5, :ok:, /r/] allow");
        var values = Assert.IsType<InputMembership>(rule.Condition).Values;
        Assert.Equal(
            [new IntValue(10), new FloatValue(0.5), BoolValue.True, BoolValue.False, new StringValue("a"), new StringValue("b"),
             new StringValue("c"), new StringValue("123abc"), new StringValue("-5"), new StringValue(":ok:")],
            values.Take(10).Select(v => ((LiteralValue)v).Value));
        Assert.Equal([QuoteKind.None, QuoteKind.None, QuoteKind.None, QuoteKind.None, QuoteKind.Single, QuoteKind.Double, QuoteKind.None],
            values.Take(7).Select(v => ((LiteralValue)v).Quote));
        Assert.Equal("r", Assert.IsType<RegexValue>(values[10]).Pattern);
    }

    [Fact]
    public void Input_references_distinguish_single_and_aggregate_forms()
    {
        var rule = Parse("when command is foo:bar with arg[2] == 1 and any arg == 1 and all args == 1 and option[dry-run] == 1 and any option[x] == 1 and all option[y] == 1 and any options == 1 and all option == 1 allow");
        var references = new List<InputReference>();
        Collect(rule.Condition!);
        Assert.Equal(
        [
            "ArgumentReference:2", "ArgumentsReference:Any", "ArgumentsReference:All", "OptionReference:dry-run:None",
            "OptionReference:x:Any", "OptionReference:y:All", "OptionsReference:Any", "OptionsReference:All",
        ],
        references.Select(r => r switch
        {
            ArgumentReference a => $"ArgumentReference:{a.Index}",
            ArgumentsReference a => $"ArgumentsReference:{a.Quantifier}",
            OptionReference o => $"OptionReference:{o.Name}:{o.Quantifier}",
            OptionsReference o => $"OptionsReference:{o.Quantifier}",
            _ => "?",
        }));

        void Collect(InputExpression expression)
        {
            switch (expression)
            {
                case InputLogical logical:
                    Collect(logical.Left);
                    Collect(logical.Right);
                    break;
                case InputComparison comparison:
                    references.Add(comparison.Input);
                    break;
            }
        }
    }

    [Fact]
    public void Chains_group_from_the_left()
    {
        var rule = Parse("when command is foo:bar must have a:a or a:b or a:c");
        var top = Assert.IsType<PermissionLogical>(rule.Requirement);
        Assert.IsType<PermissionLogical>(top.Left);
        Assert.Equal("a:c", Assert.IsType<PermissionTerm>(top.Right).Permission.Name);
    }

    [Fact]
    public void Equal_rules_parsed_twice_are_equal()
    {
        const string Text = "when command is foo:bar with arg[0] in [a, /b/] and option[x] == /y/ must have all in [foo:a, /z/] or foo:b";
        Assert.Equal(Parse(Text), Parse(Text));
        Assert.Equal(Parse(Text).GetHashCode(), Parse(Text).GetHashCode());
        Assert.NotEqual(Parse(Text), Parse(Text.Replace("/b/", "/c/", StringComparison.Ordinal)));
    }

    [Fact]
    public void Regex_value_is_compiled_once_culture_invariant_and_linear_time_without_a_timeout()
    {
        var regex = new RegexValue("^a", default);
        Assert.Equal(System.Text.RegularExpressions.Regex.InfiniteMatchTimeout, regex.Regex.MatchTimeout);
        Assert.Equal(RegexValue.Options, regex.Regex.Options);
        Assert.True(regex.Regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.CultureInvariant));
        Assert.True(regex.Regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking));
        Assert.Throws<System.Text.RegularExpressions.RegexParseException>(() => new RegexValue("(", default));
        Assert.Throws<NotSupportedException>(() => new RegexValue("(a)\\1", default));
    }
}
