namespace Cog.Integration.Tests.Support;

/// <summary>Paths in the repository and in the test's output folder.</summary>
static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cog.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No Cog.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>An example bundle's folder: bundles/examples/<paramref name="name"/>.</summary>
    public static string Example(string name) => Path.Combine(Root(), "bundles", "examples", name);

    /// <summary>One of this project's own bundles (copied beside the tests from Bundles/).</summary>
    public static string TestBundle(string name) => Path.Combine(AppContext.BaseDirectory, "Bundles", name);

    /// <summary>The build output of a fixture project (tests/fixtures/bundles), copied beside the tests.</summary>
    public static string Fixture(string project) => Path.Combine(AppContext.BaseDirectory, "fixtures", project);
}
