using Cog.Contracts.Relays;
using Cog.Relay.Execution;
using Cog.Relay.Tests.Support;

namespace Cog.Relay.Tests.Execution;

/// <summary>Protocol §8.2 end to end: invocations sent by a test server through the embedded broker to a relay.</summary>
public sealed class InvocationRunnerTests : IAsyncLifetime
{
    const string MisbehavingManifest = """
        cog_bundle_version: 6
        name: misbehaving
        description: Commands that fail in every way
        version: "1.0.0"
        assembly: Cog.Fixtures.Misbehaving.dll
        commands:
          throws:
            type: Cog.Fixtures.Misbehaving.Throws
            rules: [allow]
          honours:
            type: Cog.Fixtures.Misbehaving.HonoursCancellation
            rules: [allow]
        """;

    RelayHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await RelayHarness.StartAsync();
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        _harness.Bundles.Add(TestBundleHost.Example("executable-v6"));
        _harness.Bundles.Add(TestBundleHost.Example("echo-assembly"));
        _harness.Bundles.Add(Path.Combine(AppContext.BaseDirectory, "fixtures", "Cog.Fixtures.Misbehaving"), MisbehavingManifest);
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    async Task<InvocationResult> RunAsync(InvocationRequest request)
    {
        await _harness.SendAsync(request);
        return await _harness.ExpectResultAsync(request.RequestId);
    }

