using System.Collections.Immutable;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Language.Options;
using Cog.Language.Values;
using Cog.Runtime.Bundles;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Tests.Bundles;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Runtime.Tests.Pipeline;

/// <summary>The executor with the real dispatcher and the real store; the relay side is a stub that acknowledges and
/// answers inside the transport's send.</summary>
public sealed class RelayCommandExecutorTests : IAsyncLifetime
{
    StoreWorld _world = null!;
    RelayDispatcher _dispatcher = null!;
    RelayCommandExecutor _executor = null!;
    readonly List<(string RelayId, InvocationRequest Request)> _sent = [];

    static CancellationToken Ct => StoreWorld.Ct;

    /// <summary>What the stub relay answers; by default one item naming the relay and echoing the arguments.</summary>
    Func<string, InvocationRequest, InvocationResult> Answer { get; set; } = (relayId, request) =>
        new(request.RequestId, relayId, ResultStatus.Ok,
            [JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["relay"] = relayId, ["args"] = request.Args })], 3, "deployed");

    public async ValueTask InitializeAsync()
    {
        _world = await StoreWorld.OpenAsync();
        _dispatcher = new RelayDispatcher(new RelayRegistry(_world.Time), _world.Transport, new RelayDispatcherOptions(), _world.Time,
            NullLogger<RelayDispatcher>.Instance, _ => 0);
        _executor = new RelayCommandExecutor(_world.Directory, _dispatcher);
        _world.Transport.OnSend = (relayId, request) =>
        {
            _sent.Add((relayId, request));
            _dispatcher.OnAck(relayId, new InvocationAck(request.RequestId, relayId, _world.Time.GetUtcNow()));
            _dispatcher.OnResult(relayId, Answer(relayId, request));
        };
    }

    public async ValueTask DisposeAsync()
    {
        _dispatcher.Dispose();
        await _world.DisposeAsync();
    }

    /// <summary>deploy 1.0.0 enabled and assigned to group prod, which holds the relays named.</summary>
    async Task<BundleVersion> DeployAsync(params RelayRecord[] members)
    {
        var version = await _world.InstallAsync(StoreWorld.Manifest(), enable: true);
        await _world.RelayGroupAsync("prod");
        (await _world.Registry.AssignAsync("prod", "deploy", Ct)).GetValueOrThrow();
        foreach (var relay in members)
            (await _world.Registry.AddRelayAsync("prod", relay.Name, Ct)).GetValueOrThrow();
        return version;
    }

    void Ready(RelayRecord relay, BundleVersion version)
    {
        _dispatcher.OnStatus(relay.Id, Relays.Some.Online(relay.Id));
        _dispatcher.OnAnnounce(relay.Id, Relays.Some.Announce(relay.Id, bundle: "deploy", version: version.Version, digest: version.PackageDigest!));
    }

    static CommandCall Call(string bundle = "deploy", string version = "1.0.0") => new(
        "pipe-1", "inv-1", 2, bundle, version, "release",
        new CommandInput([new StringValue("web-7"), new IntValue(3)],
            ImmutableDictionary<string, Value>.Empty.Add("env", new StringValue("prod")).Add("force", BoolValue.True)),
        new ObjectValue([new("host", new StringValue("h1")), new("n", new FloatValue(1.5))]), ItemStep.First, Some.Alice,
        new PipelineRoom("Ops", false), TimeSpan.FromSeconds(30), "deploy:release web-7 3 --env=prod --force");

    [Fact]
    public async Task A_call_becomes_a_dispatch_request_and_the_result_its_outcome()
    {
        var relay = await _world.RelayAsync("web-1");
        var version = await DeployAsync(relay);
        Ready(relay, version);
        var bundle = (await _world.Store.Bundles.FindByNameAsync("deploy", Ct))!;
        foreach (var (layer, json) in new[] { ("base", """{"REGION":"eu","LEVEL":"info","COG_ROOM":"x"}"""), ("room/ops", """{"LEVEL":"debug"}"""), ("user/alice", """{"REGION":"us"}""") })
            (await _world.Store.ConfigLayers.SetAsync(new ConfigLayer(bundle.Id, layer, json, StoreWorld.Start), Ct)).GetValueOrThrow();

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        var (relayId, sent) = Assert.Single(_sent);
        Assert.Equal(relay.Id, relayId);
        Assert.Equal(("deploy", "1.0.0", "release"), (sent.Bundle, sent.Version, sent.Command));
        Assert.Equal("""["web-7",3]""", JsonSerializer.Serialize(sent.Args));
        Assert.Equal("""{"env":"prod","force":true}""", JsonSerializer.Serialize(sent.Options));
        Assert.Equal("""{"host":"h1","n":1.5}""", sent.Input.GetRawText());
        Assert.Equal([new("LEVEL", "debug"), new KeyValuePair<string, string>("REGION", "us")], sent.Configuration);
        Assert.Equal((30_000L, ItemStep.First, "inv-1", "pipe-1", 2), (sent.TimeoutMs, sent.Step, sent.InvocationId, sent.PipelineId, sent.Stage));
        Assert.Equal(("alice", "alice.w", "alice@example.com", "Ops", false),
            (sent.Caller.Username, sent.Caller.ChatHandle, sent.Caller.Email, sent.Room.Name, sent.Room.IsDirect));

        Assert.Equal((ResultStatus.Ok, "deployed", relay.Id, (string?)null), (outcome.Status, outcome.Template, outcome.RelayId, outcome.Message));
        Assert.Equal(Value.FromJson(JsonDocument.Parse($$"""{"relay":"{{relay.Id}}","args":["web-7",3]}""").RootElement), Assert.Single(outcome.Items));
    }

    [Fact]
    public async Task Each_invocation_carries_a_services_token_of_its_own_that_works_while_it_runs_and_not_after()
    {
        var relay = await _world.RelayAsync("web-1");
        var version = await DeployAsync(relay);
        Ready(relay, version);
        var services = new CommandServices(new Uri("http://cog.example:4000/"), new RunningPipelines(_world.Time), _world.Time);
        var executor = new RelayCommandExecutor(_world.Directory, _dispatcher, services, _world.Time);
        var during = new List<string?>();
        var answer = Answer;
        Answer = (relayId, request) =>
        {
            during.Add(services.Authenticate(request.Services!.Token));
            return answer(relayId, request);
        };

        await executor.ExecuteAsync(Call(), Ct);
        await executor.ExecuteAsync(Call(), Ct);

        var (first, second) = (_sent[0].Request.Services!, _sent[1].Request.Services!);
        Assert.Equal(new Uri("http://cog.example:4000/"), first.Root);
        Assert.NotEqual(first.Token, second.Token);
        Assert.Equal(["pipe-1", "pipe-1"], during);
        Assert.Null(services.Authenticate(first.Token));
        Assert.Null(services.Authenticate(second.Token));
    }

    [Fact]
    public async Task Only_the_enabled_relays_of_the_bundles_groups_are_chosen()
    {
        var member = await _world.RelayAsync("web-1");
        var outsider = await _world.RelayAsync("web-2");
        var version = await DeployAsync(member);
        Ready(outsider, version);
        Ready(member, version);

        for (var i = 0; i < 3; i++)
            Assert.Equal(member.Id, (await _executor.ExecuteAsync(Call(), Ct)).RelayId);
        Assert.All(_sent, s => Assert.Equal(member.Id, s.RelayId));
    }

    [Fact]
    public async Task The_request_carries_the_enabled_versions_digest_so_a_relay_with_another_package_is_not_chosen()
    {
        var relay = await _world.RelayAsync("web-1");
        var version = await DeployAsync(relay);
        Ready(relay, version with { PackageDigest = Relays.Some.OtherDigest });

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        Assert.Equal(RelayMessages.NoRelayOnline("deploy"), outcome.Message);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task A_bundle_assigned_to_no_relay_group_is_refused_before_anything_is_sent()
    {
        await _world.InstallAsync(StoreWorld.Manifest(), enable: true);

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        Assert.Equal((ResultStatus.Error, RelayMessages.NotAssigned("deploy")), (outcome.Status, outcome.Message));
        Assert.Equal("Bundle 'deploy' is not assigned to a relay group. Assign the bundle to a relay group and try again.", outcome.Message);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task Relay_groups_with_only_disabled_relays_are_reported_as_such()
    {
        var relay = await _world.RelayAsync("web-1", enabled: false);
        var version = await DeployAsync(relay);
        Ready(relay, version);

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        Assert.Equal(
            "No Cog Relays supporting the `deploy` bundle are currently available. There are one or more relays serving the bundle, but they are disabled. Enable an appropriate relay and try again.",
            outcome.Message);
        Assert.Empty(_sent);
    }

    [Fact]
    public async Task No_relay_online_is_the_dispatchers_message()
    {
        var relay = await _world.RelayAsync("web-1");
        await DeployAsync(relay);

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        Assert.Equal((ResultStatus.Error, RelayMessages.NoRelayOnline("deploy"), (string?)null), (outcome.Status, outcome.Message, outcome.RelayId));
    }

    [Fact]
    public async Task A_disabled_bundle_is_reported_with_cog_1s_message()
    {
        var relay = await _world.RelayAsync("web-1");
        await DeployAsync(relay);
        (await _world.Registry.DisableAsync("deploy", Ct)).GetValueOrThrow();

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        Assert.Equal("The deploy bundle is currently disabled", outcome.Message);
    }

    [Theory]
    [InlineData(ResultStatus.Abort, "stop here", "stop here")]
    [InlineData(ResultStatus.Error, "disk full", "disk full")]
    [InlineData(ResultStatus.Error, null, "The `deploy:release` command failed.")]
    public async Task Abort_and_error_results_keep_their_message_and_relay(ResultStatus status, string? message, string expected)
    {
        var relay = await _world.RelayAsync("web-1");
        var version = await DeployAsync(relay);
        Ready(relay, version);
        Answer = (relayId, request) => new(request.RequestId, relayId, status, [], 1, "tpl", message);

        var outcome = await _executor.ExecuteAsync(Call(), Ct);

        Assert.Equal((status, expected, relay.Id), (outcome.Status, outcome.Message, outcome.RelayId));
        Assert.Empty(outcome.Items);
    }

    [Fact]
    public async Task A_pipeline_runs_across_a_built_in_and_a_relay_command_with_the_store_backed_directory()
    {
        var relay = await _world.RelayAsync("web-1");
        var version = await DeployAsync(relay);
        Ready(relay, version);
        await _world.InstallAsync(StoreWorld.Manifest(name: Bundle.BuiltInName, command: "echo", rule: "allow"), enable: true);
        var alice = await _world.UserAsync("alice");
        await _world.GrantAsync(alice, "deploy:release");
        Answer = (relayId, request) => new(request.RequestId, relayId, ResultStatus.Ok,
            [JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["released"] = request.Args[0], ["env"] = request.Options["env"] })], 2);
        var builtIns = new FakeExecutor().On("operable:echo", FakeExecutor.Echo);
        var audit = new CollectingAudit();
        var engine = new PipelineEngine(_world.Directory, new CommandRouter(builtIns, _executor), audit, _world.Time, PipelineEngineOptions.Default);
        var caller = new PipelineCaller(alice.Id, "alice", "alice.w", null, "slack");

        var outcome = await engine.RunAsync(new PipelineRequest("echo web-7 | deploy:release $body[0] --env=prod", caller, Some.Ops), Ct);

        Assert.Equal(PipelineStatus.Succeeded, outcome.Status);
        Assert.Equal(Value.FromJson(JsonDocument.Parse("""{"released":"web-7","env":"prod"}""").RootElement), Assert.Single(outcome.Items));
        Assert.Equal("operable:echo", $"{builtIns.Calls.Single().Bundle}:{builtIns.Calls.Single().Command}");
        Assert.Equal(relay.Id, Assert.Single(_sent).RelayId);
        Assert.Contains(audit.Of<InvocationCompleted>(), e => e.RelayId == relay.Id);

        var bob = await _world.UserAsync("bob");
        var denied = await engine.RunAsync(new PipelineRequest("echo web-7 | deploy:release $body[0]", caller with { UserId = bob.Id, Username = "bob" }, Some.Ops), Ct);
        Assert.Equal(PipelineStatus.ExecutionFailed, denied.Status);
        Assert.StartsWith("Sorry, you aren't allowed to execute 'deploy:release web-7'.", denied.Message, StringComparison.Ordinal);
        Assert.Single(_sent);
    }
}
