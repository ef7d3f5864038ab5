namespace Cog.Manifest.Tests;

/// <summary>
/// The example bundles under bundles/examples live next to the built-in <c>operable</c> bundle: <c>./build.sh run</c>
/// serves them all from one relay, so they must not make any built-in command ambiguous.
/// </summary>
public class ExampleBundlesTests
{
    [Fact]
    public void No_example_command_has_the_name_of_an_operable_command()
    {
        var operable = Load(Path.Combine(RepositoryPaths.Root, "bundles", "operable"));
        var builtIns = operable.Commands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var examples = Directory.EnumerateDirectories(Path.Combine(RepositoryPaths.Root, "bundles", "examples"))
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToArray();

        var clashes = examples
            .SelectMany(bundle => bundle.Commands.Where(c => builtIns.Contains(c.Name)).Select(c => $"{bundle.Name}:{c.Name}"))
            .ToArray();

        Assert.NotEmpty(examples);
        Assert.True(clashes.Length == 0,
            $"Example commands named like operable commands: {string.Join(", ", clashes)}. `./build.sh run` installs the examples "
            + "next to the operable bundle, so the bare built-in name would become ambiguous (\"Ambiguous command reference "
            + "detected...\"): even `echo hello | echo $body[0]` would fail. Give the example command another name.");
    }

    static BundleManifest Load(string folder)
    {
        var result = ManifestLoader.LoadDirectory(folder);
        Assert.True(result.Succeeded, $"{folder}: {string.Join("\n", result.Errors)}");
        return result.Manifest!;
    }
}
