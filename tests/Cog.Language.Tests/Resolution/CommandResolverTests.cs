using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Text;
using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

public class CommandResolverTests
{
    static SourcePosition At(string text, string token) => SourcePosition.At(text, text.IndexOf(token, StringComparison.Ordinal));

    [Theory]
    [InlineData("echo hi", "operable:echo hi")]
    [InlineData("operable:echo hi --x=1 2", "operable:echo hi --x=1 2")]
    [InlineData("echo a | s3:list-buckets && bucket-info", "operable:echo a | s3:list-buckets && s3:bucket-info")]
    [InlineData("hello > #ops", "greetings:hello > #ops")]
    [InlineData("b:multi", "b:multi")]
    [InlineData("modern:old", "modern:old")]
    [InlineData("upgraded:fresh", "upgraded:fresh")]
    public void Commands_resolve_to_their_bundle(string text, string expected) =>
        Assert.Equal(expected, ResolveAndPrint(text));

    [Fact]
    public void Resolved_stage_carries_bundle_version_options_join_and_the_users_stage()
    {
        const string text = "echo a | rule-create --enable x";
        var pipeline = Resolve(text).Value;
        var stage = pipeline.Stages[1];
        Assert.Equal("operable", stage.Bundle.Name);
        Assert.Equal("rule-create", stage.Command.Name);
        Assert.Equal("0.18.2", stage.Version);
        Assert.Equal("enable", Assert.Single(stage.Options).Name);
        Assert.Equal(StageJoin.Pipe, stage.Join);
        Assert.Equal(Syntax.Parse(text).Stages[1].Span, stage.Span);
        Assert.Empty(stage.Aliases);
        Assert.Equal(StageJoin.None, pipeline.Stages[0].Join);
    }

    [Fact]
    public void Arguments_are_passed_through_unchanged()
    {
        var syntax = Syntax.Parse("echo a 5 --x=true");
        var stage = CommandResolver.Resolve(syntax, Commands, AliasCatalog.Empty, AliasCatalog.Empty).Value.Stages[0];
        Assert.Equal(syntax.Stages[0].Arguments, stage.Arguments);
    }

    [Fact]
    public void Redirect_written_by_the_user_is_kept()
    {
        var syntax = Syntax.Parse("echo a *> #ops @bob");
        var pipeline = CommandResolver.Resolve(syntax, Commands, AliasCatalog.Empty, AliasCatalog.Empty).Value;
        Assert.Same(syntax.Redirect, pipeline.Redirect);
    }

    [Fact]
    public void Command_in_three_bundles_is_ambiguous_with_sorted_bundle_names()
    {
        const string text = "echo x | multi";
        var error = ResolveError(text);
        Assert.Equal("Ambiguous command reference detected. Command 'multi' found in bundles 'a', 'b', and 'c'.", error.Message);
        Assert.Equal(At(text, "multi"), error.Position);
    }

    [Fact]
    public void Command_in_two_bundles_is_ambiguous() =>
        Assert.Equal(
            "Ambiguous command reference detected. Command 'pair' found in bundles 'b', and 'c'.",
            ResolveError("pair").Message);

    [Fact]
    public void Disabled_bundle_still_makes_a_name_ambiguous() =>
        Assert.Equal(
            "Ambiguous command reference detected. Command 'old' found in bundles 'legacy', and 'modern'.",
            ResolveError("old").Message);

    [Fact]
    public void Bare_name_of_a_disabled_bundles_command_reports_the_bundle_disabled() =>
        Assert.Equal(
            "Bundle 'retired' is disabled. Please enable it and try running the command again.",
            ResolveError("ancient").Message);

    [Fact]
    public void Qualified_name_of_a_disabled_bundle_is_reported() =>
        Assert.Equal(
            "Bundle 'legacy' is disabled. Please enable it and try running the command again.",
            ResolveError("legacy:old").Message);

    [Fact]
    public void Qualified_name_of_an_unknown_bundle_is_reported()
    {
        const string text = "echo | nosuch:echo a";
        var error = ResolveError(text);
        Assert.Equal("Bundle 'nosuch' was not found. Please check the name and try again.", error.Message);
        Assert.Equal(At(text, "nosuch"), error.Position);
    }

    [Fact]
    public void Qualified_name_missing_from_the_enabled_version_is_reported_with_the_bundle() =>
        Assert.Equal(
            "Bundle 'upgraded' doesn't contain a command named 'gone'.",
            ResolveError("upgraded:gone").Message);

    [Fact]
    public void Bare_name_only_in_another_version_is_not_found_as_in_Cog_1_0() =>
        Assert.Equal("Command 'gone' not found in any installed bundle.", ResolveError("gone").Message);

    [Fact]
    public void Unknown_command_is_reported_at_its_stage()
    {
        const string text = "echo a | nope x y";
        var error = ResolveError(text);
        Assert.Equal("Command 'nope' not found in any installed bundle.", error.Message);
        Assert.Equal(new SourcePosition(9, 1, 10), error.Position);
    }

    [Fact]
    public void First_failing_stage_is_reported() =>
        Assert.Equal("Command 'first' not found in any installed bundle.", ResolveError("echo | first | second").Message);

    [Fact]
    public void User_alias_shadows_site_alias_which_shadows_the_command()
    {
        var user = Aliases(("echo", "raw"));
        var site = Aliases(("echo", "seed"), ("hello", "raw"));
        Assert.Equal("operable:raw x", ResolveAndPrint("echo x", user, site));
        Assert.Equal("operable:seed x", ResolveAndPrint("echo x", AliasCatalog.Empty, site));
        Assert.Equal("operable:raw", ResolveAndPrint("hello", user, site));
    }

    [Fact]
    public void Alias_shadows_an_ambiguous_command() =>
        Assert.Equal("a:multi", ResolveAndPrint("multi", Aliases(("multi", "a:multi"))));

    [Fact]
    public void User_and_site_qualifiers_force_the_visibility()
    {
        var user = Aliases(("x", "raw"));
        var site = Aliases(("x", "seed"));
        Assert.Equal("operable:raw", ResolveAndPrint("user:x", user, site));
        Assert.Equal("operable:seed", ResolveAndPrint("site:x", user, site));
    }

    [Theory]
    [InlineData("user:echo")]
    [InlineData("site:echo")]
    public void Qualifier_user_or_site_finds_only_aliases(string text) =>
        Assert.Equal("Command 'echo' not found in any installed bundle.", ResolveError(text, Aliases(("other", "raw")), Aliases(("other", "raw"))).Message);

    [Fact]
    public void Resolving_is_repeatable_on_the_same_snapshot()
    {
        var user = Aliases(("two", "echo a | echo b"));
        Assert.Equal(ResolveAndPrint("two x | two y", user), ResolveAndPrint("two x | two y", user));
        Assert.Equal("operable:echo a x | operable:echo b | operable:echo a y | operable:echo b", ResolveAndPrint("two x | two y", user));
    }
}
