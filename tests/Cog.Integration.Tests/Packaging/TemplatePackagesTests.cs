using System.Diagnostics;
using Cog.Integration.Tests.Support;
using Cog.Testing;

namespace Cog.Integration.Tests.Packaging;

/// <summary>
/// What a bundle author gets from the packages: the solution's packages (Cog.Sdk, Cog.Sdk.Testing, Cog.Templates) are
/// packed into a local folder feed from this build, each <c>dotnet new</c> template is installed from it into a
/// temporary folder outside the repository, and the generated bundle's tests pass with <c>dotnet test</c> — built against
/// the packaged SDK and test kit, with no reference into this repository.
/// </summary>
/// <remarks>Runs the real <c>dotnet</c>: a private CLI home (templates) and a private package folder (so Cog packages
/// come from this feed, never from an earlier run); other packages are restored from the machine's package folder.</remarks>
[Trait("Category", "Packaging")]
[Collection(nameof(TemplateFeed))]
public sealed class TemplatePackagesTests(TemplateFeed feed)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("cog-script")]
    [InlineData("cog-plugin")]
    [InlineData("cog-exec")]
    public async Task A_new_bundle_from_the_template_passes_its_tests_against_the_packages(string template)
    {
        var folder = Path.Combine(feed.Root, template);

        var created = await feed.DotnetAsync(feed.Root, "new", template, "-n", "Deploy.Tools", "-o", folder);
        var tested = await feed.DotnetAsync(folder, "test", "--project", "tests");

        Assert.True(created.Code == 0, created.Output);
        Assert.True(tested.Code == 0, tested.Output);
        Assert.Contains("succeeded: 3", tested.Output, StringComparison.Ordinal);
        Assert.Contains("name: deploy-tools", await File.ReadAllTextAsync(Path.Combine(folder, "bundle", "config.yaml"), Ct), StringComparison.Ordinal);
        var project = await File.ReadAllTextAsync(Path.Combine(folder, "tests", "Deploy.Tools.Tests.csproj"), Ct);
        Assert.Contains($"Include=\"Cog.Sdk.Testing\" Version=\"{TemplateFeed.PackageVersion()}\"", project, StringComparison.Ordinal);
        Assert.DoesNotContain(RepositoryPaths.Root, project, StringComparison.Ordinal);
    }
}

/// <summary>The test classes that use the packages of this build (<see cref="TemplateFeed"/>): they share one feed.</summary>
[CollectionDefinition(nameof(TemplateFeed))]
public sealed class TemplateFeedCollection : ICollectionFixture<TemplateFeed>;

/// <summary>The packages of this build in a folder feed, and Cog.Templates installed from it, in a temporary folder
/// (once for the test classes of its collection: packing takes a while).</summary>
public sealed class TemplateFeed : IAsyncLifetime
{
    /// <summary>The temporary folder: the feed, the CLI home, the package folder and the generated bundles.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("cog-templates-").FullName;

    string Feed => Path.Combine(Root, "feed");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // The solution was built (Release) before the tests ran: pack what it built.
        var packed = await DotnetAsync(RepositoryPaths.Root, "pack", "Cog.sln", "-c", "Release", "--no-build", "-p:BuildProjectReferences=false", "-o", Feed, "--nologo");
        Assert.True(packed.Code == 0, packed.Output);
        await File.WriteAllTextAsync(Path.Combine(Root, "nuget.config"), NuGetConfig(Feed), Ct);
        var installed = await DotnetAsync(Root, "new", "install", Path.Combine(Feed, $"Cog.Templates.{PackageVersion()}.nupkg"));
        Assert.True(installed.Code == 0, installed.Output);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>The version every package of this build carries.</summary>
    public static string PackageVersion() =>
        Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "relay", "Cog.Sdk", "bin", "Release"), "Cog.Sdk.dll", SearchOption.AllDirectories) is [var dll, ..]
            ? FileVersionInfo.GetVersionInfo(dll).ProductVersion!.Split('+')[0]
            : throw new InvalidOperationException("Cog.Sdk is not built (Release).");

    /// <summary>Cog's packages (and the cogctl tool) only from the feed; everything else from the machine's package folder (filled by the
    /// solution's own restore) and the configured registry.</summary>
    static string NuGetConfig(string feed)
    {
        var machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="cog-feed" value="{feed}" />
                <add key="machine-packages" value="{machinePackages}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="cog-feed">
                  <package pattern="Cog.*" />
                  <package pattern="cogctl" />
                </packageSource>
                <packageSource key="machine-packages">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """;
    }

    /// <summary>Runs dotnet with this folder's CLI home and package folder.</summary>
    public async Task<(int Code, string Output)> DotnetAsync(string directory, params string[] arguments)
    {
        var (code, output, error) = await Programs.RunAsync("dotnet", arguments, new Dictionary<string, string?>
        {
            ["DOTNET_CLI_HOME"] = Path.Combine(Root, "cli-home"),
            ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            // The repository's CI settings (locked restore) are not the generated projects' business.
            ["CI"] = null,
        }, directory);
        return (code, $"dotnet {string.Join(' ', arguments)} (in {directory}) exited {code}:\n{output}{error}");
    }
}