    [Theory]
    [InlineData("echo-script", "0.1.0", "say", """{"text":"hello 42"}""")]
    [InlineData("echo-assembly", "1.0.0", "repeat", """{"body":"hello 42"}""")]
    public async Task An_invocation_is_acked_then_answered_with_the_commands_output(string bundle, string version, string command, string item)
    {
        await _harness.StartRelayOnlineAsync();
        var request = RelayHarness.Invocation(bundle, version, command, ["hello", 42]);

        var result = await RunAsync(request);

        var ack = await _harness.ExpectAckAsync(request.RequestId);
        Assert.Equal(RelayHarness.RelayId, ack.RelayId);
        Assert.Equal(ResultStatus.Ok, result.Status);
        Assert.Equal(item, Assert.Single(result.Items).GetRawText());
        Assert.Equal(RelayHarness.RelayId, result.RelayId);
        Assert.True(result.DurationMs >= 0);
        var order = _harness.Messages.Select(m => m.Payload).ToList();
        Assert.True(order.FindIndex(p => p.Contains("\"type\":\"ack\"", StringComparison.Ordinal)) < order.FindIndex(p => p.Contains("\"type\":\"result\"", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_executable_runs_in_its_bundle_folder()
    {
        await _harness.StartRelayOnlineAsync();

        var result = await RunAsync(RelayHarness.Invocation("hostnotes", "0.2.0", "motd"));

        Assert.Equal(ResultStatus.Ok, result.Status);
        Assert.Equal("""{"body":["Deploys are frozen on Fridays.","The on-call rota is in #ops."]}""", Assert.Single(result.Items).GetRawText());
    }

    [Fact]
    public async Task An_invocation_past_its_ack_by_is_dropped_without_ack_or_result()
    {
        await _harness.StartRelayOnlineAsync();
        var late = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["late"], ackBy: TimeSpan.FromSeconds(-1));

        await _harness.SendAsync(late);
        await _harness.Log.WaitForAsync($"Dropped invocation {late.RequestId} (echo-script:say) without an ack: its ack_by");
        await Task.Delay(Wait.Quiet, TestContext.Current.CancellationToken);

        Assert.False(_harness.HasAck(late.RequestId));
        Assert.False(_harness.HasResult(late.RequestId));
    }

    [Fact]
    public async Task A_duplicate_delivery_runs_once()
    {
        await _harness.StartRelayOnlineAsync();
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["once"]);

        await _harness.SendAsync(request);
        await _harness.SendAsync(request);
        await _harness.ExpectResultAsync(request.RequestId);
        await _harness.Log.WaitForAsync($"Ignored invocation {request.RequestId}: a duplicate delivery");
        await Task.Delay(Wait.Quiet, TestContext.Current.CancellationToken);

        Assert.Single(_harness.Received<InvocationAck>(RelayTopic.Acks), a => a.RequestId == request.RequestId);
        Assert.Single(_harness.Received<InvocationResult>(RelayTopic.Results), r => r.RequestId == request.RequestId);
    }

    [Fact]
    public async Task At_full_capacity_an_invocation_waits_unacked_until_a_slot_frees()
    {
        var gate = new GatedEngine();
        _harness.Bundles.EngineOverride = _ => gate;
        await _harness.StartRelayOnlineAsync(_harness.Options(concurrency: 2));
        var requests = Enumerable.Range(0, 3).Select(i => RelayHarness.Invocation("echo-script", "0.1.0", "say", [i])).ToList();

        foreach (var request in requests)
        {
            await _harness.SendAsync(request);
        }
        await _harness.ExpectAckAsync(requests[0].RequestId);
        await _harness.ExpectAckAsync(requests[1].RequestId);
        await Wait.ForAsync(() => _harness.Relay!.Runner.Queued == 1, "the third queued");
        await Task.Delay(Wait.Quiet, TestContext.Current.CancellationToken);

        Assert.False(_harness.HasAck(requests[2].RequestId));
        Assert.Equal(2, gate.Started);
        gate.Open();
        foreach (var request in requests)
        {
            Assert.Equal(ResultStatus.Ok, (await _harness.ExpectResultAsync(request.RequestId)).Status);
        }
        Assert.Equal(3, gate.Started);
    }

    [Fact]
    public async Task A_queued_invocation_whose_ack_by_passes_while_waiting_is_dropped()
    {
        var gate = new GatedEngine();
        _harness.Bundles.EngineOverride = _ => gate;
        await _harness.StartRelayOnlineAsync(_harness.Options(concurrency: 1));
        var first = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["first"]);
        var waiting = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["waiting"], ackBy: TimeSpan.FromSeconds(1));

        await _harness.SendAsync(first);
        await _harness.ExpectAckAsync(first.RequestId);
        await _harness.SendAsync(waiting);
        await Wait.ForAsync(() => _harness.Relay!.Runner.Queued == 1, "the second queued");
        await Wait.ForAsync(() => TimeProvider.System.GetUtcNow() > waiting.AckBy, "its ack_by to pass");
        gate.Open();

        await _harness.ExpectResultAsync(first.RequestId);
        await _harness.Log.WaitForAsync($"Dropped invocation {waiting.RequestId} (echo-script:say) without an ack: its ack_by");
        Assert.False(_harness.HasAck(waiting.RequestId));
        Assert.Equal(1, gate.Started);
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_stopped_and_answered_with_an_error_and_the_relay_still_serves()
    {
        await _harness.StartRelayOnlineAsync();

        var result = await RunAsync(RelayHarness.Invocation("hostnotes", "0.2.0", "wait", ["10"], timeoutMs: 500));
        var next = await RunAsync(RelayHarness.Invocation("echo-script", "0.1.0", "say", ["next"]));

        Assert.Equal(ResultStatus.Error, result.Status);
        Assert.Equal("The command did not finish within its time limit of 500 ms and was stopped.", result.Message);
        Assert.InRange(result.DurationMs, 400, 9000);
        Assert.Equal(ResultStatus.Ok, next.Status);
    }

    [Fact]
    public async Task A_cancel_stops_the_running_command_and_answers_with_an_error()
    {
        await _harness.StartRelayOnlineAsync();
        var request = RelayHarness.Invocation("misbehaving", "1.0.0", "honours");

        await _harness.SendAsync(request);
        await _harness.ExpectAckAsync(request.RequestId);
        await Wait.ForAsync(() => _harness.Relay!.Runner.Load == 1, "the command to run");
        await _harness.SendAsync(new InvocationCancel(request.RequestId, RelayHarness.RelayId, "pipeline killed by alice"));

        var result = await _harness.ExpectResultAsync(request.RequestId);
        Assert.Equal(ResultStatus.Error, result.Status);
        Assert.Equal("The command was cancelled: pipeline killed by alice", result.Message);
    }

    [Fact]
    public async Task A_cancel_for_a_request_not_running_here_is_ignored()
    {
        await _harness.StartRelayOnlineAsync();

        await _harness.SendAsync(new InvocationCancel("never-sent", RelayHarness.RelayId));

        await _harness.Log.WaitForAsync("Ignored cancel for never-sent: not running here.");
    }

    [Fact]
    public async Task A_throwing_command_fails_only_its_own_invocation()
    {
        await _harness.StartRelayOnlineAsync();

        var failed = await RunAsync(RelayHarness.Invocation("misbehaving", "1.0.0", "throws"));
        var next = await RunAsync(RelayHarness.Invocation("echo-assembly", "1.0.0", "repeat", ["fine"]));

        Assert.Equal(ResultStatus.Error, failed.Status);
        Assert.Equal("The command failed: InvalidOperationException: the disk is full", failed.Message);
        Assert.Equal(ResultStatus.Ok, next.Status);
    }

    [Fact]
    public async Task An_engine_that_throws_is_a_relay_bug_still_answered_with_one_error_result()
    {
        _harness.Bundles.EngineOverride = _ => new GatedEngine { Throw = true };
        await _harness.StartRelayOnlineAsync();
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say");

        var result = await RunAsync(request);

        Assert.Equal(ResultStatus.Error, result.Status);
        Assert.Equal("The relay failed to run the command (InvalidOperationException); see the relay's log.", result.Message);
        Assert.Contains(_harness.Log.Errors, e => e.Contains($"Relay bug while handling invocation {request.RequestId}.", StringComparison.Ordinal));
        await Task.Delay(Wait.Quiet, TestContext.Current.CancellationToken);
        Assert.Single(_harness.Received<InvocationResult>(RelayTopic.Results), r => r.RequestId == request.RequestId);
    }

    [Fact]
    public async Task An_unknown_bundle_version_or_command_is_answered_with_cog_1_messages()
    {
        await _harness.StartRelayOnlineAsync();

        var bundle = await RunAsync(RelayHarness.Invocation("nope", "1.0.0", "echo"));
        var version = await RunAsync(RelayHarness.Invocation("echo-script", "9.9.9", "say"));
        var command = await RunAsync(RelayHarness.Invocation("echo-script", "0.1.0", "shout"));

        Assert.Equal("Unknown command bundle nope", bundle.Message);
        Assert.Equal("Unknown command bundle echo-script", version.Message);
        Assert.Equal("Command not found", command.Message);
        Assert.All(new[] { bundle, version, command }, r => Assert.Equal(ResultStatus.Error, r.Status));
        Assert.True(_harness.HasAck(command.RequestId));
    }

    [Fact]
    public async Task A_clean_stop_lets_a_running_command_finish_and_publishes_its_result_before_going_offline()
    {
        var gate = new GatedEngine();
        _harness.Bundles.EngineOverride = _ => gate;
        var relay = await _harness.StartRelayOnlineAsync();
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say");
        await _harness.SendAsync(request);
        await _harness.ExpectAckAsync(request.RequestId);

        var stopping = relay.StopAsync(TestContext.Current.CancellationToken);
        await Task.Delay(Wait.Quiet, TestContext.Current.CancellationToken);
        Assert.False(stopping.IsCompleted);
        gate.Open();
        await stopping;

        await _harness.ExpectResultAsync(request.RequestId);
        await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Offline);
    }

    [Fact]
    public void Messages_are_pinned()
    {
        Assert.Equal("Command not found", RelayMessages.CommandNotFound);
        Assert.Equal("Unknown command bundle deploy", RelayMessages.UnknownBundle("deploy"));
        Assert.Equal("The command did not finish within its time limit of 60 s and was stopped.", RelayMessages.TimedOut(60_000));
        Assert.Equal("The command was cancelled.", RelayMessages.Cancelled(null));
        Assert.Equal("The command was stopped because the relay is shutting down.", RelayMessages.RelayStopping);
    }
}
