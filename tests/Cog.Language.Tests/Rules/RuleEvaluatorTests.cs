using System.Collections.Immutable;
using Cog.Language.Options;
using Cog.Language.Rules;
using Cog.Language.Values;

namespace Cog.Language.Tests.Rules;

public class RuleEvaluatorTests
{
    const string NoRuleFooBar = "No rules match the supplied invocation of 'foo:bar'. Check your args and options, then confirm that the proper rules are in place.";

    static RuleSyntax Rule(string text) => RuleParser.Parse(text).Value;

    static Value ToValue(object value) => value switch
    {
        string s => new StringValue(s),
        int i => new IntValue(i),
        long l => new IntValue(l),
        double d => new FloatValue(d),
        bool b => b ? BoolValue.True : BoolValue.False,
        object[] items => new ListValue([.. items.Select(ToValue)]),
        _ => throw new ArgumentException($"No value for {value}"),
    };

    static CommandInput Input(object[] arguments, params (string Name, object Value)[] options) =>
        new([.. arguments.Select(ToValue)], options.ToImmutableDictionary(o => o.Name, o => ToValue(o.Value)));

    static CommandInput Args(params object[] arguments) => Input(arguments);

    static RuleDecision Decide(string invocation, string[] rules, string[] permissions, CommandInput input) =>
        RuleEvaluator.Evaluate(invocation, [.. rules.Select(Rule)], permissions.ToHashSet(), input);

    /// <summary>Whether a rule with this condition matches the input (it allows everybody when it matches).</summary>
    static bool Matches(string condition, CommandInput input) =>
        Decide("foo:bar", [$"when command is foo:bar with {condition} allow"], [], input).Outcome switch
        {
            RuleOutcome.Allowed => true,
            RuleOutcome.NoRule => false,
            var other => throw new InvalidOperationException($"Unexpected {other}"),
        };

    static readonly string[] MostSpecific =
    [
        "when command is foo:bar must have foo:read",
        "when command is foo:bar with arg[0] == 'delete' must have foo:admin",
    ];

    [Fact]
    public void Most_specific_matching_rule_decides_even_when_a_general_rule_would_allow()
    {
        var decision = Decide("foo:bar delete", MostSpecific, ["foo:read"], Args("delete"));
        Assert.Equal(RuleOutcome.Denied, decision.Outcome);
        Assert.Equal(MostSpecific[1], decision.DecidingRule!.Text);
        Assert.Equal(["foo:admin"], decision.Missing);
        Assert.Equal("Sorry, you aren't allowed to execute 'foo:bar delete'.\nYou will need at least one of the following permissions to run this command: 'foo:admin'.", decision.Message);
    }

    [Fact]
    public void Most_specific_rule_allows_without_the_general_permission()
    {
        var decision = Decide("foo:bar delete", MostSpecific, ["foo:admin"], Args("delete"));
        Assert.Equal(new RuleDecision(RuleOutcome.Allowed, Rule(MostSpecific[1]), [], null), decision);
        Assert.True(decision.IsAllowed);
    }

