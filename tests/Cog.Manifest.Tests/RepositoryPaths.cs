namespace Cog.Manifest.Tests;

/// <summary>Finds files of the repository from the test binaries (walking up to Cog.sln), so fixtures are never copied.</summary>
static class RepositoryPaths
{
    static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Fixtures(params string[] parts) =>
        Path.Combine([Root, "tests", "fixtures", "manifests", .. parts]);

    static string FindRoot()
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
}
