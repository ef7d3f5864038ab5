namespace Cog.Manifest.Tests;

/// <summary>
/// The fixture suite: every manifest under tests/fixtures/manifests/valid and every bundle under bundles/ validates;
/// every manifest under tests/fixtures/manifests/invalid yields exactly the located errors of its .expected.txt.
/// </summary>
public class ManifestFixtureTests
{
    public static TheoryData<string> ValidFixtures()
    {
        var data = new TheoryData<string>();
        var folder = RepositoryPaths.Fixtures("valid");
        foreach (var entry in Directory.EnumerateFileSystemEntries(folder).Order(StringComparer.Ordinal))
        {
            if (Directory.Exists(entry) || ManifestLoader.HasManifestExtension(entry))
            {
                data.Add(Path.GetFileName(entry));
            }
        }
        return data;
    }

    public static TheoryData<string> InvalidFixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Fixtures("invalid")).Order(StringComparer.Ordinal))
        {
            if (ManifestLoader.HasManifestExtension(file))
            {
                data.Add(Path.GetFileName(file));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ValidFixtures))]
    public void Valid_fixture_loads_without_errors(string name)
    {
        var path = RepositoryPaths.Fixtures("valid", name);

        var result = Directory.Exists(path) ? ManifestLoader.LoadDirectory(path) : ManifestLoader.LoadFile(path);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Manifest);
        // A fixture with a .warnings.txt yields exactly those warnings; every other one none.
        var warningsPath = Path.ChangeExtension(path, null) + ".warnings.txt";
        var expectedWarnings = File.Exists(warningsPath) ? File.ReadAllLines(warningsPath).Where(line => line.Length > 0).ToArray() : [];
        Assert.Equal(expectedWarnings, result.Warnings.Select(w => $"{w.Line}:{w.Column}: {w.Message}").ToArray());
    }

    [Theory]
    [MemberData(nameof(InvalidFixtures))]
    public void Invalid_fixture_yields_exactly_its_expected_errors(string name)
    {
        var path = RepositoryPaths.Fixtures("invalid", name);
        var expectedPath = Path.ChangeExtension(path, null) + ".expected.txt";
        Assert.True(File.Exists(expectedPath), $"{name} has no {Path.GetFileName(expectedPath)}");
        var expected = File.ReadAllLines(expectedPath).Where(line => line.Length > 0).ToArray();

        var result = ManifestLoader.LoadFile(path);

        Assert.Null(result.Manifest);
        Assert.Equal(expected, result.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}").ToArray());
        Assert.All(result.Errors, e => Assert.Equal(path, e.File));
    }

    [Fact]
    public void Every_expected_file_belongs_to_a_fixture()
    {
        var orphans = Directory.EnumerateFiles(RepositoryPaths.Fixtures("invalid"), "*.expected.txt")
            .Where(expected =>
            {
                var stem = expected[..^".expected.txt".Length];
                return !File.Exists(stem + ".yaml") && !File.Exists(stem + ".yml") && !File.Exists(stem + ".json");
            })
            .Concat(Directory.EnumerateFiles(RepositoryPaths.Fixtures("valid"), "*.warnings.txt")
                .Where(warnings => !File.Exists(warnings[..^".warnings.txt".Length] + ".yaml")))
            .ToArray();

        Assert.Empty(orphans);
    }

    /// <summary>Every bundle manifest anywhere in the repository (bundles/, test fixtures of other projects...),
    /// except the deliberately broken ones, validates against the schema and the semantic checks.</summary>
    [Fact]
    public void Every_bundle_manifest_in_the_repository_validates()
    {
        var invalid = RepositoryPaths.Fixtures("invalid");
        var manifests = Directory.EnumerateFiles(RepositoryPaths.Root, "config.*", SearchOption.AllDirectories)
            .Where(ManifestLoader.HasManifestExtension)
            .Where(path => !IsBuildOutput(path) && !path.StartsWith(invalid, StringComparison.Ordinal))
            .ToArray();

        // The `dotnet new` templates' bundles are checked without their folder: a plug-in's lib/ exists once it is built.
        var templates = Path.Combine(RepositoryPaths.Root, "relay", "Cog.Templates", "content");
        var errors = manifests
            .SelectMany(path => (path.StartsWith(templates, StringComparison.Ordinal)
                ? ManifestLoader.Parse(File.ReadAllText(path), path) : ManifestLoader.LoadFile(path)).Errors)
            .Select(e => e.ToString()).ToArray();

        Assert.NotEmpty(manifests);
        Assert.Empty(errors);
    }

    static bool IsBuildOutput(string path)
    {
        var parts = Path.GetRelativePath(RepositoryPaths.Root, path).Split(Path.DirectorySeparatorChar);
        return parts.Any(p => p is "bin" or "obj" or ".git" or "node_modules" or ".tmp");
    }
}
