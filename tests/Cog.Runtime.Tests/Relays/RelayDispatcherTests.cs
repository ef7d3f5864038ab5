using System.Diagnostics;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Relays;

public sealed class RelayDispatcherTests : IDisposable
{
    static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    readonly FakeTimeProvider _time = new(Start);
    readonly FakeRelayTransport _transport = new();
    readonly CollectingLogger<RelayDispatcher> _log = new();
    readonly List<int> _randomCalls = [];
    readonly RelayRegistry _registry;
    readonly RelayDispatcher _dispatcher;
    int _randomAnswer = 1;

    public RelayDispatcherTests()
    {
        _registry = new RelayRegistry(_time);
        _dispatcher = new RelayDispatcher(_registry, _transport, new RelayDispatcherOptions(), _time, _log, n =>
        {
            _randomCalls.Add(n);
            return Math.Min(_randomAnswer, n - 1);
        });
    }

    public void Dispose()
    {
        _dispatcher.Dispose();
        Assert.Empty(_log.Errors);
    }

    void Ready(string relayId, int load = 0, int capacity = 4, string digest = Some.Digest, string version = "1.4.0", params string[] tags)
    {
        _dispatcher.OnStatus(relayId, Some.Online(relayId, "i1", load, capacity, tags));
        _dispatcher.OnAnnounce(relayId, Some.Announce(relayId, "i1", version: version, digest: digest));
    }

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_command_is_sent_to_a_relay_that_announced_it_and_its_result_returned()
    {
        Ready("web-7");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(timeout: TimeSpan.FromSeconds(60)), Token);

        var (relayId, sent) = await _transport.NextInvocationAsync();
        Assert.Equal("web-7", relayId);
        Assert.Equal(("deploy", "1.4.0", "release", "inv-1", "pipe-1", 0), (sent.Bundle, sent.Version, sent.Command, sent.InvocationId, sent.PipelineId, sent.Stage));
        Assert.Equal(Start + TimeSpan.FromSeconds(5), sent.AckBy);
        Assert.Equal(Start + TimeSpan.FromSeconds(5 + 60 + 2), sent.Deadline);
        Assert.Equal(60_000, sent.TimeoutMs);
        Assert.Equal("eu-west-1", sent.Configuration["REGION"]);
        Assert.Equal(("alice", "ops"), (sent.Caller.Username, sent.Room.Name));
        Assert.True(Guid.TryParse(sent.RequestId, out _));

        _dispatcher.OnAck("web-7", Some.Ack("web-7", sent, Start));
        _dispatcher.OnResult("web-7", Some.Result("web-7", sent));
        var outcome = await dispatch;

