using System.Diagnostics;
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
public sealed class TemplatePackagesTests : IAsyncLifetime
{
    readonly string _root = Directory.CreateTempSubdirectory("cog-templates-").FullName;

    string Feed => Path.Combine(_root, "feed");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        // The solution was built (Release) before the tests ran: pack what it built.
        var packed = await DotnetAsync(RepositoryPaths.Root, "pack", "Cog.sln", "-c", "Release", "--no-build", "-p:BuildProjectReferences=false", "-o", Feed, "--nologo");
        Assert.True(packed.Code == 0, packed.Output);
        await File.WriteAllTextAsync(Path.Combine(_root, "nuget.config"), NuGetConfig(Feed), Ct);
        var installed = await DotnetAsync(_root, "new", "install", Path.Combine(Feed, $"Cog.Templates.{PackageVersion()}.nupkg"));
        Assert.True(installed.Code == 0, installed.Output);
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData("cog-script")]
    [InlineData("cog-plugin")]
    [InlineData("cog-exec")]
    public async Task A_new_bundle_from_the_template_passes_its_tests_against_the_packages(string template)
    {
        var folder = Path.Combine(_root, template);

        var created = await DotnetAsync(_root, "new", template, "-n", "Deploy.Tools", "-o", folder);
        var tested = await DotnetAsync(folder, "test", "--project", "tests");

        Assert.True(created.Code == 0, created.Output);
        Assert.True(tested.Code == 0, tested.Output);
        Assert.Contains("succeeded: 3", tested.Output, StringComparison.Ordinal);
        Assert.Contains("name: deploy-tools", await File.ReadAllTextAsync(Path.Combine(folder, "bundle", "config.yaml"), Ct), StringComparison.Ordinal);
        var project = await File.ReadAllTextAsync(Path.Combine(folder, "tests", "Deploy.Tools.Tests.csproj"), Ct);
        Assert.Contains($"Include=\"Cog.Sdk.Testing\" Version=\"{PackageVersion()}\"", project, StringComparison.Ordinal);
        Assert.DoesNotContain(RepositoryPaths.Root, project, StringComparison.Ordinal);
    }

    /// <summary>The version every package of this build carries.</summary>
    static string PackageVersion() =>
        Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "relay", "Cog.Sdk", "bin", "Release"), "Cog.Sdk.dll", SearchOption.AllDirectories) is [var dll, ..]
            ? FileVersionInfo.GetVersionInfo(dll).ProductVersion!.Split('+')[0]
            : throw new InvalidOperationException("Cog.Sdk is not built (Release).");

    /// <summary>Cog's packages only from the feed; everything else from the machine's package folder (filled by the
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
                </packageSource>
                <packageSource key="machine-packages">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """;
    }

    async Task<(int Code, string Output)> DotnetAsync(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_CLI_HOME"] = Path.Combine(_root, "cli-home");
        start.Environment["NUGET_PACKAGES"] = Path.Combine(_root, "packages");
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // The repository's CI settings (locked restore) are not the generated projects' business.
        start.Environment.Remove("CI");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, $"dotnet {string.Join(' ', arguments)} (in {directory}) exited {process.ExitCode}:\n{await output}{await error}");
    }
}
