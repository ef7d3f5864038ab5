using Cog.Language.Resolution;
using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

public class WhichTests
{
    static readonly AliasCatalog User = Aliases(("echo", "raw"), ("mine", "raw"));
    static readonly AliasCatalog Site = Aliases(("echo", "seed"), ("ours", "seed"));

    static WhichResult Which(string name) => CommandResolver.Which(name, Commands, User, Site);

    [Fact]
    public void User_alias_wins()
    {
        var result = Which("echo");
        Assert.Equal(WhichKind.UserAlias, result.Kind);
        Assert.Equal("raw", result.Alias?.PipelineText);
        Assert.Empty(result.Bundles);
    }

    [Fact]
    public void Site_alias_wins_over_a_command()
    {
        var result = Which("ours");
        Assert.Equal(WhichKind.SiteAlias, result.Kind);
        Assert.Equal("seed", result.Alias?.PipelineText);
    }

    [Fact]
    public void Command_lists_every_bundle_that_has_it()
    {
        var result = Which("old");
        Assert.Equal(WhichKind.Command, result.Kind);
        Assert.Null(result.Alias);
        Assert.Equal(["legacy", "modern"], result.Bundles.Select(b => b.Name));
    }

    [Fact]
    public void Unknown_name_is_not_found()
    {
        var result = Which("nope");
        Assert.Equal(WhichKind.NotFound, result.Kind);
        Assert.Null(result.Alias);
        Assert.Empty(result.Bundles);
    }
}