        Assert.Equal(DispatchStatus.Completed, outcome.Status);
        Assert.Equal(("web-7", 1, sent.RequestId, true, null), (outcome.RelayId, outcome.Attempts, outcome.RequestId, outcome.Acknowledged, outcome.Message));
        Assert.Equal(ResultStatus.Ok, outcome.Result!.Status);
        Assert.Equal(0, _registry.Find("web-7")!.InFlight);
        Assert.Equal(("web-7", new InvocationReceipt(sent.RequestId, "web-7")), Assert.Single(_transport.Receipts));
        // Kept until its deadline, to answer the same result published again.
        Assert.Equal(1, _dispatcher.PendingCount);
        _time.Advance(sent.Deadline - _time.GetUtcNow());
        Assert.Equal(0, _dispatcher.PendingCount);
    }

    [Fact]
    public async Task A_request_whose_connection_broke_while_sending_waits_for_its_ack_and_is_not_sent_to_another_relay()
    {
        Ready("a");
        Ready("b", load: 1);
        _transport.BreaksWhileSending.Add("a");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(timeout: TimeSpan.FromSeconds(60)), Token);
        var (relayId, sent) = await _transport.NextInvocationAsync();

        // The broker had passed it on: relay a acknowledges it once the server is connected again.
        _time.Advance(TimeSpan.FromSeconds(3));
        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));
        _dispatcher.OnResult("a", Some.Result("a", sent));
        var outcome = await dispatch;

        Assert.Equal("a", relayId);
        Assert.Equal((DispatchStatus.Completed, "a", 1), (outcome.Status, outcome.RelayId, outcome.Attempts));
        Assert.False(_transport.HasInvocation);
        Assert.Contains(_log.Warnings, l => l == $"The connection broke while sending request {sent.RequestId} to relay a; waiting for its ack before trying another relay.");
    }

    [Fact]
    public async Task With_no_eligible_relay_nothing_is_sent_and_the_reference_message_is_returned()
    {
        var outcome = await _dispatcher.DispatchAsync(Some.Request(), Token);

        Assert.Equal(DispatchStatus.NoRelay, outcome.Status);
        Assert.Equal("No Cog Relays supporting the `deploy` bundle are currently online. If you just assigned the bundle to a relay group, try again once one of its relays has downloaded and announced it.", outcome.Message);
        Assert.Equal((0, null), (outcome.Attempts, outcome.RelayId));
        Assert.Equal(0, _transport.InvocationCount);
    }

    [Fact]
    public async Task Only_an_online_relay_that_announced_the_version_with_the_expected_digest_is_chosen()
    {
        Ready("wrong-digest", digest: Some.OtherDigest);
        Ready("other-version", version: "1.3.0");
        Ready("gone");
        _dispatcher.OnStatus("gone", Some.Offline("gone"));
        _dispatcher.OnStatus("restarted", Some.Online("restarted", "i1"));
        _dispatcher.OnAnnounce("restarted", Some.Announce("restarted", "i1"));
        _dispatcher.OnStatus("restarted", Some.Online("restarted", "i2"));
        Ready("right", load: 3);

        _ = _dispatcher.DispatchAsync(Some.Request(), Token);

        Assert.Equal("right", (await _transport.NextInvocationAsync()).RelayId);
    }

    [Fact]
    public async Task The_least_busy_relay_by_load_over_capacity_is_chosen()
    {
        Ready("three-of-four", load: 3, capacity: 4);
        Ready("one-of-two", load: 1, capacity: 2);
        Ready("two-of-eight", load: 2, capacity: 8);

        _ = _dispatcher.DispatchAsync(Some.Request(), Token);

        Assert.Equal("two-of-eight", (await _transport.NextInvocationAsync()).RelayId);
    }

    [Fact]
    public async Task This_servers_in_flight_requests_count_towards_a_relays_load()
    {
        Ready("a", capacity: 1);
        Ready("b", capacity: 1);

        _ = _dispatcher.DispatchAsync(Some.Request(), Token);
        _ = _dispatcher.DispatchAsync(Some.Request(), Token);

        Assert.Equal("a", (await _transport.NextInvocationAsync()).RelayId);
        Assert.Equal("b", (await _transport.NextInvocationAsync()).RelayId);
        Assert.Equal(1, _registry.Find("a")!.InFlight);
    }

    [Fact]
    public async Task Ties_are_broken_by_the_injected_random_source()
    {
        Ready("a");
        Ready("b");
        Ready("c");
        _randomAnswer = 0; // every tie replaces the choice so far: the last relay wins

        _ = _dispatcher.DispatchAsync(Some.Request(), Token);

        Assert.Equal("c", (await _transport.NextInvocationAsync()).RelayId);
        Assert.Equal([2, 3], _randomCalls);
    }

    [Fact]
    public async Task A_restriction_to_relay_ids_is_respected()
    {
        Ready("a");
        Ready("b", load: 3);
        var request = Some.Request() with { Restriction = new RelayRestriction(new HashSet<string> { "b" }) };

        _ = _dispatcher.DispatchAsync(request, Token);

        Assert.Equal("b", (await _transport.NextInvocationAsync()).RelayId);
    }

    [Fact]
    public async Task A_restriction_to_a_tag_is_respected()
    {
        Ready("a");
        Ready("b", load: 3, tags: ["gpu"]);
        Ready("c", load: 1, tags: ["gpu"]);
        var request = Some.Request() with { Restriction = new RelayRestriction(new HashSet<string> { "a", "b" }, "gpu") };

        _ = _dispatcher.DispatchAsync(request, Token);

        Assert.Equal("b", (await _transport.NextInvocationAsync()).RelayId);
    }

    [Fact]
    public async Task An_empty_relay_restriction_allows_no_relay()
    {
        Ready("a");
        var request = Some.Request() with { Restriction = new RelayRestriction(new HashSet<string>()) };

        var outcome = await _dispatcher.DispatchAsync(request, Token);

        Assert.Equal(DispatchStatus.NoRelay, outcome.Status);
    }

    [Fact]
    public async Task Without_an_ack_in_time_the_next_relay_gets_the_command_with_a_new_request_id()
    {
        Ready("a");
        Ready("b", load: 1);
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), Token);
        var (first, firstRequest) = await _transport.NextInvocationAsync();

        _time.Advance(TimeSpan.FromSeconds(5 + 2) - TimeSpan.FromMilliseconds(100));
        Assert.False(_transport.HasInvocation);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var (second, secondRequest) = await _transport.NextInvocationAsync();

        Assert.Equal(("a", "b"), (first, second));
        Assert.NotEqual(firstRequest.RequestId, secondRequest.RequestId);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(5), secondRequest.AckBy);
        Assert.Contains($"Relay a did not acknowledge request {firstRequest.RequestId} (`deploy:release`) in time; trying another relay.", _log.Warnings);
        Assert.Equal(0, _registry.Find("a")!.InFlight);

        _dispatcher.OnAck("b", Some.Ack("b", secondRequest, _time.GetUtcNow()));
        _dispatcher.OnResult("b", Some.Result("b", secondRequest));
        var outcome = await dispatch;
        Assert.Equal((DispatchStatus.Completed, "b", 2), (outcome.Status, outcome.RelayId, outcome.Attempts));
    }

    [Fact]
    public async Task When_no_relay_acknowledges_the_reference_message_is_returned()
    {
        Ready("a");
        Ready("b");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), Token);
        await _transport.NextInvocationAsync();
        _time.Advance(TimeSpan.FromSeconds(7));
        await _transport.NextInvocationAsync();
        _time.Advance(TimeSpan.FromSeconds(7));

        var outcome = await dispatch;

        Assert.Equal((DispatchStatus.NoRelay, 2), (outcome.Status, outcome.Attempts));
        Assert.Equal(RelayMessages.NoRelayOnline("deploy"), outcome.Message);
    }

    [Fact]
    public async Task A_late_ack_for_an_abandoned_request_is_a_warning_naming_the_relay_which_is_told_to_stop()
    {
        Ready("a");
        Ready("b", load: 1);
        _ = _dispatcher.DispatchAsync(Some.Request(), Token);
        var (_, abandoned) = await _transport.NextInvocationAsync();
        _time.Advance(TimeSpan.FromSeconds(7));
        await _transport.NextInvocationAsync();

        _dispatcher.OnAck("a", Some.Ack("a", abandoned, _time.GetUtcNow()));
        _dispatcher.OnAck("a", Some.Ack("a", abandoned, _time.GetUtcNow())); // a QoS 1 duplicate: logged once
        _dispatcher.OnResult("a", Some.Result("a", abandoned));

        var expected = $"Relay a acknowledged request {abandoned.RequestId} after this server had stopped waiting for it; check the clocks of the relay, the broker and the server.";
        Assert.Single(_log.Warnings, expected);
        Assert.Contains($"Ignored the result of request {abandoned.RequestId} from relay a: this server had stopped waiting for it.", _log.Warnings);
        var (relay, cancel) = await _transport.NextCancelAsync();
        Assert.Equal(("a", abandoned.RequestId, RelayMessages.LateAckCancelReason), (relay, cancel.RequestId, cancel.Reason));
    }

    [Fact]
    public async Task An_acknowledged_command_without_a_result_by_its_deadline_is_never_sent_again()
    {
        Ready("a");
        Ready("b", load: 1);
        var dispatch = _dispatcher.DispatchAsync(Some.Request(timeout: TimeSpan.FromSeconds(60)), Token);
        var (_, sent) = await _transport.NextInvocationAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));

        _time.Advance(sent.Deadline - _time.GetUtcNow() - TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _dispatcher.PendingCount);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        var outcome = await dispatch;

        Assert.Equal(DispatchStatus.NoResult, outcome.Status);
        Assert.Equal("The `deploy:release` command was started on relay a but no result arrived by its deadline; it may or may not have completed.", outcome.Message);
        Assert.Equal(("a", 1, true), (outcome.RelayId, outcome.Attempts, outcome.Acknowledged));
        Assert.Equal(1, _transport.InvocationCount);
        Assert.False(_transport.HasInvocation);
        Assert.Equal(0, _dispatcher.PendingCount);
    }

    [Fact]
    public async Task An_offline_status_does_not_fail_an_acknowledged_request_early()
    {
        Ready("a");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(timeout: TimeSpan.FromSeconds(60)), Token);
        var (_, sent) = await _transport.NextInvocationAsync();
        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));

        _dispatcher.OnStatus("a", Some.Offline("a"));
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, _dispatcher.PendingCount);
        _dispatcher.OnStatus("a", Some.Online("a"));
        _dispatcher.OnResult("a", Some.Result("a", sent));

        Assert.Equal(DispatchStatus.Completed, (await dispatch).Status);
    }

    [Fact]
    public async Task A_result_without_a_prior_ack_completes_the_request()
    {
        Ready("a");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), Token);
        var (_, sent) = await _transport.NextInvocationAsync();

        _dispatcher.OnResult("a", Some.Result("a", sent));
        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));

        var outcome = await dispatch;
        Assert.Equal((DispatchStatus.Completed, true), (outcome.Status, outcome.Acknowledged));
    }

    [Fact]
    public async Task A_result_published_again_is_answered_with_a_receipt_and_used_once_and_an_unknown_one_is_ignored()
    {
        Ready("a");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), Token);
        var (_, sent) = await _transport.NextInvocationAsync();
        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));
        _dispatcher.OnResult("a", Some.Result("a", sent, "first"));

        _dispatcher.OnResult("a", Some.Result("a", sent, "duplicate"));
        _dispatcher.OnResult("a", Some.Result("a", sent with { RequestId = "unknown" }));

        var outcome = await dispatch;
        Assert.Equal("first", outcome.Result!.Items[0].GetProperty("text").GetString());
        // The relay had no receipt yet (e.g. a broker restart lost it) and published the same result again.
        Assert.Contains($"Relay a published the result of request {sent.RequestId} again (it had no receipt yet); answered with a receipt only.", _log.Lines);
        Assert.Equal([sent.RequestId, sent.RequestId], _transport.Receipts.Select(r => r.Receipt.RequestId));
        // Another server's request (or one past its deadline): no receipt.
        Assert.Contains("Ignored the result of request unknown from relay a: not a pending request of this server.", _log.Lines);
    }

    [Fact]
    public async Task A_reply_from_another_relay_than_the_one_sent_to_is_ignored()
    {
        Ready("a");
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), Token);
        var (_, sent) = await _transport.NextInvocationAsync();

        _dispatcher.OnResult("b", Some.Result("b", sent, "forged"));
        _dispatcher.OnResult("a", Some.Result("b", sent, "mismatch"));
        _dispatcher.OnResult("a", Some.Result("a", sent, "real"));

        Assert.Equal("real", (await dispatch).Result!.Items[0].GetProperty("text").GetString());
        Assert.Contains($"Ignored the result of request {sent.RequestId} from relay b: the request was sent to relay a.", _log.Warnings);
        Assert.Contains("Ignored the result message on the topic of relay a: it names relay b.", _log.Warnings);
    }

    [Fact]
    public async Task Cancelling_an_acknowledged_command_sends_the_relay_a_cancel()
    {
        Ready("a");
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), kill.Token);
        var (_, sent) = await _transport.NextInvocationAsync();
        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));

        await kill.CancelAsync();
        var outcome = await dispatch;

        Assert.Equal((DispatchStatus.Cancelled, "a", true), (outcome.Status, outcome.RelayId, outcome.Acknowledged));
        Assert.Equal("The `deploy:release` command was stopped before it finished.", outcome.Message);
        var (relayId, cancel) = await _transport.NextCancelAsync();
        Assert.Equal(("a", sent.RequestId, "a", "The pipeline was stopped."), (relayId, cancel.RequestId, cancel.RelayId, cancel.Reason));
        Assert.Equal(0, _registry.Find("a")!.InFlight);
    }

    [Fact]
    public async Task A_command_cancelled_before_its_ack_is_cancelled_on_the_relay_if_acknowledged_late()
    {
        Ready("a");
        using var kill = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var dispatch = _dispatcher.DispatchAsync(Some.Request(), kill.Token);
        var (_, sent) = await _transport.NextInvocationAsync();

        await kill.CancelAsync();
        var outcome = await dispatch;
        Assert.Equal((DispatchStatus.Cancelled, false), (outcome.Status, outcome.Acknowledged));
        Assert.False(_transport.HasCancel);

        _dispatcher.OnAck("a", Some.Ack("a", sent, _time.GetUtcNow()));
        Assert.Equal(sent.RequestId, (await _transport.NextCancelAsync()).Cancel.RequestId);
        Assert.Contains($"Relay a acknowledged request {sent.RequestId} after it was cancelled; sending it a cancel.", _log.Lines);
    }

    [Fact]
    public async Task An_already_cancelled_dispatch_sends_nothing()
    {
        Ready("a");
        var outcome = await _dispatcher.DispatchAsync(Some.Request(), new CancellationToken(canceled: true));

        Assert.Equal((DispatchStatus.Cancelled, 0), (outcome.Status, outcome.Attempts));
        Assert.Equal(0, _transport.InvocationCount);
    }

    [Fact]
    public async Task A_relay_the_transport_cannot_reach_is_skipped()
    {
        Ready("a");
        Ready("b", load: 1);
        _transport.Unreachable.Add("a");

        _ = _dispatcher.DispatchAsync(Some.Request(), Token);

        var (relayId, sent) = await _transport.NextInvocationAsync();
        Assert.Equal("b", relayId);
        Assert.Contains(_log.Warnings, line => line.StartsWith("Could not send request ", StringComparison.Ordinal) && line.EndsWith(" to relay a; trying another relay.", StringComparison.Ordinal));
        Assert.Equal(0, _registry.Find("a")!.InFlight);
        Assert.NotNull(sent);
    }

    [Fact]
    public async Task Entries_kept_for_late_acks_are_forgotten_after_their_deadline()
    {
        Ready("a");
        _ = _dispatcher.DispatchAsync(Some.Request(timeout: TimeSpan.FromSeconds(10)), Token);
        await _transport.NextInvocationAsync();
        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(1, _dispatcher.PendingCount);

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, _dispatcher.PendingCount);
    }

    [Fact]
    public async Task Ten_thousand_invocations_with_a_hundred_in_flight_all_complete()
    {
        Ready("a", capacity: 100);
        Ready("b", capacity: 100);
        _transport.OnSend = (relayId, request) =>
        {
            _dispatcher.OnAck(relayId, Some.Ack(relayId, request, Start));
            _dispatcher.OnResult(relayId, Some.Result(relayId, request));
        };
        var request = Some.Request();
        var completed = 0;
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            for (var i = 0; i < 100; i++)
            {
                if ((await _dispatcher.DispatchAsync(request, Token)).Status == DispatchStatus.Completed)
                    Interlocked.Increment(ref completed);
            }
        }));

        TestContext.Current.SendDiagnosticMessage($"10,000 dispatches in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(10_000, completed);
        // Each is kept until its deadline to answer a result published again; then the table is empty.
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(0, _dispatcher.PendingCount);
    }
}
