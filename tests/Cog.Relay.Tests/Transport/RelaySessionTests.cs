using Cog.Contracts.Relays;
using Cog.Relay.Tests.Support;
using Cog.Relay.Transport;

namespace Cog.Relay.Tests.Transport;

/// <summary>The relay's MQTT session against the real embedded broker, watched by a test server client.</summary>
public sealed class RelaySessionTests : IAsyncLifetime
{
    RelayHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await RelayHarness.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Connecting_publishes_the_online_status_then_the_first_announce()
    {
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        var relay = await _harness.StartRelayAsync();

        var status = await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Online);
        var announce = await _harness.ExpectAsync<BundleAnnouncement>(RelayTopic.Announce, _ => true);

        Assert.Equal(RelayHarness.RelayId, status.RelayId);
        Assert.Equal(relay.InstanceId, status.InstanceId);
        Assert.Equal(16, status.InstanceId.Length);
        Assert.Equal(["test"], status.Tags);
        Assert.Equal(4, status.Capacity);
        Assert.Equal(0, status.Load);
        // How bundle code is confined here, mechanism by mechanism, as the sandbox reports it.
        Assert.Equal(TestSandbox.Instance.Report.Mechanisms.Select(m => (m.Name, m.Available, m.Detail)),
            status.Isolation!.Value.Select(m => (m.Name, m.Available, m.Detail)));
        Assert.Equal(1, announce.Sequence);
        Assert.Equal(relay.InstanceId, announce.InstanceId);
        var bundle = Assert.Single(announce.Bundles);
        Assert.Equal(("echo-script", "0.1.0"), (bundle.Name, bundle.Version));
        var topics = _harness.Messages.Select(m => m.Topic).ToList();
        Assert.True(topics.IndexOf(Topics.For(RelayHarness.RelayId, RelayTopic.Status)) < topics.IndexOf(Topics.For(RelayHarness.RelayId, RelayTopic.Announce)));
        Assert.Equal(RelaySessionState.Connected, relay.Session.State);
        Assert.Empty(_harness.Log.Errors);
    }

    [Fact]
    public async Task A_change_of_the_ready_bundles_is_announced_with_the_next_sequence()
    {
        await _harness.StartRelayOnlineAsync();

        _harness.Bundles.Add(TestBundleHost.Example("executable-v6"));

        var announce = await _harness.ExpectAsync<BundleAnnouncement>(RelayTopic.Announce, a => a.Sequence == 2);
        Assert.Equal("hostnotes", Assert.Single(announce.Bundles).Name);
    }

    [Fact]
    public async Task An_abrupt_drop_makes_the_broker_publish_the_offline_will_with_the_same_instance_id()
    {
        var relay = await _harness.StartRelayOnlineAsync();

        await relay.AbortAsync();

        var offline = await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Offline);
        Assert.Equal(relay.InstanceId, offline.InstanceId);
        Assert.Equal(0, offline.Load);
        Assert.Equal(RelaySessionState.Stopped, relay.Session.State);
    }

    [Fact]
    public async Task A_clean_stop_publishes_the_offline_status_itself()
    {
        var relay = await _harness.StartRelayOnlineAsync();

        await relay.StopAsync(TestContext.Current.CancellationToken);

        var offline = await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Offline);
        Assert.Equal(relay.InstanceId, offline.InstanceId);
        Assert.Equal(RelaySessionState.Stopped, relay.Session.State);
    }

    [Fact]
    public async Task After_a_broker_restart_the_relay_reconnects_and_continues_its_announce_sequence()
    {
        var relay = await _harness.StartRelayOnlineAsync();

        await _harness.RestartBrokerAsync();

        var announce = await _harness.ExpectAsync<BundleAnnouncement>(RelayTopic.Announce, a => a.Sequence == 2);
        var status = await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Online);
        Assert.Equal(relay.InstanceId, announce.InstanceId);
        Assert.Equal(relay.InstanceId, status.InstanceId);
        Assert.Equal(2, relay.Session.Connects);
        await _harness.Log.WaitForAsync("Connecting again in");

        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["after", "restart"]);
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        await _harness.SendAsync(request);
        Assert.Equal(ResultStatus.Ok, (await _harness.ExpectResultAsync(request.RequestId)).Status);
    }

    [Fact]
    public async Task An_ack_no_server_receives_is_published_again_and_the_command_starts_only_once_one_does()
    {
        await _harness.StartRelayOnlineAsync();
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        // As after a broker restart: the relay is back before the server has subscribed again.
        await _harness.UnsubscribeAsync(RelayTopic.Acks);
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["acked"]);

        await _harness.SendAsync(request);
        await _harness.Log.WaitForAsync($"No server is subscribed to {Topics.For(RelayHarness.RelayId, RelayTopic.Acks)}");
        Assert.False(_harness.HasResult(request.RequestId), "the command ran before any server had its ack");
        await _harness.SubscribeAsync(RelayTopic.Acks);

        await _harness.ExpectAckAsync(request.RequestId);
        Assert.Equal(ResultStatus.Ok, (await _harness.ExpectResultAsync(request.RequestId)).Status);
    }

    [Fact]
    public async Task An_ack_no_server_receives_is_given_up_at_ack_by_and_the_command_never_starts()
    {
        await _harness.StartRelayOnlineAsync();
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        await _harness.UnsubscribeAsync(RelayTopic.Acks);
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["never"], ackBy: TimeSpan.FromSeconds(2));

        await _harness.SendAsync(request);
        await _harness.Log.WaitForAsync($"Invocation {request.RequestId} (echo-script:say) was not started: its ack could not be published.");

        // Published again every 250 ms while ack_by allowed another attempt, then given up (the line above).
        var attempts = _harness.Log.Texts.Count(t => t.StartsWith($"No server is subscribed to {Topics.For(RelayHarness.RelayId, RelayTopic.Acks)}", StringComparison.Ordinal));
        Assert.True(attempts >= 2, $"{attempts} attempt(s)");
        Assert.False(_harness.HasResult(request.RequestId), "the command ran without any server having its ack");
    }

    [Fact]
    public async Task A_result_is_published_again_until_the_servers_receipt()
    {
        _harness.SendReceipts = false;
        var relay = await _harness.StartRelayOnlineAsync();
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["kept"]);

        await _harness.SendAsync(request);
        await Wait.ForAsync(() => _harness.Received<InvocationResult>(RelayTopic.Results).Count(r => r.RequestId == request.RequestId) >= 2,
            "the result to be published again");
        Assert.Equal(1, relay.Session.KeptResults);
        await _harness.SendAsync(new InvocationReceipt(request.RequestId, RelayHarness.RelayId));

        await Wait.ForAsync(() => relay.Session.KeptResults == 0, "the relay to forget the confirmed result");
    }

    [Fact]
    public async Task A_wrong_token_is_refused_logged_clearly_and_retried_without_logging_the_token()
    {
        var options = _harness.Options(token: "wrong-token-value");
        var relay = await _harness.StartRelayAsync(options);

        await _harness.Log.WaitForAsync("bad user name or password (0x86)");
        await Wait.ForAsync(() => _harness.Log.Texts.Count(t => t.Contains("(0x86)", StringComparison.Ordinal)) >= 2, "a second attempt");

        Assert.Equal(
            $"The broker refused relay {RelayHarness.RelayId}: bad user name or password (0x86). Check the relay id and token (cogctl relay create shows the token once); retrying with back-off.",
            _harness.Log.Texts.First(t => t.Contains("(0x86)", StringComparison.Ordinal)));
        Assert.DoesNotContain(_harness.Log.Texts, t => t.Contains("wrong-token-value", StringComparison.Ordinal));
        Assert.Equal(0, relay.Session.Connects);
    }

    [Fact]
    public async Task A_disabled_relay_is_refused_as_not_authorized_and_let_in_once_enabled()
    {
        var store = _harness.CredentialStore;
        store.SetEnabled(RelayHarness.RelayId, false);
        var relay = await _harness.StartRelayAsync();

        await _harness.Log.WaitForAsync("not authorized (0x87)");
        store.SetEnabled(RelayHarness.RelayId, true);

        await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Online && s.InstanceId == relay.InstanceId);
    }

    [Fact]
    public async Task Assignments_go_to_the_bundle_host_and_a_lower_revision_is_ignored()
    {
        await _harness.StartRelayOnlineAsync();

        await _harness.SendAsync(new BundleAssignments(RelayHarness.RelayId, 5, []));
        await Wait.ForAsync(() => _harness.Bundles.Applied.Count == 1, "revision 5 applied");
        await _harness.SendAsync(new BundleAssignments(RelayHarness.RelayId, 3, []));
        // Only the newest pending assignments are applied, so wait for 3 to be seen before sending 6.
        await _harness.Log.WaitForAsync("Ignored assignments revision 3: revision 5 is newer.");
        await _harness.SendAsync(new BundleAssignments(RelayHarness.RelayId, 6, []));
        await Wait.ForAsync(() => _harness.Bundles.Applied.Any(a => a.Revision == 6), "revision 6 applied");

        Assert.DoesNotContain(_harness.Bundles.Applied, a => a.Revision == 3);
    }

    [Fact]
    public async Task Load_changes_are_published_in_the_status()
    {
        var gate = new GatedEngine();
        _harness.Bundles.EngineOverride = _ => gate;
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        await _harness.StartRelayOnlineAsync();

        await _harness.SendAsync(RelayHarness.Invocation("echo-script", "0.1.0", "say"));

        await _harness.ExpectAsync<RelayStatus>(RelayTopic.Status, s => s.State == RelayState.Online && s.Load == 1);
        gate.Open();
        await Wait.ForAsync(() => _harness.Received<RelayStatus>(RelayTopic.Status).Count(s => s.Load == 0) >= 2, "load back to 0");
    }

    [Theory]
    [InlineData(RelayTopic.Invocations, "{\"v\":1,\"type\":\"invocation\"", "The message is not valid JSON")]
    [InlineData(RelayTopic.Invocations, "{\"v\":2,\"type\":\"invocation\"}", "The message is protocol version 2; supported versions: 1.")]
    [InlineData(RelayTopic.Assignments, "[1]", "The message must be a JSON object, not an array.")]
    [InlineData(RelayTopic.Assignments, "{\"v\":1,\"type\":\"assignments\",\"relay_id\":\"relay-test-1\"}", "The 'assignments' message is missing the required field $.revision.")]
    [InlineData(RelayTopic.Cancels, "{\"v\":1,\"type\":\"result\"}", "The message is of type 'result', expected 'cancel'.")]
    public async Task A_malformed_payload_is_logged_with_its_topic_and_the_relay_still_answers(RelayTopic topic, string payload, string error)
    {
        _harness.Bundles.Add(TestBundleHost.Example("echo-script"));
        await _harness.StartRelayOnlineAsync();

        await _harness.PublishAsync(topic, payload);

        var line = await _harness.Log.WaitForAsync($"Dropped a message on {Topics.For(RelayHarness.RelayId, topic)}: ");
        Assert.Contains(error, line, StringComparison.Ordinal);
        var request = RelayHarness.Invocation("echo-script", "0.1.0", "say", ["still", "here"]);
        await _harness.SendAsync(request);
        var result = await _harness.ExpectResultAsync(request.RequestId);
        Assert.Equal("""{"text":"still here"}""", Assert.Single(result.Items).GetRawText());
        Assert.Equal(1, _harness.Relay!.Session.Connects);
    }

    [Fact]
    public async Task Assignments_and_cancels_for_another_relay_are_dropped()
    {
        await _harness.StartRelayOnlineAsync();

        await _harness.SendAsync(new BundleAssignments("other-relay", 9, []));

        await _harness.Log.WaitForAsync("it names relay 'other-relay'.");
        Assert.Empty(_harness.Bundles.Applied);
    }
}
