using Cog.Language.Pipelines;
using Cog.Language.Rules;
using Cog.Language.Text;
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

    [Theory]
    [InlineData("when command is foo:bar must have allow", "(Line: 1, Col: 35) syntax error before: \"allow\".")]
    [InlineData("when command is foo:bar must have foo:a or allow", "(Line: 1, Col: 44) syntax error before: \"allow\".")]
    [InlineData("when command is foo:bar allow and allow", "(Line: 1, Col: 31) syntax error before: \"and\".")]
    [InlineData("when command is foo:bar with arg[0] == foo:baz allow", "(Line: 1, Col: 43) syntax error before: \":\".")]
    [InlineData("when command is foo:bar with not arg[0] == 1 allow", "(Line: 1, Col: 30) syntax error before: \"not\".")]
    [InlineData("WHEN command is foo:bar allow", "(Line: 1, Col: 1) syntax error before: \"WHEN\".")]
    [InlineData("when command is foo:bar with option == 1 allow", "(Line: 1, Col: 37) syntax error before: \"==\".")]
    [InlineData("when command is foo:bar with option[1.5] == 1 allow", "(Line: 1, Col: 37) syntax error before: \"1.5\".")]
    [InlineData("when command is foo:bar with arg[0] == 'x' 'y' allow", "(Line: 1, Col: 44) syntax error before: \"y\".")]
    [InlineData("when command is foo:bar with arg[0] in ['x' 'y'] allow", "(Line: 1, Col: 45) syntax error before: \"y\".")]
    [InlineData("when command is foo:bar with arg[0] == 'x' allow allow", "(Line: 1, Col: 50) syntax error before: \"allow\".")]
    [InlineData("when command is foo:123 allow", "(Line: 1, Col: 21) syntax error before: \"123\".")]
    [InlineData("when command is foo:bar must have any [foo:a]", "(Line: 1, Col: 39) syntax error before: \"[\".")]
    [InlineData("when command is foo:bar with (arg[0] == 1 allow", "(Line: 1, Col: 43) syntax error before: \"allow\".")]
    [InlineData("when command is foo:bar with arg[0] ==", "Unexpected end of input.")]
    [InlineData("when command", "Unexpected end of input.")]
    [InlineData("", "Unexpected end of input.")]
    [InlineData("when command is foo:bar\nmust have foo", "(Line: 2, Col: 11) References to permissions must be the literal \"allow\" or start with a command bundle name or \"site\".")]
    [InlineData("when command is foo:bar must have 'foo'", "(Line: 1, Col: 35) References to permissions must be the literal \"allow\" or start with a command bundle name or \"site\".")]
    [InlineData("when command is foo:bar must have any in [foo:a, 123abc]", "(Line: 1, Col: 50) References to permissions must be the literal \"allow\" or start with a command bundle name or \"site\".")]
    [InlineData("when command is foo:bar must have :smile:", "(Line: 1, Col: 35) References to permissions must be the literal \"allow\" or start with a command bundle name or \"site\".")]
    [InlineData("when command is 'foo' allow", "(Line: 1, Col: 17) References to commands must include bundle and command name.")]
    [InlineData("when command is ':foo' allow", "(Line: 1, Col: 17) References to commands must include bundle and command name.")]
    [InlineData("when command is foo:bar with any arg[0] == 1 allow", "(Line: 1, Col: 34) Only integer, \"all\", or \"any\" argument index references allowed.")]
    [InlineData("when command is foo:bar with args[0] == 1 allow", "(Line: 1, Col: 30) Only integer, \"all\", or \"any\" argument index references allowed.")]
    [InlineData("when command is foo:bar with arg[99999999999] == 1 allow", "(Line: 1, Col: 30) The number 99999999999 is too large.")]
    [InlineData("when command is foo:bar with arg[0] == 99999999999999999999 allow", "(Line: 1, Col: 40) The number 99999999999999999999 is too large.")]
    [InlineData("when command is foo:bar with arg[0] == /(/ allow", "(Line: 1, Col: 40) Invalid regular expression /(/.")]
    [InlineData("when command is foo:bar must have any in [/(/]", "(Line: 1, Col: 43) Invalid regular expression /(/.")]
    [InlineData("when command is foo:bar with arg[0] == 1 allow\n  @", "illegal characters \"@\".")]
    public void Grammar_errors_name_the_offending_token(string text, string message) => Assert.Equal(message, Error(text));

    [Theory]
    [InlineData("when command is foo:bar with arg[0] == 1 or arg[1] == 2 and arg[2] == 3 allow", 57)]
    [InlineData("when command is foo:bar with (arg[0] == 1 and arg[1] == 2 or arg[2] == 3) allow", 59)]
    [InlineData("when command is foo:bar must have foo:a and foo:b or foo:c", 51)]
    [InlineData("when command is foo:bar must have (foo:a or foo:b and foo:c)", 51)]
    public void R1_mixing_and_and_or_without_parentheses_is_an_error(string text, int column) =>
        Assert.Equal($"(Line: 1, Col: {column}) {RuleErrors.MixedAndOr}", Error(text));

    [Theory]
    [InlineData("when command is foo:bar with arg[0] == 1 or arg[1] == 2 or arg[2] == 3 allow")]
    [InlineData("when command is foo:bar with (arg[0] == 1 and arg[1] == 2) or arg[2] == 3 allow")]
    [InlineData("when command is foo:bar with arg[0] == 1 and (arg[1] == 2 or arg[2] == 3) allow")]
    [InlineData("when command is foo:bar must have (foo:a and foo:b) or foo:c")]
    [InlineData("when command is foo:bar must have foo:a and (foo:b or foo:c)")]
    public void R1_parenthesized_mixtures_parse(string text) => Assert.Equal(text, Parse(text).Text);

    [Fact]
    public void R1_parentheses_decide_the_grouping()
    {
        var rule = Parse("when command is foo:bar with arg[0] == 1 and (arg[1] == 2 or arg[2] == 3) allow");
        var top = Assert.IsType<InputLogical>(rule.Condition);
        Assert.Equal(LogicalOperator.And, top.Operator);
        Assert.Equal(LogicalOperator.Or, Assert.IsType<InputLogical>(top.Right).Operator);
    }

    [Fact]
    public void R3_any_option_with_a_name_is_accepted()
    {
        var rule = Parse("when command is foo:bar with any option[foo] in ['a'] must have foo:read");
        var membership = Assert.IsType<InputMembership>(rule.Condition);
        Assert.Equal(new OptionReference("foo", RuleQuantifier.Any, membership.Input.Span), membership.Input);
        Assert.Equal("when command is foo:bar with any option[foo] in ['a'] must have foo:read", rule.Text);
    }

    [Fact]
    public void R4_bare_arg_is_rejected()
    {
        Assert.Equal($"(Line: 1, Col: 30) {RuleErrors.ArgumentNeedsIndex}", Error("when command is foo:bar with arg == 1 must have foo:read"));
    }

    [Fact]
    public void R4_rule_without_permission_part_is_rejected()
    {
        Assert.Equal($"(Line: 1, Col: 24) {RuleErrors.MissingPermissionPart}", Error("when command is foo:bar"));
        Assert.Equal($"(Line: 1, Col: 41) {RuleErrors.MissingPermissionPart}", Error("when command is foo:bar with arg[0] == 1"));
    }

    [Theory]
    [InlineData("when  command\nis s3 : bucket   must\thave  site:x", "when command is s3:bucket must have site:x")]
    [InlineData("when command is foo:bar with arg[0] <= 5 and arg[1] =< 6 allow", "when command is foo:bar with arg[0] =< 5 and arg[1] =< 6 allow")]
    [InlineData("when command is foo:bar with any args in [a] and all options == b allow", "when command is foo:bar with any arg in [a] and all option == b allow")]
    [InlineData("when command is foo:bar with options[x] == 1 allow", "when command is foo:bar with option[x] == 1 allow")]
    [InlineData("when command is foo:bar with (arg[0] == 1) allow", "when command is foo:bar with arg[0] == 1 allow")]
    [InlineData("when command is foo:bar must have ((foo:a))", "when command is foo:bar must have foo:a")]
    [InlineData("when command is foo:bar must have (foo:a and foo:b) and foo:c", "when command is foo:bar must have foo:a and foo:b and foo:c")]
    [InlineData("when command is foo:bar must have foo:a and (foo:b and foo:c)", "when command is foo:bar must have foo:a and (foo:b and foo:c)")]
    [InlineData("when command is foo:bar must have (foo:a or foo:b) and foo:c", "when command is foo:bar must have (foo:a or foo:b) and foo:c")]
    [InlineData("when command is 'foo:bar' must have \"site:x\"", "when command is 'foo:bar' must have \"site:x\"")]
    [InlineData("when command is foo:bar with arg[0] == 'it\\'s' allow", "when command is foo:bar with arg[0] == 'it\\'s' allow")]
    [InlineData("when command is foo:bar with arg[0] in [007, 0.50, :ok:, -5, /a\\/b/] allow", "when command is foo:bar with arg[0] in [007, 0.50, :ok:, -5, /a\\/b/] allow")]
    [InlineData("when command is foo:bar with arg[0] in [ ] allow", "when command is foo:bar with arg[0] in [] allow")]
    [InlineData("when command is foo:bar must have any in [ foo:a ,/x/ ]", "when command is foo:bar must have any in [foo:a, /x/]")]
    [InlineData("when command is foo::shipit: allow", "when command is foo::shipit: allow")]
    public void Printing_is_canonical(string text, string canonical)
    {
        var rule = Parse(text);
        Assert.Equal(canonical, rule.Text);
        Assert.Equal(canonical, RulePrinter.Print(rule));
        Assert.Equal(canonical, rule.ToString());
        Assert.Equal(canonical, Parse(canonical).Text);
    }

    [Fact]
    public void Command_reference_splits_quoted_and_emoji_names()
    {
        Assert.Equal(new CommandReference("foo", "bar"), Parse("when command is 'foo:bar' allow").Command);
        Assert.Equal(QuoteKind.Single, Parse("when command is 'foo:bar' allow").CommandQuote);
        Assert.Equal(new CommandReference("foo", ":shipit:"), Parse("when command is foo::shipit: allow").Command);
        Assert.Equal(new CommandReference("operable", "bundle-disable"), Parse("when command is operable : bundle-disable allow").Command);
    }

    [Fact]
    public void Format_prefixes_the_position_except_for_lexer_and_end_of_input_errors()
    {
        var position = new SourcePosition(6, 1, 7);
        Assert.Equal("(Line: 1, Col: 7) syntax error before: \"x\".", RuleErrors.Format(new(RuleErrors.SyntaxErrorBefore("x"), position)));
        Assert.Equal("illegal characters \"= \".", RuleErrors.Format(new(RuleErrors.IllegalCharacters("= "), position)));
        Assert.Equal("Unexpected end of input.", RuleErrors.Format(new(RuleErrors.UnexpectedEnd, position)));
        Assert.Equal("syntax error before: \"a\\\"b\\n\".", RuleErrors.SyntaxErrorBefore("a\"b\n"));
    }

    [Theory]
    [InlineData("when command is foo:bar with arg[0] == /(a)\\1/ allow", 40, "a backreference")]
    [InlineData("when command is foo:bar with arg[0] == /(?=a)b/ allow", 40, "a lookaround")]
    [InlineData("when command is foo:bar with arg[0] in [x, /(?<!a)b/] allow", 44, "a lookaround")]
    [InlineData("when command is foo:bar with arg[0] == /(?>a+)b/ allow", 40, "an atomic group")]
    [InlineData("when command is foo:bar with arg[0] == /(?(a)b|c)/ allow", 40, "a conditional")]
    [InlineData("when command is foo:bar must have any in [foo:a, /(a)\\1/]", 50, "a backreference")]
    public void Regexes_that_need_backtracking_are_rejected_at_the_regex(string text, int column, string construct)
    {
        var error = Error(text);
        Assert.StartsWith($"(Line: 1, Col: {column}) The regular expression /", error, StringComparison.Ordinal);
        Assert.Contains($"/ uses {construct}, which rules do not support", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Regexes_match_in_linear_time_so_nested_quantifiers_parse()
    {
        var rule = Parse("when command is rtest:secret with arg[0] != /^(\\w+\\s?)*$/ must have rtest:admin");
        var regex = Assert.IsType<RegexValue>(Assert.IsType<InputComparison>(rule.Condition).Value);
        Assert.True(regex.Regex.Options.HasFlag(System.Text.RegularExpressions.RegexOptions.NonBacktracking));
    }

    [Fact]
    public void Parentheses_nested_beyond_the_limit_are_an_error_at_the_parenthesis_that_exceeds_it()
    {
        var deep = new string('(', 40_000) + "arg[0] == 1" + new string(')', 40_000);
        var column = "when command is foo:bar with ".Length + RuleParser.MaxDepth + 1;
        Assert.Equal($"(Line: 1, Col: {column}) The rule nests deeper than {RuleParser.MaxDepth} levels (each pair of parentheses and each and/or is one level).",
            Error($"when command is foo:bar with {deep} allow"));
        var permissions = new string('(', 40_000) + "foo:a" + new string(')', 40_000);
        Assert.StartsWith($"(Line: 1, Col: {"when command is foo:bar must have ".Length + RuleParser.MaxDepth + 1}) The rule nests deeper than",
            Error($"when command is foo:bar must have {permissions}"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_and_chain_is_as_deep_as_its_operators()
    {
        string Chain(int terms) => string.Join(" and ", Enumerable.Range(0, terms).Select(i => $"arg[{i}] == 1"));
        // A term is one level and every "and" adds one: MaxDepth levels are allowed, one more is not.
        Parse($"when command is foo:bar with {Chain(RuleParser.MaxDepth)} allow");
        var tooLong = $"when command is foo:bar with {Chain(RuleParser.MaxDepth + 1)} allow";
        var lastAnd = tooLong.LastIndexOf(" and ", StringComparison.Ordinal) + 2;
        Assert.StartsWith($"(Line: 1, Col: {lastAnd}) The rule nests deeper than", Error(tooLong), StringComparison.Ordinal);
        Assert.StartsWith("(Line: 1, Col: ", Error($"when command is foo:bar with {Chain(100_000)} allow"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parentheses_and_chains_add_up_to_the_depth()
    {
        // ((a and b)) is 3 levels: two parentheses and one "and" over the terms' level.
        var nested = new string('(', RuleParser.MaxDepth - 2) + "arg[0] == 1 and arg[1] == 2" + new string(')', RuleParser.MaxDepth - 2);
        Parse($"when command is foo:bar with {nested} allow");
        Assert.Contains("nests deeper", Error($"when command is foo:bar with ({nested}) allow"), StringComparison.Ordinal);
    }
}
