using Cog.Language.Pipelines;
using Cog.Language.Rules;
using Cog.Language.Values;

namespace Cog.Language.Tests.Rules;

public class RuleParserTests
{
    static RuleSyntax Parse(string text)
    {
        var result = RuleParser.Parse(text);
        Assert.True(result.Succeeded, result.Succeeded ? "" : RuleErrors.Format(result.Error));
        return result.Value;
    }

    static string Error(string text)
    {
        var result = RuleParser.Parse(text);
        Assert.False(result.Succeeded, $"'{text}' parsed");
        return RuleErrors.Format(result.Error);
    }

    [Theory]
    [InlineData("when command is foo:bar must have foo:read")]
    [InlineData("when command is foo:bar allow")]
    [InlineData("when command is foo:bar with arg[0] == 'delete' must have foo:admin")]
    [InlineData("when command is foo:bar with option[env] == /^prod/ must have site:prod and foo:deploy")]
    [InlineData("when command is foo:bar with any arg in ['wubba', /^f.*/, 10] must have foo:read")]
    [InlineData("when command is foo:bar with all option in ['staging', 'list'] must have foo:read")]
    [InlineData("when command is foo:bar with (arg[0] == 'a' or arg[0] == 'b') and option[force] == true must have foo:admin")]
    [InlineData("when command is foo:bar must have all in [foo:write, site:ops] or any in [site:admin, site:management]")]
    [InlineData("when command is operable:bundle-disable with arg[0] == \"prod\" must have site:manage_prod and operable:manage_commands")]
    public void Reference_examples_parse_and_print_canonically(string text) => Assert.Equal(text, Parse(text).Text);

    [Fact]
    public void Aggregate_spellings_print_as_arg_and_option()
    {
        Assert.Equal("when command is foo:bar with all option in ['staging', 'list'] must have foo:read",
            Parse("when command is foo:bar with all options in ['staging', 'list'] must have foo:read").Text);
        Assert.Equal("when command is foo:bar with any arg in [a] allow", Parse("when command is foo:bar with any args in [a] allow").Text);
    }

    [Fact]
    public void Rule_exposes_command_permissions_and_allow()
    {
        var rule = Parse("when command is s3:bucket must have any in [site:ops, s3:read] or any in [site:ops, /x/] or s3:read");
        Assert.Equal(new CommandReference("s3", "bucket"), rule.Command);
        Assert.Equal("s3:bucket", rule.Command.ToString());
        Assert.Equal(["site:ops", "s3:read"], rule.Permissions);
        Assert.False(rule.IsAllow);
        Assert.True(Parse("when command is foo:bar allow").IsAllow);
    }

    [Theory]
    [InlineData("monkeys monkeys monkeys", "(Line: 1, Col: 1) syntax error before: \"monkeys\".")]
    [InlineData("when command is foo:bar must have", "Unexpected end of input.")]
    [InlineData("when command is foo:bar with arg[0] =< 5 and", "Unexpected end of input.")]
    [InlineData("when command is foo:bar with arg[0] = 5 allow", "illegal characters \"= \".")]
    [InlineData("when command is foo:bar must have foo", "(Line: 1, Col: 35) References to permissions must be the literal \"allow\" or start with a command bundle name or \"site\".")]
    [InlineData("when command is foo must have foo:bar", "(Line: 1, Col: 17) References to commands must include bundle and command name.")]
    [InlineData("when command is foo:bar", "(Line: 1, Col: 24) A rule must end with \"allow\" or with \"must have\" followed by the permissions it requires.")]
    [InlineData("when command is foo:bar with arg == 1 allow", "(Line: 1, Col: 30) Only integer, \"all\", or \"any\" argument index references allowed.")]
    [InlineData("when command is foo:bar with arg[0] == 1 and arg[1] == 2 or arg[2] == 3 allow", "(Line: 1, Col: 58) \"and\" and \"or\" cannot be mixed without parentheses; add parentheses to say which is meant, e.g. \"(a and b) or c\".")]
    public void Errors_are_reported_with_the_reference_wording(string text, string message) => Assert.Equal(message, Error(text));

    [Fact]
    public void Less_or_equal_is_accepted_in_both_spellings_R2()
    {
        var rule = Parse("when command is foo:bar with arg[0] <= 5 allow");
        Assert.Equal("when command is foo:bar with arg[0] =< 5 allow", rule.Text);
        var comparison = Assert.IsType<InputComparison>(rule.Condition);
        Assert.Equal(ComparisonOperator.LessOrEqual, comparison.Operator);
        Assert.Equal(new IntValue(5), Assert.IsType<LiteralValue>(comparison.Value).Value);
        Assert.Equal(QuoteKind.None, Assert.IsType<LiteralValue>(comparison.Value).Quote);
    }
}
