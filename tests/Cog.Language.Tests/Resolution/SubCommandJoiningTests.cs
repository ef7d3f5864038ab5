using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

public class SubCommandJoiningTests
{
    [Theory]
    [InlineData("rule create foo:bar site:x", "operable:rule-create foo:bar site:x")]
    [InlineData("rule list", "operable:rule-list")]
    [InlineData("rule create x y", "operable:rule-create x y")]
    [InlineData("rule frobnicate now", "operable:rule frobnicate now")]
    [InlineData("rule \"create\" x", "operable:rule-create x")]
    [InlineData("rule 'list'", "operable:rule-list")]
    [InlineData("rule \"create!\"", "operable:rule \"create!\"")]
    [InlineData("rule --enable create", "operable:rule --enable create")]
    [InlineData("rule 5 create", "operable:rule 5 create")]
    [InlineData("rule true create", "operable:rule true create")]
    [InlineData("rule 1.5 create", "operable:rule 1.5 create")]
    [InlineData("rule create --enable", "operable:rule-create --enable")]
    [InlineData("alias create x echo", "operable:alias-create x echo")]
    [InlineData("rule \"cre ate\"", "operable:rule \"cre ate\"")]
    [InlineData("rule $x create", "operable:rule $x create")]
    [InlineData("rule \"${x}\" create", "operable:rule \"${x}\" create")]
    [InlineData("rule create\tx", "operable:rule-create x")]
    public void Following_words_join_the_command_name_longest_first(string text, string expected) =>
        Assert.Equal(expected, ResolveAndPrint(text));

    [Theory]
    [InlineData("operable:rule create x", "operable:rule-create x")]
    [InlineData("operable:rule frobnicate", "operable:rule frobnicate")]
    public void Qualified_sub_commands_fall_back_to_shorter_candidates(string text, string expected) =>
        Assert.Equal(expected, ResolveAndPrint(text));

    [Fact]
    public void Qualified_name_missing_from_the_bundle_names_the_bare_command() =>
        Assert.Equal(
            "Bundle 'operable' doesn't contain a command named 'nope'.",
            ResolveError("operable:nope create x").Message);

    [Fact]
    public void Not_found_names_the_command_as_written() =>
        Assert.Equal("Command 'nope' not found in any installed bundle.", ResolveError("nope create x").Message);

    [Fact]
    public void Ambiguous_longer_candidate_is_an_error_even_if_a_shorter_one_resolves() =>
        Assert.Equal(
            "Ambiguous command reference detected. Command 'rule-dup' found in bundles 'a', and 'b'.",
            ResolveError("rule dup").Message);

    [Fact]
    public void Emoji_alias_resolves() =>
        Assert.Equal("operable:echo ship it", ResolveAndPrint(":shipit: it", Aliases((":shipit:", "echo ship"))));

    [Fact]
    public void Alias_names_join_like_command_names() =>
        Assert.Equal("operable:echo prod x", ResolveAndPrint("deploy prod x", Aliases(("deploy-prod", "echo prod"))));

    [Fact]
    public void Arguments_given_to_an_alias_do_not_join_the_alias_first_command()
    {
        // The alias text is resolved on its own; the words given to the alias are appended afterwards.
        Assert.Equal("operable:rule create x", ResolveAndPrint("r create x", Aliases(("r", "rule"))));
    }

    [Fact]
    public void Words_inside_an_alias_text_join() =>
        Assert.Equal("operable:rule-create foo extra", ResolveAndPrint("mk extra", Aliases(("mk", "rule create foo"))));

    [Theory]
    [InlineData("a-b_C9", true)]
    [InlineData("-", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a:b", false)]
    [InlineData("a.b", false)]
    [InlineData("é", false)]
    [InlineData("$x", false)]
    public void Words_are_ascii_letters_digits_underscores_and_hyphens(string text, bool expected) =>
        Assert.Equal(expected, Cog.Language.Resolution.PipelineResolution.IsWord(text));
}
