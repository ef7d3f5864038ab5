using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Tests.Execution.Executables;
using Cog.Relay.Isolation;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Executables.ExecutableTestKit;

namespace Cog.Relay.Tests.Execution.Containers;

/// <summary>Docker bundles' commands run in real containers: Podman's Docker-compatible API, a locally built busybox
/// image, Cog 1.0-style shell commands (operable/go-relay relay/engines/exec/docker_env.go ran them the same way: one
/// container of the bundle's image per execution, the executable as its command, stdin attached, removed after).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ContainerEngineTests(PodmanEngine podman) : IClassFixture<PodmanEngine>, IDisposable
{
    static readonly DockerImage Image = new(PodmanEngine.Image, PodmanEngine.Tag, []);

    static readonly SandboxOptions Sandbox = new() { OpenFiles = 256, Processes = 128, MemoryBytes = 64L << 20 };

    readonly ContainerEngine _engine = new(new ContainerOptions(podman.Socket, Sandbox));

    public void Dispose() => _engine.Dispose();

    Task<ExecutionOutcome> RunAsync(string executable, CommandContext context, CancellationToken? cancellationToken = null) =>
        _engine.RunAsync(new CommandInvocation(context, Command(executable), "/unused", Image: Image), ExecutionLimits.Default,
            cancellationToken ?? TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_cog_1_0_command_runs_in_a_container_with_its_environment_stdin_and_stdout()
    {
        var log = new RecordingLog();
        var outcome = await RunAsync("/bundle/greet", Context(log, bundle: "demo", command: "greet", arguments: ["\"world\""], input: """{"n":1}"""));

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("greeting", outcome.Template);
        Assert.Equal(["""{"greeting":"hello world","bundle":"demo","command":"greet","room":"ops","argc":"1","input":{"n":1}}"""],
            outcome.Items.Select(i => i.GetRawText()));
        Assert.Contains(("info", "greeting world"), log.Entries);
        Assert.Empty(await podman.RelayContainersAsync("demo"));
    }

    [Fact]
    public async Task A_failing_command_reads_as_a_failing_executable()
    {
        var outcome = await RunAsync("/bundle/fail", Context());

        Assert.Equal(ExecutionOutcome.Error("the disk is full"), outcome with { Items = [] });
        Assert.Empty(await podman.RelayContainersAsync("demo"));
    }

    [Fact]
    public async Task The_container_has_no_network_the_sandbox_limits_and_only_cog_variables()
    {
        var outcome = await RunAsync("/bundle/confinement", Context(bundle: "demo"));

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        var body = outcome.Items.Single().GetProperty("body").EnumerateArray().Select(l => l.GetString()).ToArray();
        Assert.Equal("net: lo ", body[0]);
        Assert.Equal("nofile: 256", body[1]);
        Assert.Equal("nproc: 128", body[2]);
        // The image's PATH, never the relay's; none of the relay's secrets.
        Assert.Contains("PATH=/bin ", body[3], StringComparison.Ordinal);
        Assert.Contains("COG_BUNDLE=demo ", body[3], StringComparison.Ordinal);
        Assert.DoesNotContain("RELAY_COG_TOKEN", body[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_command_is_stopped_and_its_container_removed()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(3));

        var outcome = await RunAsync("/bundle/hang", Context(), cancel.Token);

        Assert.Equal(ExecutionOutcome.Error(ExecutableErrors.Cancelled), outcome);
        Assert.Empty(await podman.RelayContainersAsync("demo"));
    }

    [Fact]
    public async Task A_relative_executable_is_refused_before_any_container_is_created()
    {
        var outcome = await RunAsync("bin/greet", Context());

        Assert.Equal(ContainerErrors.RelativeExecutable("bin/greet"), outcome.Message);
    }

    [Fact]
    public async Task Preparing_finds_a_local_image_and_names_a_missing_one()
    {
        Assert.Null(await _engine.PrepareAsync("demo", Image, TestContext.Current.CancellationToken));

        var missing = await _engine.PrepareAsync("demo", new DockerImage("localhost/cog-no-such-image", "7", []), TestContext.Current.CancellationToken);

        Assert.StartsWith("The container engine has no image localhost/cog-no-such-image:7 and could not pull it: ", missing, StringComparison.Ordinal);
    }
}
