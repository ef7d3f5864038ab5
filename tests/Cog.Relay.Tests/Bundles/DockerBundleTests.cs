using Cog.Manifest.Packages;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Isolation;
using Cog.Relay.Tests.Execution.Containers;
using Cog.Sdk;

namespace Cog.Relay.Tests.Bundles;

/// <summary>A Cog 1.0 Docker bundle (<c>docker: {image, tag}</c>, absolute executables inside the image) on a relay with
/// and without a container engine: it runs in containers, or it is refused with the reason in the announce's
/// <c>failures</c> — never run as host paths.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DockerBundleTests(PodmanEngine podman) : IClassFixture<PodmanEngine>, IAsyncLifetime
{
    // Cog 1.0's shape (operable/cog priv/schemas/bundle_config_schema_v4.yaml: docker.image, docker.tag).
    const string Manifest = $"""
        ---
        cog_bundle_version: 4
        name: dockerdemo
        description: A Cog 1.0 Docker bundle
        version: 0.1.0
        docker:
          image: {PodmanEngine.Image}
          tag: "{PodmanEngine.Tag}"
        commands:
          greet:
            executable: /bundle/greet
            rules:
              - allow
        """;

    BundleTestKit _kit = null!;

    string Dev => _kit.Folder("dev");

    public async ValueTask InitializeAsync()
    {
        _kit = await BundleTestKit.StartAsync();
        var folder = Directory.CreateDirectory(Path.Combine(Dev, "dockerdemo")).FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "config.yaml"), Manifest, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _kit.DisposeAsync();

    [Fact]
    public async Task A_relay_without_a_container_engine_refuses_the_bundle_with_the_reason()
    {
        var host = _kit.Host(_kit.Options() with { DevDirectory = Dev });
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Empty(host.Current.Ready);
        var failure = Assert.Single(host.Current.Failures);
        Assert.Equal(("dockerdemo", "0.1.0"), (failure.Name, failure.Version));
        Assert.Equal(ContainerErrors.NoEngine("dockerdemo", PodmanEngine.Image + ":" + PodmanEngine.Tag), failure.Message);
    }

    [Fact]
    public async Task A_relay_with_a_container_engine_runs_the_bundles_command_in_a_container()
    {
        var host = _kit.Host(_kit.Options() with { DevDirectory = Dev, Containers = new ContainerOptions(podman.Socket, new SandboxOptions()) });
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Empty(host.Current.Failures);
        // A dev folder's bundle is served under its dev version (the manifest's version and its digest).
        var ready = Assert.Single(host.Current.Ready, b => b.Name == "dockerdemo");
        Assert.Equal(DevVersions.Of("0.1.0", ready.Digest), ready.Version);
        var outcome = await BundleTestKit.RunAsync(host, "dockerdemo", ready.Version, "greet", "world");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("hello world", Assert.Single(outcome.Items).GetProperty("greeting").GetString());
        Assert.Empty(await podman.RelayContainersAsync("dockerdemo"));
    }
}
