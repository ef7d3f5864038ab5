using System.Text.Json;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Isolation;
using static Cog.Relay.Tests.Execution.Executables.ExecutableTestKit;

namespace Cog.Relay.Tests.Execution.Containers;

/// <summary>What the relay asks the engine for, and what it refuses to mount, without an engine.</summary>
public sealed class ContainerSpecTests
{
    static readonly DockerImage Image = new("cogcmd/net", "0.4.0", []);

    static string SpecJson(SandboxOptions sandbox, string bundle)
    {
        using var engine = new ContainerEngine(new ContainerOptions("/nonexistent.sock", sandbox));
        var invocation = new CommandInvocation(Context(bundle: bundle, arguments: ["\"8.8.8.8\""]), Command("/home/bundle/ping.sh"), "/unused", Image: Image);
        return JsonSerializer.Serialize(engine.Spec(invocation, Image, "/home/bundle/ping.sh"));
    }

    [Fact]
    public void A_bundle_without_network_gets_none_and_every_limit_of_the_sandbox()
    {
        var json = SpecJson(new SandboxOptions { MemoryBytes = 128L << 20, ContainerCpus = 2, Processes = 100, OpenFiles = 200 }, "net");

        using var spec = JsonDocument.Parse(json);
        var root = spec.RootElement;
        Assert.Equal("cogcmd/net:0.4.0", root.GetProperty("Image").GetString());
        Assert.Equal(["/home/bundle/ping.sh"], root.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.True(root.GetProperty("OpenStdin").GetBoolean() && root.GetProperty("StdinOnce").GetBoolean());
        Assert.False(root.GetProperty("Tty").GetBoolean());
        var host = root.GetProperty("HostConfig");
        Assert.Equal("none", host.GetProperty("NetworkMode").GetString());
        Assert.Equal(128L << 20, host.GetProperty("Memory").GetInt64());
        Assert.Equal(128L << 20, host.GetProperty("MemorySwap").GetInt64());
        Assert.Equal(2_000_000_000L, host.GetProperty("NanoCpus").GetInt64());
        Assert.Equal("""[{"Name":"nofile","Soft":200,"Hard":200},{"Name":"nproc","Soft":100,"Hard":100}]""", host.GetProperty("Ulimits").GetRawText());
        Assert.Equal("""["ALL"]""", host.GetProperty("CapDrop").GetRawText());
        Assert.Equal("yes", root.GetProperty("Labels").GetProperty(ContainerEngine.RelayLabel).GetString());
        var env = root.GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Contains("COG_ARGV_0=8.8.8.8", env);
        Assert.Contains("COG_BUNDLE=net", env);
        // The image's PATH and HOME stand: no relay variable is passed.
        Assert.DoesNotContain(env, v => v!.StartsWith("PATH=", StringComparison.Ordinal) || v.StartsWith("HOME=", StringComparison.Ordinal));
    }

    [Fact]
    public void A_network_bundle_gets_the_engine_network()
    {
        var json = SpecJson(new SandboxOptions { NetworkBundles = ["net"] }, "net");

        using var spec = JsonDocument.Parse(json);
        Assert.Equal("bridge", spec.RootElement.GetProperty("HostConfig").GetProperty("NetworkMode").GetString());
    }

    [Fact]
    public async Task A_bind_outside_the_bundles_writable_folders_is_refused()
    {
        using var engine = new ContainerEngine(new ContainerOptions("/nonexistent.sock",
            new SandboxOptions { WritableFolders = System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<string>>.Empty.Add("s3", ["/srv/s3"]) }));

        var refused = await engine.PrepareAsync("s3", new DockerImage("cogcmd/s3", "1", ["/etc:/host-etc"]), TestContext.Current.CancellationToken);
        var unreachable = await engine.PrepareAsync("s3", new DockerImage("cogcmd/s3", "1", ["/srv/s3:/data"]), TestContext.Current.CancellationToken);

        Assert.Equal(ContainerErrors.BindNotWritable("s3", "/etc:/host-etc"), refused);
        Assert.StartsWith("The container engine at /nonexistent.sock did not answer: ", unreachable, StringComparison.Ordinal);
    }
}
