using System.Text.Json;

namespace Cog.Cli.Tests.Offline;

public class RuleParseTests
{
    [Fact]
    public void Json_output_has_the_documented_shape()
    {
        var result = CogCtlRunner.Run("rule", "parse", "--json", "when command is foo:bar must have foo:read");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("""{"ok":true,"command":"foo:bar","permissions":["foo:read"],"canonical":"when command is foo:bar must have foo:read"}""" + "\n", result.Output);
    }

    [Fact]
    public void Permissions_are_listed_in_order_of_first_appearance()
    {
        var result = CogCtlRunner.Run("rule", "parse", "--json", "when command is foo:bar must have all in [foo:write, site:ops] or foo:write");

        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal(["foo:write", "site:ops"], doc.RootElement.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToArray());
    }

    [Fact]
    public void A_syntax_error_prints_the_failure_shape()
    {
        var result = CogCtlRunner.Run("rule", "parse", "--json", "when command is foo:bar must have");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(1, doc.RootElement.GetProperty("error").GetProperty("line").GetInt32());
    }

    [Fact]
    public void Mixing_and_with_or_is_refused_with_its_position()
    {
        var result = CogCtlRunner.Run("rule", "parse", "when command is foo:bar must have foo:a and foo:b or foo:c");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("parentheses", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>The worked rule examples of Cog 1.0's documentation, decided by <c>cogctl rule check</c>.</summary>
public class RuleCheckTests
{
    static readonly string Foo = CogCtlRunner.Fixture("foo");

    static CogCtlRunner.Outcome Check(string invocation, params string[] permissions)
    {
        var args = new List<string> { "rule", "check", "--bundle", Foo, "--json" };
        foreach (var p in permissions)
        {
            args.Add("--permission");
            args.Add(p);
        }
        args.Add("--");
        args.AddRange(invocation.Split(' '));
        return CogCtlRunner.Run([.. args]);
    }

    [Fact]
    public void The_most_specific_matching_rule_decides_and_denies_a_reader()
    {
        var result = Check("foo:bar delete", "foo:read");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            """{"decision":"denied","rule":"when command is foo:bar with arg[0] == 'delete' must have foo:admin","missing":["foo:admin"],"message":"Sorry, you aren't allowed to execute 'foo:bar delete'.\nYou will need at least one of the following permissions to run this command: 'foo:admin'."}""" + "\n",
            result.Output);
    }

    [Fact]
    public void The_most_specific_rule_allows_an_admin_without_the_read_permission()
    {
        var result = Check("foo:bar delete", "foo:admin");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.Equal("allowed", doc.RootElement.GetProperty("decision").GetString());
        Assert.Equal("when command is foo:bar with arg[0] == 'delete' must have foo:admin", doc.RootElement.GetProperty("rule").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("missing").GetArrayLength());
    }

    [Fact]
    public void Only_the_general_rule_matches_other_arguments()
    {
        var allowed = Check("bar list", "foo:read");
        var denied = Check("bar list");

        Assert.Equal(0, allowed.ExitCode);
        Assert.Contains("\"rule\":\"when command is foo:bar must have foo:read\"", allowed.Output, StringComparison.Ordinal);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("\"missing\":[\"foo:read\"]", denied.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_wins_a_tie_for_everybody()
    {
        var result = Check("foo:baz");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"decision\":\"allowed\",\"rule\":\"when command is foo:baz allow\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_on_inputs_that_does_not_match_leaves_no_rule()
    {
        var result = Check("foo:qux", "foo:read");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            """{"decision":"no_rule","rule":null,"missing":[],"message":"No rules match the supplied invocation of 'foo:qux'. Check your args and options, then confirm that the proper rules are in place."}""" + "\n",
            result.Output);
    }

    [Fact]
    public void Site_rules_join_the_bundle_rules_and_may_omit_the_prefix()
    {
        var result = CogCtlRunner.Run("rule", "check", "--bundle", Foo, "--rule", "with option[force] == true must have site:ops",
            "--permission", "site:ops", "--json", "--", "foo:qux", "--force", "y");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"rule\":\"when command is foo:qux with option[force] == true must have site:ops\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_typed_by_the_command_definition_before_rules_see_them()
    {
        var result = CogCtlRunner.Run("rule", "check", "--bundle", Foo, "--rule", "with option[count] > 2 must have site:ops",
            "--json", "--", "foo:qux", "--count=3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"decision\":\"denied\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_option_is_an_error_in_the_failure_shape()
    {
        var result = Check("foo:qux --nope");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal("Unknown option '--nope' for command 'foo:qux'. Known options: --count, --force (-f).", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(9, doc.RootElement.GetProperty("error").GetProperty("column").GetInt32());
    }

    [Fact]
    public void An_unknown_command_is_an_error_in_the_failure_shape()
    {
        var result = Check("foo:nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"ok\":false", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_bind_against_the_given_input()
    {
        var result = CogCtlRunner.Run("rule", "check", "--bundle", Foo, "--input", """{"what":"delete"}""", "--permission", "foo:admin", "--json", "--", "foo:bar", "$what");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("with arg[0] == 'delete'", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_fail_to_bind_without_input_as_in_a_first_chat_stage()
    {
        var result = Check("foo:bar $what", "foo:admin");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Key 'what' not found in expression '$what'.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Human_output_names_the_decision_and_the_rule()
    {
        var result = CogCtlRunner.Run("rule", "check", "--bundle", Foo, "--permission", "foo:read", "--", "foo:bar", "delete");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("denied: foo:bar delete\n  deciding rule: when command is foo:bar with arg[0] == 'delete' must have foo:admin\n  missing:       foo:admin\n", result.Output, StringComparison.Ordinal);
    }
}
