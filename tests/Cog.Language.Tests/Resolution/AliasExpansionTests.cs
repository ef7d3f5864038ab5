using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Text;
using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

public class AliasExpansionTests
{
    static readonly AliasCatalog User = Aliases(
        ("hi", "echo hello"),
        ("two", "echo a | echo b"),
        ("tell", "echo told > #ops"),
        ("outer", "echo a | tell"),
        ("wrap", "inner x"),
        ("inner", "echo a"),
        ("broken", "echo | nope"),
        ("chain", "s3:list-buckets --region=us-east-1 corp-prod-* && bucket-info"));

    [Theory]
    [InlineData("hi", "operable:echo hello")]
    [InlineData("hi there", "operable:echo hello there")]
    [InlineData("two --z=1 q", "operable:echo a --z=1 q | operable:echo b")]
    [InlineData("wrap y", "operable:echo a x y")]
    [InlineData("echo x | two | raw", "operable:echo x | operable:echo a | operable:echo b | operable:raw")]
    [InlineData("echo x && two", "operable:echo x && operable:echo a | operable:echo b")]
    [InlineData("chain | two", "s3:list-buckets --region=us-east-1 corp-prod-* && s3:bucket-info | operable:echo a | operable:echo b")]
    [InlineData("user:hi", "operable:echo hello")]
    public void Alias_pipeline_is_spliced_in_place_of_the_stage_with_arguments_on_its_first_stage(string text, string expected) =>
        Assert.Equal(expected, ResolveAndPrint(text, User));

    [Fact]
    public void Stages_from_an_alias_carry_the_users_stage_and_the_alias()
    {
        const string text = "echo x | two q";
        var pipeline = Resolve(text, User).Value;
        var userStage = Syntax.Parse(text).Stages[1].Span;
        Assert.All(pipeline.Stages.Skip(1), stage => Assert.Equal(userStage, stage.Span));
        Assert.All(pipeline.Stages.Skip(1), stage => Assert.Equal([new AliasExpansion("two", AliasVisibility.User)], stage.Aliases));
        Assert.Empty(pipeline.Stages[0].Aliases);
    }

    [Fact]
    public void Nested_aliases_report_every_alias_from_the_one_the_user_wrote_inwards() =>
        Assert.Equal(
            [new AliasExpansion("wrap", AliasVisibility.User), new AliasExpansion("inner", AliasVisibility.User)],
            Assert.Single(Resolve("wrap", User).Value.Stages).Aliases);

    [Fact]
    public void A_site_alias_inside_a_user_alias_is_reported_as_a_site_alias()
    {
        var stage = Assert.Single(CommandResolver.Resolve(Syntax.Parse("mine"), Commands, Aliases(("mine", "greet")), Aliases(("greet", "echo site")))
            .Value.Stages);
        Assert.Equal([new AliasExpansion("mine", AliasVisibility.User), new AliasExpansion("greet", AliasVisibility.Site)], stage.Aliases);
    }

    [Fact]
    public void Arguments_given_to_the_alias_are_the_users_syntax_nodes()
    {
        var syntax = Syntax.Parse("hi there");
        var stage = CommandResolver.Resolve(syntax, Commands, User, AliasCatalog.Empty).Value.Stages[0];
        Assert.Same(syntax.Stages[0].Arguments[0], stage.Arguments[1]);
    }

    [Theory]
    [InlineData("tell", "operable:echo told > #ops")]
    [InlineData("tell > #dev", "operable:echo told > #dev")]
    [InlineData("tell *> #dev @bob", "operable:echo told *> #dev @bob")]
    [InlineData("echo x | tell", "operable:echo x | operable:echo told > #ops")]
    [InlineData("outer", "operable:echo a | operable:echo told > #ops")]
    [InlineData("outer > me", "operable:echo a | operable:echo told > me")]
    [InlineData("two > #dev", "operable:echo a | operable:echo b > #dev")]
    public void Redirect_after_the_alias_replaces_the_aliases_own(string text, string expected) =>
        Assert.Equal(expected, ResolveAndPrint(text, User));

    [Theory]
    [InlineData("tell | echo", "tell", 0)]
    [InlineData("echo | tell && raw > #dev", "tell", 7)]
    [InlineData("outer | raw", "tell", 0)]
    public void Alias_ending_with_a_redirect_cannot_be_used_before_the_last_stage(string text, string alias, int offset)
    {
        var error = ResolveError(text, User);
        Assert.Equal($"Alias '{alias}' ends with a redirect, so it can only be used as the last stage of a pipeline.", error.Message);
        Assert.Equal(offset, error.Position.Offset);
    }

    [Fact]
    public void Error_inside_an_alias_is_positioned_at_the_users_stage()
    {
        const string text = "echo a | broken";
        var error = ResolveError(text, User);
        Assert.Equal("Command 'nope' not found in any installed bundle.", error.Message);
        Assert.Equal(new SourcePosition(9, 1, 10), error.Position);
    }

    [Fact]
    public void Site_alias_expands_when_no_user_alias_has_the_name() =>
        Assert.Equal("operable:echo site", ResolveAndPrint("greet", AliasCatalog.Empty, Aliases(("greet", "echo site"))));

    [Fact]
    public void Alias_may_name_a_qualified_command_or_another_visibility() =>
        Assert.Equal(
            "operable:echo site | operable:raw",
            ResolveAndPrint("mine", Aliases(("mine", "site:greet | operable:raw")), Aliases(("greet", "echo site"))));

    [Fact]
    public void Join_of_the_aliases_stage_goes_to_its_first_stage()
    {
        var pipeline = Resolve("echo x && two", User).Value;
        Assert.Equal([StageJoin.None, StageJoin.And, StageJoin.Pipe], pipeline.Stages.Select(s => s.Join));
    }
}
