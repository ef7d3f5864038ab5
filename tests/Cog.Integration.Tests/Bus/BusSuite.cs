using System.Text;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Relays;
using Cog.Testing;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Cog.Integration.Tests.Bus;

/// <summary>
/// The relay bus end to end (issue 3, scope 6): the server's dispatcher and transport, the package endpoint, and real
/// relays, over one kind of broker. Each test gets a fresh broker, server side and relays.
/// </summary>
/// <remarks>Run over the embedded broker by <see cref="EmbeddedBrokerBusTests"/> and over Mosquitto by
/// <see cref="MosquittoBusTests"/>.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // executables, signals and Debian's Mosquitto
public abstract class BusSuite : IAsyncLifetime
{
    const string RelayA = "relay-a";
    const string RelayB = "relay-b";
    const string ProcessRelay = "relay-c";

    BusEnvironment? _bus;

    private protected BusEnvironment Bus => _bus!;

    private protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Starts the broker this suite runs on.</summary>
    private protected abstract Task<BusBroker> StartBrokerAsync(BusEnvironment.StartContext context);

    public async ValueTask InitializeAsync() => _bus = await BusEnvironment.StartAsync(StartBrokerAsync);

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }

    // ---------------------------------------------------------------- bundles used by the tests

    PublishedBundle EchoAssembly() =>
        Bus.PublishArchive(Bus.CopyBundle(Repository.Example("echo-assembly"), "echo-assembly"));

    PublishedBundle EchoScript() =>
        Bus.PublishArchive(Bus.CopyBundle(Repository.Example("echo-script"), "echo-script"));

    PublishedBundle Greeter(string version) =>
        Bus.PublishArchive(Bus.PluginBundle(version == "1.0.0" ? "Cog.Fixtures.Greeter.V1" : "Cog.Fixtures.Greeter.V2", FixtureManifests.Greeter(version)));

    PublishedBundle Misbehaving() =>
        Bus.PublishArchive(Bus.PluginBundle("Cog.Fixtures.Misbehaving", """
            cog_bundle_version: 6
            name: misbehaving
            description: Commands that go wrong
            version: "1.0.0"
            assembly: lib/Cog.Fixtures.Misbehaving.dll
            commands:
              hang:
                type: Cog.Fixtures.Misbehaving.IgnoresCancellation
                rules:
                  - allow
              throws:
                type: Cog.Fixtures.Misbehaving.Throws
                rules:
                  - allow
              cancellable:
                type: Cog.Fixtures.Misbehaving.HonoursCancellation
                rules:
                  - allow
              reflect:
                type: Cog.Fixtures.Misbehaving.Reflect
                rules:
                  - allow
            """));

    private protected PublishedBundle ShellFixtures() => Bus.PublishArchive(Bus.CopyBundle(Repository.TestBundle("shell-fixtures"), "shell-fixtures"));

    /// <summary>Starts an in-process relay, assigns it <paramref name="bundles"/> and waits until it announced them.</summary>
    private protected async Task<InProcessRelay> RelayServingAsync(string relayId, params PublishedBundle[] bundles)
    {
        var relay = await Bus.StartRelayAsync(relayId);
        await Bus.AssignAsync(relayId, 1, bundles);
        foreach (var bundle in bundles)
        {
            await Bus.WaitUntilServesAsync(relayId, bundle, relay.InstanceId);
        }
        return relay;
    }

    /// <summary>The relay answers a normal invocation after whatever went wrong before.</summary>
    async Task AssertStillServesAsync(PublishedBundle misbehaving, string relayId)
    {
        var items = await Bus.RunOkAsync(BusEnvironment.Request(misbehaving, "reflect", ["still", "here"]), relayId);
        Assert.Equal("still here", Assert.Single(items).GetProperty("text").GetString());
    }

    static string Text(JsonElement item, string property) => item.GetProperty(property).GetString()!;

    // ---------------------------------------------------------------- 1. each bundle kind

    [Fact]
    public async Task An_assembly_bundle_command_runs_on_the_relay_and_its_result_comes_back()
    {
        var echo = EchoAssembly();
        var relay = await RelayServingAsync(RelayA, echo);

        var items = await Bus.RunOkAsync(BusEnvironment.Request(echo, "repeat", ["hello", "relay"], new Dictionary<string, object> { ["upper"] = true }), RelayA);

        Assert.Equal("HELLO RELAY", Text(Assert.Single(items), "body"));
        // The relay's log counts what it announced (it once always said 0).
        await relay.Log.WaitForAsync("Announced 1 ready bundle versions and 0 failures");
    }

    [Fact]
    public async Task A_script_bundle_command_runs_on_the_relay_and_its_result_comes_back()
    {
        var script = EchoScript();
        await RelayServingAsync(RelayA, script);

        var items = await Bus.RunOkAsync(BusEnvironment.Request(script, "say", ["hello", "script"]), RelayA);

        Assert.Equal("hello script", Text(Assert.Single(items), "text"));
    }

    [Fact]
    public async Task A_version_6_executable_bundle_command_runs_inside_its_bundle_folder()
    {
        var hostnotes = Bus.PublishArchive(Bus.CopyBundle(Repository.Example("executable-v6"), "executable-v6"));
        await RelayServingAsync(RelayA, hostnotes);

        var items = await Bus.RunOkAsync(BusEnvironment.Request(hostnotes, "motd"), RelayA);

        var body = Assert.Single(items).GetProperty("body").EnumerateArray().Select(l => l.GetString()).ToArray();
        Assert.Equal(["Deploys are frozen on Fridays.", "The on-call rota is in #ops."], body);
    }

    [Fact]
    public async Task An_unchanged_cog_1_shell_bundle_sees_the_documented_environment_and_its_input_on_stdin()
    {
        // The manifest alone, as Cog 1.0 published it, naming its scripts by absolute path: "installed" where this
        // checkout keeps them (the example names them relative to its folder; an operator of Cog 1.0 wrote the paths
        // of the relay host).
        var folder = Repository.Example("cog1-shell");
        var manifest = File.ReadAllText(Path.Combine(folder, "config.yaml")).Replace("executable: ", $"executable: {folder}/", StringComparison.Ordinal);
        var shelldemo = Bus.PublishManifest(manifest);
        Assert.Equal(5, shelldemo.Manifest.ManifestVersion);
        await RelayServingAsync(RelayA, shelldemo);
        var request = BusEnvironment.Request(shelldemo, "context", ["two words", 42],
            new Dictionary<string, object> { ["verbose"] = true, ["tag"] = new[] { "a", "b" } },
            input: new { host = "db-1", load = 0.25 }, step: ItemStep.First,
            configuration: new Dictionary<string, string> { ["API_URL"] = "https://api.example" });

        var items = await Bus.RunOkAsync(request, RelayA);

        var item = Assert.Single(items);
        Assert.Equal("{\"host\":\"db-1\",\"load\":0.25}\n", Text(item, "stdin"));
        var env = item.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal("shelldemo", env["COG_BUNDLE"]);
        Assert.Equal("context", env["COG_COMMAND"]);
        Assert.Equal("2", env["COG_ARGC"]);
        Assert.Equal("two words", env["COG_ARGV_0"]);
        Assert.Equal("42", env["COG_ARGV_1"]);
        Assert.Equal(["tag", "verbose"], env["COG_OPTS"]!.Split(',').Order(StringComparer.Ordinal));
        Assert.Equal("true", env["COG_OPT_VERBOSE"]);
        Assert.Equal("2", env["COG_OPT_TAG_COUNT"]);
        Assert.Equal("b", env["COG_OPT_TAG_1"]);
        Assert.Equal("alice", env["COG_USERNAME"]);
        Assert.Equal("alice.w", env["COG_CHAT_HANDLE"]);
        Assert.Equal("alice@example.com", env["COG_EMAIL"]);
        Assert.Equal("ops", env["COG_ROOM"]);
        Assert.Equal(request.PipelineId, env["COG_PIPELINE_ID"]);
        Assert.Equal(request.InvocationId, env["COG_INVOCATION_ID"]);
        Assert.Equal("first", env["COG_INVOCATION_STEP"]);
        Assert.Equal("https://api.example", env["API_URL"]);
    }

    // ---------------------------------------------------------------- 2. scripts the relay refuses

    [Fact]
    public async Task Scripts_with_a_compile_error_or_a_forbidden_api_fail_with_file_line_column_and_id()
    {
        var broken = Bus.PublishArchive(Bus.CopyBundle(Repository.TestBundle("broken-script"), "broken-script"));
        await RelayServingAsync(RelayA, broken);

        var typo = await Bus.RunErrorAsync(BusEnvironment.Request(broken, "typo", ["x"]));
        var snoop = await Bus.RunErrorAsync(BusEnvironment.Request(broken, "snoop", ["/etc/passwd"]));

        Assert.Equal("scripts/typo.csx(3,21): error CS0103: The name 'txet' does not exist in the current context", typo);
        Assert.Equal("scripts/snoop.csx(3,14): error COG1001: 'System.IO.File.ReadAllText(string)' is not allowed in scripts (file system access).", snoop);
    }

    // ---------------------------------------------------------------- 3. compile cache across a restart

    [Fact]
    public async Task A_valid_script_is_not_recompiled_or_downloaded_again_after_a_relay_restart()
    {
        var script = EchoScript();
        var first = await RelayServingAsync(RelayA, script);
        await Bus.RunOkAsync(BusEnvironment.Request(script, "say", ["once"]), RelayA);
        Assert.Equal(1, first.Bundles.Scripts.Compilations);
        Assert.Equal(1, first.Bundles.Downloads);
        await first.StopAsync();

        var second = await Bus.StartRelayAsync(RelayA, first.CacheDirectory);
        await Bus.WaitUntilServesAsync(RelayA, script, second.InstanceId);
        var items = await Bus.RunOkAsync(BusEnvironment.Request(script, "say", ["twice"]), RelayA);

        Assert.Equal("twice", Text(Assert.Single(items), "text"));
        Assert.Equal(0, second.Bundles.Scripts.Compilations);
        Assert.True(second.Bundles.Scripts.CacheLoads >= 1, "the compiled script was not loaded from the cache");
        Assert.Equal(0, second.Bundles.Downloads);
    }

    // ---------------------------------------------------------------- 4. assembly upgrade without restart

    [Fact]
    public async Task A_new_assembly_version_replaces_the_old_one_without_a_relay_restart()
    {
        var v1 = Greeter("1.0.0");
        var v2 = Greeter("2.0.0");
        var relay = await RelayServingAsync(RelayA, v1);
        var before = await Bus.RunOkAsync(BusEnvironment.Request(v1, "greet", ["Ada"]), RelayA);
        Assert.Equal("Hello, Ada", Text(Assert.Single(before), "greeting"));
        var v1Directory = Assert.Single(relay.Bundles.Current.Ready).Directory;

        await Bus.AssignAsync(RelayA, 2, v2);
        await Bus.WaitUntilServesAsync(RelayA, v2, relay.InstanceId);
        await Eventually.TrueAsync(() => !Bus.Serves(RelayA, v1), "greeter 1.0.0 to leave the announcement");
        var after = await Bus.RunOkAsync(BusEnvironment.Request(v2, "greet", ["Ada"]), RelayA);
        var old = await Bus.DispatchAsync(BusEnvironment.Request(v1, "greet", ["Ada"]));

        Assert.Equal("Welcome back, Ada!", Text(Assert.Single(after), "greeting"));
        Assert.Equal(2, Assert.Single(after).GetProperty("version").GetInt32());
        Assert.Equal(relay.InstanceId, Bus.Registry.Find(RelayA)!.InstanceId);
        Assert.Equal(["2.0.0"], Bus.Registry.Find(RelayA)!.Bundles.Select(b => b.Version));
        Assert.Equal(DispatchStatus.NoRelay, old.Status);
        await Eventually.TrueAsync(() => relay.Bundles.Workers.PoolOf(v1Directory) is null, "greeter 1.0.0's workers to be stopped");
    }

    // ---------------------------------------------------------------- 5. commands that misbehave

    [Theory]
    [InlineData("hang", 1000, "The command did not finish within its time limit of 1 s and was stopped.")]
    [InlineData("throws", 20_000, "The command failed: InvalidOperationException: the disk is full")]
    [InlineData("crash", 20_000, "The command was terminated by signal SIGKILL (exit code 137) and wrote nothing to stderr.")]
    [InlineData("flood", 20_000, "Command output exceeded the limit of 4194304 bytes.")]
    public async Task A_hanging_throwing_crashing_or_flooding_command_fails_only_its_own_invocation(string command, int timeoutMs, string expected)
    {
        var misbehaving = Misbehaving();
        var shell = ShellFixtures();
        await RelayServingAsync(RelayA, misbehaving, shell);
        var bundle = command is "hang" or "throws" ? misbehaving : shell;

        var message = await Bus.RunErrorAsync(BusEnvironment.Request(bundle, command, timeout: TimeSpan.FromMilliseconds(timeoutMs)));

        Assert.Equal(expected, message);
        await AssertStillServesAsync(misbehaving, RelayA);
    }

    // ---------------------------------------------------------------- 6. malformed payloads

    [Fact]
    public async Task Malformed_payloads_on_the_invocations_topic_are_dropped_and_the_relay_keeps_serving()
    {
        var misbehaving = Misbehaving();
        var relay = await RelayServingAsync(RelayA, misbehaving);
        var topic = Topics.For(RelayA, RelayTopic.Invocations);
        using var server = await ConnectAsServerAsync();

        await PublishRawAsync(server, topic, "{ this is not JSON");
        await PublishRawAsync(server, topic, """{"v":2,"type":"invocation","request_id":"r-2"}""");
        await PublishRawAsync(server, topic, """{"v":1,"type":"invocation","request_id":"r-3"}""");

        await relay.Log.WaitForAsync($"Dropped a message on {topic}: The message is protocol version 2; supported versions: 1.");
        await Eventually.TrueAsync(() => relay.Log.Texts.Count(t => t.StartsWith($"Dropped a message on {topic}: ", StringComparison.Ordinal)) == 3,
            "three dropped messages");
        await AssertStillServesAsync(misbehaving, RelayA);
    }

    async Task<IMqttClient> ConnectAsServerAsync()
    {
        var login = Bus.Broker.ServerOptions;
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(login.BrokerUri.Host, login.BrokerUri.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("cog-server-e2e-" + Guid.NewGuid().ToString("N"))
            .WithCredentials(login.UserName, login.Password)
            .WithCleanStart()
            .Build();
        var result = await client.ConnectAsync(options, Token);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        return client;
    }

    static async Task PublishRawAsync(IMqttClient client, string topic, string payload)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(Encoding.UTF8.GetBytes(payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), Token);
        Assert.True(result.IsSuccess, result.ReasonString);
    }

    // ---------------------------------------------------------------- 7. disconnect while idle

    [Fact]
    public async Task A_relay_that_drops_off_while_idle_is_marked_offline_and_its_work_goes_elsewhere_or_nowhere()
    {
        var echo = EchoAssembly();
        var a = await RelayServingAsync(RelayA, echo);
        var b = await RelayServingAsync(RelayB, echo);
        Assert.Equal(RelayA, (await Bus.DispatchAsync(BusEnvironment.Request(echo, "repeat", ["first"]))).RelayId);

        await a.AbortAsync();
        await Eventually.TrueAsync(() => Bus.Registry.Find(RelayA)!.State == RelayState.Offline, "relay-a's last will");
        var elsewhere = await Bus.RunOkAsync(BusEnvironment.Request(echo, "repeat", ["second"]), RelayB);

        await b.AbortAsync();
        await Eventually.TrueAsync(() => Bus.Registry.Find(RelayB)!.State == RelayState.Offline, "relay-b's last will");
        var nowhere = await Bus.DispatchAsync(BusEnvironment.Request(echo, "repeat", ["third"]));

        Assert.Equal("second", Text(Assert.Single(elsewhere), "body"));
        Assert.Equal(DispatchStatus.NoRelay, nowhere.Status);
        Assert.Equal(0, nowhere.Attempts);
        Assert.Equal("No Cog Relays supporting the `echo-assembly` bundle are currently online. "
            + "If you just assigned the bundle to a relay group, try again once one of its relays has downloaded and announced it.", nowhere.Message);
    }

    // ---------------------------------------------------------------- 8. disconnect while running; no ack

    /// <summary>The relay executable as relay-c (first heard, so chosen first on a tie), and relay-b in-process, both
    /// serving <paramref name="bundle"/>.</summary>
    async Task<RelayProcess> ProcessRelayThenRelayBAsync(PublishedBundle bundle)
    {
        var process = Bus.StartRelayProcess(ProcessRelay);
        await Bus.AssignAsync(ProcessRelay, 1, bundle);
        await Bus.WaitUntilServesAsync(ProcessRelay, bundle, because: "the relay process to announce its bundle; it printed:\n" + process.Output);
        await RelayServingAsync(RelayB, bundle);
        return process;
    }

    [Fact]
    public async Task A_relay_killed_while_running_a_command_gives_a_no_result_error_and_the_command_is_not_sent_again()
    {
        var shell = ShellFixtures();
        var process = await ProcessRelayThenRelayBAsync(shell);
        var marker = Bus.NewMarker();

        var dispatch = Bus.DispatchAsync(BusEnvironment.Request(shell, "slow", [10], timeout: TimeSpan.FromSeconds(3),
            configuration: new Dictionary<string, string> { ["MARKER"] = marker }));
        await Eventually.TrueAsync(() => File.Exists(marker), "the command to start on the relay process; it printed:\n" + process.Output);
        await process.KillAsync();
        var outcome = await dispatch;

        Assert.Equal(DispatchStatus.NoResult, outcome.Status);
        Assert.Equal(ProcessRelay, outcome.RelayId);
        Assert.Equal(1, outcome.Attempts);
        Assert.Equal("The `shell-fixtures:slow` command was started on relay relay-c but no result arrived by its deadline; "
            + "it may or may not have completed.", outcome.Message);
        Assert.Single(await File.ReadAllLinesAsync(marker, Token));
        await Eventually.TrueAsync(() => Bus.Registry.Find(ProcessRelay)!.State == RelayState.Offline, "the killed relay's last will");
    }

    [Fact]
    public async Task An_invocation_a_frozen_relay_does_not_acknowledge_goes_to_the_next_relay_and_runs_once()
    {
        var shell = ShellFixtures();
        var process = await ProcessRelayThenRelayBAsync(shell);
        var marker = Bus.NewMarker();

        process.Suspend();
        var outcome = await Bus.DispatchAsync(BusEnvironment.Request(shell, "slow", [0], configuration: new Dictionary<string, string> { ["MARKER"] = marker }));
        process.Resume();

        Assert.True(outcome.Status == DispatchStatus.Completed, $"{outcome.Status}: {outcome.Message}");
        Assert.Equal(RelayB, outcome.RelayId);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(ResultStatus.Ok, outcome.Result!.Status);
        // Woken up, the first relay finds the invocation past its ack_by and drops it without running it.
        await Eventually.TrueAsync(() => process.Output.Contains("without an ack: its ack_by", StringComparison.Ordinal),
            "the resumed relay to drop the late invocation; it printed:\n" + process.Output);
        Assert.Single(await File.ReadAllLinesAsync(marker, Token));
    }

    // ---------------------------------------------------------------- 9. cancellation

    [Fact]
    public async Task A_cancelled_dispatch_cancels_the_running_command_and_the_relay_answers_the_next_one()
    {
        var misbehaving = Misbehaving();
        var relay = await RelayServingAsync(RelayA, misbehaving);
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var dispatch = Bus.DispatchAsync(BusEnvironment.Request(misbehaving, "cancellable", timeout: TimeSpan.FromSeconds(60)), kill.Token);
        await relay.Log.WaitForAsync("misbehaving 1.0.0 cancellable");
        await kill.CancelAsync();
        var outcome = await dispatch;

        // Whether the server had seen the ack when the token fired or sees it afterwards, the relay is sent a cancel.
        Assert.Equal(DispatchStatus.Cancelled, outcome.Status);
        Assert.Equal("The `misbehaving:cancellable` command was stopped before it finished.", outcome.Message);
        await relay.Log.WaitForAsync($"Cancelling {outcome.RequestId}: The pipeline was stopped.");
        await relay.Log.WaitForAsync($"Finished {outcome.RequestId}: misbehaving:cancellable Error");
        await AssertStillServesAsync(misbehaving, RelayA);
    }
}
