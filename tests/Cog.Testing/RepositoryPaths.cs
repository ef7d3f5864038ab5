namespace Cog.Testing;

/// <summary>Files of the repository, found from the test binaries by walking up to <c>Cog.sln</c>, so tests use the
/// example bundles and fixtures where they are instead of copies.</summary>
public static class RepositoryPaths
{
    static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository's root folder (the one holding <c>Cog.sln</c>).</summary>
    public static string Root => RootPath.Value;

    /// <summary>An example bundle's folder: <c>bundles/examples/NAME</c>.</summary>
    public static string Example(string name) => Path.Combine(Root, "bundles", "examples", name);

    /// <summary>The bundle checker executable in the repository's build output, for the configuration and framework the
    /// tests run with (<c>runtime/Cog.BundleChecker/bin/&lt;configuration&gt;/&lt;framework&gt;/Cog.BundleChecker.dll</c>).
    /// A test project that installs bundles references that project for the build order.</summary>
    public static string BundleChecker
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(Root, "runtime", "Cog.BundleChecker", "bin", output.Parent!.Name, output.Name, "Cog.BundleChecker.dll");
        }
    }

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cog.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Cog.sln above {AppContext.BaseDirectory}.");
    }
}
