using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;

namespace Cog.Integration.Tests.Faults;

/// <summary>
/// A server with its dev relay serving the hostile <c>escape-probes</c> bundle (plug-in commands, scripts and an
/// executable; tests/fixtures/bundles/Cog.Fixtures.EscapeProbes, built) and <c>secret-holder</c>, whose configuration holds a
/// secret. Secrets the probes must not reach: another relay's token file and the server's audit key (files outside the
/// bundle), a variable of the relay's own environment, and the other bundle's configuration in a live process.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EscapeWorld : IAsyncLifetime
{
    /// <summary>In the relay's environment (inherited from this process through the server), never in a command's.</summary>
    public const string RelayCanaryVariable = "COG_ESCAPE_RELAY_CANARY";

    public string RelayCanary { get; } = "relay-canary-" + Guid.NewGuid().ToString("N");

    public string OtherRelayToken { get; } = "other-relay-token-" + Guid.NewGuid().ToString("N");

    public string HolderSecret { get; } = "holder-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>Another relay's token file on the same host (mode 0600, as an operator keeps it).</summary>
    public string OtherRelayTokenFile { get; private set; } = "";

    internal ServerEnvironment Env { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Environment.SetEnvironmentVariable(RelayCanaryVariable, RelayCanary);
        Env = await ServerEnvironment.StartAsync((options, root) =>
        {
            options.Database.Provider = "sqlite";
            var bundles = Path.Combine(root, "bundles");
            ServerEnvironment.CopyBundle(Path.Combine(Repository.Root(), "tests", "fixtures", "bundles", "Cog.Fixtures.EscapeProbes"), Path.Combine(bundles, "escape-probes"));
            ServerEnvironment.CopyBundle(Repository.TestBundle("secret-holder"), Path.Combine(bundles, "secret-holder"));
            OtherRelayTokenFile = Path.Combine(root, "other-relay", "relay.token");
            Directory.CreateDirectory(Path.GetDirectoryName(OtherRelayTokenFile)!);
            File.WriteAllText(OtherRelayTokenFile, OtherRelayToken);
            File.SetUnixFileMode(OtherRelayTokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        });
        var config = await Env.CogctlWithInputAsync(JsonSerializer.Serialize(new { HOLDER_SECRET = HolderSecret }), "bundle", "config", "create", "secret-holder", "-");
        Assert.True(config.Code == 0, config.ToString());
        await Env.WaitForRelayAsync("escape-probes:ok");
        await Env.WaitForRelayAsync("secret-holder:hold 0");
        await AssertRelayConfinesAsync();
    }

    /// <summary>The suite tests the confinement a relay gives on a host that has it (bubblewrap, root): a relay that
    /// reports a missing mechanism would run these probes unconfined, so the suite stops here and says why.</summary>
    async Task AssertRelayConfinesAsync()
    {
        var (status, body) = await Env.SendAsync(HttpMethod.Get, "/v1/relays", null);
        Assert.Equal(HttpStatusCode.OK, status);
        var relay = body.GetProperty("relays").EnumerateArray().Single(r => r.GetProperty("name").GetString() == Env.Server.Options.Dev.RelayId);
        var missing = relay.GetProperty("status").GetProperty("isolation").EnumerateArray()
            .Where(m => !m.GetProperty("available").GetBoolean() && m.GetProperty("name").GetString() != "cgroup-v2")
            .Select(m => $"{m.GetProperty("name").GetString()}: {m.GetProperty("detail").GetString()}").ToList();
        Assert.True(missing.Count == 0, "The escape suite needs a host that confines bundle code (./build.sh test installs bubblewrap; run as root). Missing: " + string.Join("; ", missing));
    }

    public async ValueTask DisposeAsync()
    {
        Environment.SetEnvironmentVariable(RelayCanaryVariable, null);
        if (Env is not null)
            await Env.DisposeAsync();
    }
}

/// <summary>
/// The escape suite: every probe of the review that broke in-process execution, run as bundle code on a real relay.
/// Each must be contained — the probe fails, or only its worker dies; the invocation gets a clear error; the next
/// invocation on the same relay succeeds; and no secret of another bundle or of the relay is readable.
/// </summary>
[Trait("Category", "Adversarial")]
[Collection(AdversarialCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EscapeTests(EscapeWorld world) : IClassFixture<EscapeWorld>
{
    ServerEnvironment Env => world.Env;

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Every text secret a probe must never show (the audit key is raw bytes: its probes must fail instead).</summary>
    IEnumerable<string> Secrets => [world.RelayCanary, world.OtherRelayToken, world.HolderSecret];

    /// <summary>Runs a probe and checks that its whole answer (output or error) holds no secret.</summary>
    async Task<JsonElement> ProbeAsync(string pipeline)
    {
        var run = await Env.RunAsync(pipeline);
        var text = run.ToString();
        foreach (var secret in Secrets)
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"'{pipeline}' revealed a secret: {text}");
        return run;
    }

    async Task AssertNextInvocationSucceedsAsync(string after)
    {
        var next = await Env.RunAsync("escape-probes:ok");
        Assert.True(next.GetProperty("status").GetString() == "succeeded", $"after '{after}', escape-probes:ok did not succeed: {next}");
    }

    static void AssertFailed(JsonElement run, string because)
    {
        Assert.True(run.GetProperty("status").GetString() != "succeeded", $"{because}, but the probe succeeded: {run}");
        Assert.False(string.IsNullOrWhiteSpace(run.GetProperty("message").GetString()), $"a failed probe has a message: {run}");
    }

    [Fact]
    public async Task Files_outside_the_bundle_are_not_readable_directly_through_delegates_or_from_an_executable()
    {
        var auditKey = Path.Combine(Env.Server.Options.DataDirectory, "audit.key");
        foreach (var path in (string[])[world.OtherRelayTokenFile, auditKey])
        {
            AssertFailed(await ProbeAsync($"escape-probes:read-file '{path}'"), $"reading {path}");
            AssertFailed(await ProbeAsync($"escape-probes:delegate-read '{path}'"), $"reading {path} through CreateDelegate and DynamicInvoke");
            var exec = await ProbeAsync($"escape-probes:exec-probe '{path}'");
            Assert.True(exec.GetProperty("status").GetString() == "succeeded", exec.ToString());
            var read = Assert.Single(exec.GetProperty("output")[0].GetProperty("reads").EnumerateArray());
            Assert.Equal(path, read.GetProperty("path").GetString());
            Assert.False(read.GetProperty("readable").GetBoolean(), exec.ToString());
        }
        // Of the server's data folder (the audit key, the database, the relay's cache with other bundles and compiled
        // scripts), a command sees at most the path down to its own bundle folder.
        var data = Path.Combine(Env.Root, "data");
        var listing = await ProbeAsync($"escape-probes:list-dir '{data}'");
        if (listing.GetProperty("status").GetString() == "succeeded")
        {
            var names = listing.GetProperty("output")[0].GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToList();
            Assert.All(names, name => Assert.StartsWith(Path.Combine(data, "relay-cache"), name, StringComparison.Ordinal));
            AssertFailed(await ProbeAsync($"escape-probes:read-file '{Path.Combine(data, "cog.db")}'"), "reading the server's database");
        }
        await AssertNextInvocationSucceedsAsync("the file probes");
    }

    [Fact]
    public async Task A_command_s_environment_holds_nothing_of_the_relay()
    {
        var env = await ProbeAsync("escape-probes:env");
        Assert.True(env.GetProperty("status").GetString() == "succeeded", env.ToString());
        var names = env.GetProperty("output")[0].GetProperty("variables").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(EscapeWorld.RelayCanaryVariable, names);
        Assert.DoesNotContain(names, n => n.StartsWith("COG_RELAY_", StringComparison.Ordinal));

        var exec = await ProbeAsync("escape-probes:exec-probe");
        Assert.True(exec.GetProperty("status").GetString() == "succeeded", exec.ToString());
        var environment = exec.GetProperty("output")[0].GetProperty("environment").GetString()!;
        Assert.DoesNotContain(EscapeWorld.RelayCanaryVariable, environment, StringComparison.Ordinal);
        Assert.DoesNotContain("COG_RELAY_", environment, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_bundle_s_configuration_in_a_live_process_is_not_readable_through_proc()
    {
        var holding = Env.RunAsync("secret-holder:hold 8");
        // The secret is really live: this process (root, outside every sandbox) finds it in the holder's environment.
        await WaitUntilAsync(() => ProcessesWhoseEnvironmentHolds(world.HolderSecret).Count > 0, "the holder to start");
        var holder = ProcessesWhoseEnvironmentHolds(world.HolderSecret)[0];

        var proc = await ProbeAsync("escape-probes:proc-environ");
        Assert.True(proc.GetProperty("status").GetString() == "succeeded", proc.ToString());
        var seen = proc.GetProperty("output")[0].GetProperty("seen").EnumerateObject().Select(p => p.Name.Split('/')[0]).Distinct().ToList();
        Assert.True(seen.Count <= 8, $"a worker sees only its own processes, not the host's: {string.Join(", ", seen)}");
        await ProbeAsync($"escape-probes:exec-probe /proc/{holder}/environ /proc/1/environ");
        await ProbeAsync($"escape-probes:run /bin/sh -c 'cat /proc/*/environ'");

        var held = await holding;
        Assert.True(held.GetProperty("status").GetString() == "succeeded", held.ToString());
    }

    [Fact]
    public async Task Processes_a_command_starts_run_as_an_unprivileged_user_without_capabilities()
    {
        var whoami = await ProbeAsync("escape-probes:whoami");
        Assert.True(whoami.GetProperty("status").GetString() == "succeeded", whoami.ToString());
        var status = whoami.GetProperty("output")[0].GetProperty("status");
        Assert.False(status.GetProperty("Uid").GetString()!.Split('\t', ' ').Contains("0"), whoami.ToString());
        Assert.Equal("0000000000000000", status.GetProperty("CapEff").GetString());
        Assert.Equal("0000000000000000", status.GetProperty("CapPrm").GetString());
        Assert.Equal("1", status.GetProperty("NoNewPrivs").GetString());

        var id = await ProbeAsync("escape-probes:run /usr/bin/id");
        Assert.True(id.GetProperty("status").GetString() == "succeeded", id.ToString());
        Assert.DoesNotContain("uid=0(", id.GetProperty("output")[0].GetProperty("output").GetString(), StringComparison.Ordinal);
        var exec = await ProbeAsync("escape-probes:exec-probe");
        Assert.NotEqual("0", exec.GetProperty("output")[0].GetProperty("uid").GetString());
    }

    [Fact]
    public async Task Outbound_connections_fail_when_the_bundle_has_no_network()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        AssertFailed(await ProbeAsync($"escape-probes:http http://127.0.0.1:{port}/"), "an HTTP call to a listener on the host");
        Assert.False(listener.Pending(), "the listener on the host was reached");
        await AssertNextInvocationSucceedsAsync("the network probe");
    }

    /// <summary>Probes that end, hang or exhaust their process: each fails its own invocation with a clear message.</summary>
    [Theory]
    [InlineData("escape-probes:exit 3", "crashed")]
    [InlineData("escape-probes:async-void", "crashed")]
    [InlineData("escape-probes:stack-overflow", "crashed")]
    [InlineData("escape-probes:busy-loop", "time limit")]
    [InlineData("escape-probes:allocate 3", "memory")]
    [InlineData("escape-probes:script-busy-loop", "time limit")]
    [InlineData("escape-probes:script-recurse", "crashed")]
    [InlineData("escape-probes:script-allocate", "memory")]
    [InlineData("escape-probes:script-delegate", "COG")]
    [InlineData("escape-probes:script-async-void", "COG")]
    public async Task A_probe_that_ends_hangs_or_exhausts_its_process_costs_only_its_invocation(string pipeline, string expected)
    {
        var run = await ProbeAsync(pipeline);
        AssertFailed(run, pipeline);
        Assert.Contains(expected, run.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        await AssertNextInvocationSucceedsAsync(pipeline);
    }

    [Fact]
    public async Task A_fork_loop_is_held_by_the_process_limit_and_leaves_nothing_behind()
    {
        const string Marker = "f() { if [ $1 -lt 12 ]";
        var run = await ProbeAsync("escape-probes:fork-loop");
        // Either the limit made forks fail (and the probe says how many), or the deadline killed the whole tree.
        if (run.GetProperty("status").GetString() == "succeeded")
            Assert.True(run.GetProperty("output")[0].GetProperty("failedForks").GetInt32() > 0, $"8,191 processes were allowed: {run}");
        else
            Assert.Contains("time limit", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        await WaitUntilAsync(() => ProcessesWhoseCommandLineHolds(Marker) == 0, "the fork loop's processes to be gone");
        await AssertNextInvocationSucceedsAsync("the fork loop");
    }

    static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"timed out waiting for {what}");
            await Task.Delay(100, Token);
        }
    }

    static List<int> ProcessesWhoseEnvironmentHolds(string text) =>
        [.. Pids().Where(pid => Read($"/proc/{pid}/environ").Contains(text, StringComparison.Ordinal))];

    static int ProcessesWhoseCommandLineHolds(string text) =>
        Pids().Count(pid => Read($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(text, StringComparison.Ordinal));

    static IEnumerable<int> Pids() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, System.Globalization.CultureInfo.InvariantCulture));

    static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
