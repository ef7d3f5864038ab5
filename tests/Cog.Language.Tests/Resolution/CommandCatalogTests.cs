using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using static Cog.Language.Tests.Resolution.Catalogs;

namespace Cog.Language.Tests.Resolution;

public class CommandCatalogTests
{
    [Fact]
    public void Bundles_containing_a_name_are_sorted_and_include_disabled_ones()
    {
        var catalog = new CommandCatalog(
        [
            Enabled("zeta", "1.0.0", "x"),
            new InstalledBundle("Alpha", null, [], ["x"]),
            Enabled("beta", "1.0.0", "x"),
        ]);
        Assert.Equal(["Alpha", "beta", "zeta"], catalog.BundlesContaining("x").Select(b => b.Name));
        Assert.Empty(catalog.BundlesContaining("y"));
    }

    [Fact]
    public void Bundles_are_found_by_exact_name()
    {
        Assert.Equal("s3", Commands.FindBundle("s3")?.Name);
        Assert.Null(Commands.FindBundle("S3"));
    }

    [Fact]
    public void Duplicate_bundle_names_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new CommandCatalog([Enabled("a", "1", "x"), Enabled("a", "2", "y")]));

    [Fact]
    public void Enabled_commands_count_as_names_of_any_version()
    {
        var bundle = new InstalledBundle("b", "2.0.0", [new BundleCommand("new", [])], ["old", "new"]);
        Assert.Equal(["new", "old"], bundle.CommandNamesInAnyVersion.Order(StringComparer.Ordinal));
        Assert.NotNull(bundle.FindCommand("new"));
        Assert.Null(bundle.FindCommand("old"));
        Assert.True(bundle.HasCommandInAnyVersion("old"));
    }

    [Fact]
    public void Disabled_bundle_has_no_commands()
    {
        Assert.Throws<ArgumentException>(() => new InstalledBundle("b", null, [new BundleCommand("x", [])]));
        var disabled = new InstalledBundle("b", null, [], ["x"]);
        Assert.False(disabled.IsEnabled);
        Assert.Null(disabled.FindCommand("x"));
    }

    [Fact]
    public void Duplicate_command_names_are_rejected() =>
        Assert.Throws<ArgumentException>(() => new InstalledBundle("b", "1", [new BundleCommand("x", []), new BundleCommand("x", [])]));

    [Fact]
    public void Duplicate_alias_names_are_rejected() =>
        Assert.Throws<ArgumentException>(() => Aliases(("a", "echo"), ("a", "raw")));

    [Fact]
    public void Alias_without_stages_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new AliasCatalog(
            [new AliasDefinition("a", "", new PipelineSyntax([], null, default))]));
}
