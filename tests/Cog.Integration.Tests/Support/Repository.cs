using Cog.Testing;

namespace Cog.Integration.Tests.Support;

/// <summary>Paths in the repository and in the test's output folder.</summary>
static class Repository
{
    public static string Root() => RepositoryPaths.Root;

    /// <summary>An example bundle's folder: bundles/examples/<paramref name="name"/>.</summary>
    public static string Example(string name) => RepositoryPaths.Example(name);

    /// <summary>One of this project's own bundles (copied beside the tests from Bundles/).</summary>
    public static string TestBundle(string name) => Path.Combine(AppContext.BaseDirectory, "Bundles", name);

    /// <summary>The build output of a fixture project (tests/fixtures/bundles), copied beside the tests.</summary>
    public static string Fixture(string project) => Path.Combine(AppContext.BaseDirectory, "fixtures", project);
}