    [Fact]
    public void Only_the_general_rule_matches_other_arguments()
    {
        Assert.Equal(MostSpecific[0], Decide("foo:bar list", MostSpecific, ["foo:read"], Args("list")).DecidingRule!.Text);
        var denied = Decide("foo:bar list", MostSpecific, [], Args("list"));
        Assert.Equal(RuleOutcome.Denied, denied.Outcome);
        Assert.Equal("Sorry, you aren't allowed to execute 'foo:bar list'.\nYou will need at least one of the following permissions to run this command: 'foo:read'.", denied.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void At_equal_score_an_allowing_rule_beats_a_denying_one(bool allowFirst)
    {
        string[] rules = ["when command is foo:bar allow", "when command is foo:bar must have foo:read"];
        var decision = Decide("foo:bar", allowFirst ? rules : [.. rules.Reverse()], [], CommandInput.Empty);
        Assert.Equal(RuleOutcome.Allowed, decision.Outcome);
        Assert.Equal(rules[0], decision.DecidingRule!.Text);
    }

    [Fact]
    public void At_equal_score_between_denying_rules_the_first_decides()
    {
        var decision = Decide("foo:bar", ["when command is foo:bar must have foo:a", "when command is foo:bar must have foo:b"], [], CommandInput.Empty);
        Assert.Equal("when command is foo:bar must have foo:a", decision.DecidingRule!.Text);
    }

    [Fact]
    public void A_condition_that_does_not_match_can_leave_no_rule()
    {
        var decision = Decide("foo:bar", ["when command is foo:bar with arg[0] == 'x' must have foo:read"], ["foo:read"], CommandInput.Empty);
        Assert.Equal(new RuleDecision(RuleOutcome.NoRule, null, [], NoRuleFooBar), decision);
    }

    [Fact]
    public void A_command_without_rules_can_never_run()
    {
        var decision = Decide("foo:bar", [], ["foo:read"], CommandInput.Empty);
        Assert.Equal(RuleOutcome.NoRule, decision.Outcome);
        Assert.Equal(NoRuleFooBar, decision.Message);
    }

    [Fact]
    public void Denial_lists_every_permission_of_the_deciding_rule_sorted_and_missing_lists_those_lacking()
    {
        var decision = Decide("foo:bar", ["when command is foo:bar must have site:a and foo:b and any in [foo:c, /x/, foo:b]"], ["foo:b"], CommandInput.Empty);
        Assert.Equal(["foo:c", "site:a"], decision.Missing);
        Assert.Equal("Sorry, you aren't allowed to execute 'foo:bar'.\nYou will need at least one of the following permissions to run this command: 'foo:b', 'foo:c', 'site:a'.", decision.Message);
    }

    [Fact]
    public void Dynamic_score_counts_both_sides_of_or_so_the_rule_matching_more_inputs_wins()
    {
        string[] rules =
        [
            "when command is foo:bar with arg[0] == 'a' allow",
            "when command is foo:bar with arg[0] == 'a' or arg[1] == 'b' must have foo:x",
        ];
        Assert.Equal(RuleOutcome.Denied, Decide("foo:bar a b", rules, [], Args("a", "b")).Outcome);
        Assert.Equal(RuleOutcome.Allowed, Decide("foo:bar a c", rules, [], Args("a", "c")).Outcome);
    }

    [Fact]
    public void Dynamic_score_counts_an_input_once_however_many_comparisons_it_satisfies()
    {
        string[] rules =
        [
            "when command is foo:bar with arg[0] == 'a' or arg[0] == /a/ or arg[0] in [a] must have foo:x",
            "when command is foo:bar with arg[1] == 'b' allow",
        ];
        Assert.Equal(RuleOutcome.Allowed, Decide("foo:bar a b", rules, [], Args("a", "b")).Outcome);
    }

    [Fact]
    public void Dynamic_score_counts_inputs_matched_inside_a_false_sub_expression()
    {
        string[] rules =
        [
            "when command is foo:bar with arg[2] == 'c' allow",
            "when command is foo:bar with (arg[0] == 'a' and arg[1] == 'z') or arg[2] == 'c' must have foo:x",
        ];
        Assert.Equal(RuleOutcome.Denied, Decide("foo:bar a b c", rules, [], Args("a", "b", "c")).Outcome);
    }

    [Fact]
    public void Dynamic_score_counts_each_argument_an_aggregate_matched()
    {
        string[] rules =
        [
            "when command is foo:bar with arg[0] == 'x' and arg[1] == 'y' allow",
            "when command is foo:bar with any arg in [x, y, z] must have foo:x",
        ];
        Assert.Equal(RuleOutcome.Denied, Decide("foo:bar x y z", rules, [], Args("x", "y", "z")).Outcome);
        Assert.Equal(RuleOutcome.Allowed, Decide("foo:bar x y", rules, [], Args("x", "y")).Outcome);
    }

    [Fact]
    public void Vacuously_true_all_comparison_matches_with_score_zero()
    {
        string[] rules =
        [
            "when command is foo:bar with all option < 10 must have foo:x",
            "when command is foo:bar must have foo:y",
        ];
        var decision = Decide("foo:bar", rules, ["foo:y"], CommandInput.Empty);
        Assert.Equal(RuleOutcome.Allowed, decision.Outcome);
        Assert.Equal(rules[1], decision.DecidingRule!.Text);
        Assert.Equal(rules[0], Decide("foo:bar", rules, [], CommandInput.Empty).DecidingRule!.Text);
    }

    public static TheoryData<string, CommandInput, bool> Comparisons => new()
    {
        { "arg[0] == 'x'", Args("x"), true },
        { "arg[0] == 'x'", Args(), false },
        { "arg[0] == 'x'", Args("X"), false },
        { "arg[0] != 'x'", Args(), true },
        { "arg[0] != 'x'", Args("x"), false },
        { "arg[0] != 'x'", Args("y"), true },
        { "arg[0] == 10", Args(10), true },
        { "arg[0] == 10", Args("10"), false },
        { "arg[0] == '10'", Args(10), false },
        { "arg[0] == 10", Args(10.0), true },
        { "arg[0] == 1.5", Args(1.5), true },
        { "arg[0] == true", Args(true), true },
        { "arg[0] == true", Args("true"), false },
        { "arg[0] == -5", Args("-5"), true },
        { "arg[0] == -5", Args(-5), false },
        { "arg[0] == :shipit:", Args(":shipit:"), true },
        { "arg[0] == /^pro/", Args("production"), true },
        { "arg[0] == /pro/", Args("xprod"), true },
        { "arg[0] == /^pro/", Args("xprod"), false },
        { "arg[0] == /1/", Args(10), false },
        { "arg[0] == /x/", Args(), false },
        { "arg[0] != /x/", Args(), false },
        { "arg[0] != /x/", Args(5), false },
        { "arg[0] != /x/", Args("y"), true },
        { "arg[0] != /x/", Args("x"), false },
        { "arg[0] > /x/", Args("x"), false },
        { "arg[0] > 5", Args(6), true },
        { "arg[0] > 5", Args(5), false },
        { "arg[0] > 5", Args(5.5), true },
        { "arg[0] >= 5", Args(5), true },
        { "arg[0] < 5", Args(4), true },
        { "arg[0] =< 5.5", Args(5), true },
        { "arg[0] <= 5", Args(6), false },
        { "arg[0] > 5", Args("6"), false },
        { "arg[0] > 5", Args("3"), false },
        { "arg[0] < 5", Args("3"), false },
        { "arg[0] > 5", Args(), false },
        { "arg[0] < 5", Args(true), false },
        { "arg[0] < 'b'", Args("a"), true },
        { "arg[0] > 'b'", Args("a"), false },
        { "arg[0] > false", Args(true), true },
        { "arg[0] in ['a', 'b']", Args("b"), true },
        { "arg[0] in ['a', 'b']", Args("c"), false },
        { "arg[0] in ['a', 'b']", Args(), false },
        { "arg[0] in []", Args("a"), false },
        { "arg[0] in [/^1/]", Args(10), true },
        { "arg[0] in [/^1/]", Args(), false },
        { "arg[0] in [10]", Args("10"), false },
        { "arg[0] in [10, delete]", Args("delete"), true },
        { "option[env] == 'prod'", Input([], ("env", "prod")), true },
        { "option[env] == 'prod'", Args(), false },
        { "option[env] != 'prod'", Args(), true },
        { "option[env] == /^prod/", Input([], ("env", "production")), true },
        { "option[dry-run] == true", Input([], ("dry-run", true)), true },
        { "option[env] in ['prod']", Input([], ("env", new object[] { "staging", "prod" })), true },
        { "option[env] in ['prod']", Input([], ("env", new object[] { "staging" })), false },
        { "any arg in ['wubba', /^f.*/, 10]", Args("x", "foo"), true },
        { "any arg in ['wubba', /^f.*/, 10]", Args(10), true },
        { "any arg in ['wubba', /^f.*/, 10]", Args(11, "x"), false },
        { "any arg in ['wubba']", Args(), false },
        { "all arg in ['a', 'b']", Args("a", "b", "a"), true },
        { "all arg in ['a', 'b']", Args("a", "c"), false },
        { "all arg in ['a', 'b']", Args(), false },
        { "any arg == 'a'", Args("b", "a"), true },
        { "any arg == 'a'", Args(), false },
        { "all arg == 'a'", Args(), true },
        { "all arg == 'a'", Args("a", "a"), true },
        { "all arg == 'a'", Args("a", "b"), false },
        { "all arg > 1", Args(2, "3"), false },
        { "all option < 10", Args(), true },
        { "all option < 10", Input([], ("a", 5), ("b", 20)), false },
        { "all option < 10", Input([], ("a", 5)), true },
        { "any option > 10", Input([], ("a", 5), ("b", 20)), true },
        { "any option > 10", Args(), false },
        { "any option in ['staging', 'list']", Input([], ("env", "staging")), true },
        { "any option in ['staging', 'list']", Input([], ("env", "prod")), false },
        { "any option in ['staging', 'list']", Args(), false },
        { "any option in ['staging']", Input([], ("envs", new object[] { "prod", "staging" })), true },
        { "all option in ['staging', 'list']", Input([], ("env", "staging"), ("mode", "list")), true },
        { "all option in ['staging', 'list']", Input([], ("env", "staging"), ("mode", "x")), false },
        { "all option in ['staging', 'list']", Args(), false },
        { "all option[tags] in ['a', 'b']", Input([], ("tags", new object[] { "a", "b" })), true },
        { "all option[tags] in ['a', 'b']", Input([], ("tags", new object[] { "a", "c" })), false },
        { "all option[tags] in ['a', 'b']", Input([], ("tags", Array.Empty<object>())), false },
        { "all option[tags] in ['a', 'b']", Args(), false },
        { "all option[tags] in ['a', 'b']", Input([], ("tags", "a")), true },
        { "any option[tags] in ['a']", Input([], ("tags", new object[] { "x", "a" })), true },
        { "any option[tags] in ['a']", Input([], ("tags", new object[] { "x" })), false },
        { "any option[tags] == 'a'", Input([], ("tags", new object[] { "x", "a" })), true },
        { "all option[n] < 10", Input([], ("n", new object[] { 1, 2 })), true },
        { "all option[n] < 10", Input([], ("n", new object[] { 1, 20 })), false },
        { "all option[n] < 10", Args(), true },
        { "any option[n] < 10", Args(), false },
        { "arg[0] == 'a' and option[f] == true", Input(["a"], ("f", true)), true },
        { "arg[0] == 'a' and option[f] == true", Input(["a"]), false },
        { "arg[0] == 'a' or option[f] == true", Input([], ("f", true)), true },
        { "(arg[0] == 'a' or arg[0] == 'b') and option[force] == true", Input(["b"], ("force", true)), true },
        { "(arg[0] == 'a' or arg[0] == 'b') and option[force] == true", Input(["c"], ("force", true)), false },
    };

    [Theory]
    [MemberData(nameof(Comparisons))]
    public void Comparison_semantics_follow_the_reference(string condition, CommandInput input, bool expected) =>
        Assert.Equal(expected, Matches(condition, input));

    [Fact]
    public void R5_ordering_between_a_number_and_a_non_number_is_false()
    {
        Assert.False(Matches("arg[0] > 5", Args("3")));
        Assert.False(Matches("arg[0] < 5", Args("3")));
        Assert.False(Matches("arg[0] > 5", Args()));
        Assert.False(Matches("arg[0] > 'a'", Args(5)));
    }

    [Fact]
    public void R6_any_and_all_option_match_over_the_option_values()
    {
        Assert.True(Matches("any option in ['staging', 'list']", Input([], ("env", "staging"), ("x", 1))));
        Assert.True(Matches("all options in ['staging', 'list']", Input([], ("env", "staging"), ("mode", "list"))));
        Assert.False(Matches("all options in ['staging', 'list']", Input([], ("env", "staging"), ("x", 1))));
    }

    [Fact]
    public void R6_any_option_scores_each_option_that_matched()
    {
        string[] rules =
        [
            "when command is foo:bar with option[a] == 1 allow",
            "when command is foo:bar with any option in [1, 2] must have foo:x",
        ];
        Assert.Equal(RuleOutcome.Denied, Decide("foo:bar", rules, [], Input([], ("a", 1), ("b", 2))).Outcome);
        Assert.Equal(RuleOutcome.Allowed, Decide("foo:bar", rules, [], Input([], ("a", 1), ("b", 3))).Outcome);
    }

    [Fact]
    public void A_pathological_regex_still_decides_so_the_restricting_rule_applies()
    {
        // The issue: with a backtracking engine and a timeout, this match timed out, neither == nor != held, the
        // restricting rule did not apply and the allowing rule let the command run.
        string[] rules =
        [
            "when command is rtest:secret with arg[0] != /^(\\w+\\s?)*$/ must have rtest:admin",
            "when command is rtest:secret allow",
        ];
        var decision = Decide("rtest:secret", rules, [], Args("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa; rm -rf /"));
        Assert.Equal(RuleOutcome.Denied, decision.Outcome);
        Assert.Equal(rules[0], decision.DecidingRule!.Text);
        Assert.Equal(RuleOutcome.Allowed, Decide("rtest:secret", rules, [], Args("plain words")).Outcome);
    }

    [Fact]
    public void A_regex_match_that_fails_denies_with_the_reason()
    {
        // A regex that cannot finish: backtracking and a one-millisecond budget (rules never build such a regex; the
        // evaluator must fail closed whatever a match throws).
        var rule = Rule("when command is foo:bar with arg[0] != /(a+)+$/ must have foo:admin");
        var regex = (RegexValue)((InputComparison)rule.Condition!).Value;
        regex.Regex = new System.Text.RegularExpressions.Regex("(a+)+$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(1));
        var allow = Rule("when command is foo:bar allow");

        var decision = RuleEvaluator.Evaluate("foo:bar aaa", [allow, rule], new HashSet<string>(), Args(new string('a', 40) + "!"));

        Assert.Equal(RuleOutcome.EvaluationFailed, decision.Outcome);
        Assert.False(decision.IsAllowed);
        Assert.Same(rule, decision.DecidingRule);
        Assert.Equal("matching the regular expression /(a+)+$/ timed out", decision.Reason);
        Assert.Equal("Sorry, you aren't allowed to execute 'foo:bar aaa': the rule \"when command is foo:bar with arg[0] != /(a+)+$/ must have foo:admin\" could not be evaluated (matching the regular expression /(a+)+$/ timed out), so the command is denied.",
            decision.Message);
    }

    [Theory]
    [InlineData("foo:a", new[] { "foo:a" }, true)]
    [InlineData("foo:a", new string[0], false)]
    [InlineData("foo:a and foo:b", new[] { "foo:a" }, false)]
    [InlineData("foo:a and foo:b", new[] { "foo:a", "foo:b" }, true)]
    [InlineData("foo:a or foo:b", new[] { "foo:b" }, true)]
    [InlineData("any in [foo:a, site:b]", new[] { "site:b" }, true)]
    [InlineData("any in [foo:a, site:b]", new[] { "site:c" }, false)]
    [InlineData("any in []", new[] { "site:c" }, false)]
    [InlineData("all in []", new string[0], true)]
    [InlineData("all in [foo:a, site:b]", new[] { "foo:a", "site:b" }, true)]
    [InlineData("all in [foo:a, site:b]", new[] { "foo:a" }, false)]
    [InlineData("any in [/.*/]", new[] { "foo:a" }, false)]
    [InlineData("all in [foo:a, /foo/]", new[] { "foo:a" }, false)]
    [InlineData("(foo:a and foo:b) or site:c", new[] { "site:c" }, true)]
    [InlineData("all in [foo:write, site:ops] or any in [site:admin, site:management]", new[] { "site:management" }, true)]
    [InlineData("all in [foo:write, site:ops] or any in [site:admin, site:management]", new[] { "foo:write" }, false)]
    public void Permission_terms_follow_the_reference(string requirement, string[] permissions, bool allowed) =>
        Assert.Equal(allowed, Decide("foo:bar", [$"when command is foo:bar must have {requirement}"], permissions, CommandInput.Empty).IsAllowed);
}
