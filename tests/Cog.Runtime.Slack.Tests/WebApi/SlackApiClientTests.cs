using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Testing.Slack;

namespace Cog.Runtime.Slack.Tests.WebApi;

/// <summary>The Web API client's retries and errors, through the provider, against the fake's injected failures.</summary>
public sealed class SlackApiClientTests
{
    static readonly ChatRoom General = new("C0GENERAL", "general", false);

    static CancellationToken Token => TestContext.Current.CancellationToken;

    static ChatReply Reply(string text) => new(ReplyDocument.FromText(text));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_is_retried_after_retry_after_and_posts_once(bool asHttpDate)
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.RateLimited(TimeSpan.FromSeconds(1), asHttpDate));
        var watch = Stopwatch.StartNew();

        await h.Provider.SendAsync(General, Reply("hello"), Token);

        // An HTTP date has whole-second precision, so it may say a little less than a second.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(asHttpDate ? 1 : 990), watch.Elapsed.ToString());
        Assert.Equal(2, h.Slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(["hello"], h.Slack.Posts.Select(p => p.Text));
        Assert.Contains(h.Logs.Texts, t => t.StartsWith("Slack: chat.postMessage was rate-limited; waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_without_retry_after_waits_one_second()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.RateLimited(null));
        var watch = Stopwatch.StartNew();

        await h.Provider.SendAsync(General, Reply("hello"), Token);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(990), watch.Elapsed.ToString());
        Assert.Single(h.Slack.Posts);
    }

    [Fact]
    public async Task Other_calls_to_a_rate_limited_method_wait_for_the_same_pause()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.AddChannel("C0OPS0001", "ops");
        h.Slack.Fail("chat.postMessage", FakeFailure.RateLimited(TimeSpan.FromSeconds(1)));

        var first = h.Provider.SendAsync(General, Reply("first"), Token);
        await h.Slack.WaitUntilAsync(() => h.Slack.InjectedFailures("chat.postMessage") == 1, "the 429");
        await Task.Delay(100, Token);
        await h.Provider.SendAsync(new ChatRoom("C0OPS0001", "ops", false), Reply("second"), Token);
        await first;

        var calls = h.Slack.CallsTo("chat.postMessage");
        Assert.Equal(3, calls.Count);
        Assert.All(calls.Skip(1), c => Assert.True(c.At - calls[0].At >= TimeSpan.FromMilliseconds(900), (c.At - calls[0].At).ToString()));
        Assert.Equal(["first", "second"], h.Slack.Posts.OrderBy(p => p.Ts, StringComparer.Ordinal).Select(p => p.Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Rate_limiting_that_never_ends_fails_after_the_bounded_retries()
    {
        await using var h = await SlackHarness.StartAsync(tune: o => Tune(o, rateLimitRetries: 2), start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.RateLimited(TimeSpan.Zero), 3);

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.SendAsync(General, Reply("hello"), Token));

        Assert.Equal("Slack kept rate-limiting chat.postMessage after 3 attempts.", e.Message);
        Assert.Empty(h.Slack.Posts);
    }

    [Fact]
    public async Task A_rate_limited_error_in_a_200_answer_is_retried_like_a_429()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.Error("rate_limited"));

        await h.Provider.SendAsync(General, Reply("hello"), Token);

        Assert.Equal(2, h.Slack.CallsTo("chat.postMessage").Count);
        Assert.Single(h.Slack.Posts);
    }

    public static TheoryData<string, FakeFailure> TransientFailures => new()
    {
        { "HTTP 500", FakeFailure.Status(500) },
        { "HTTP 503", FakeFailure.Status(503) },
        { "the answer was not JSON", FakeFailure.Html },
        { "", FakeFailure.Reset },
    };

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task Transport_failures_are_retried_with_back_off_and_post_once(string reason, FakeFailure failure)
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", failure, 2);

        await h.Provider.SendAsync(General, Reply("hello"), Token);

        Assert.Equal(3, h.Slack.CallsTo("chat.postMessage").Count);
        Assert.Equal(["hello"], h.Slack.Posts.Select(p => p.Text));
        Assert.Equal(2, h.Logs.Texts.Count(t => t.StartsWith("Slack: chat.postMessage failed (" + reason, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retries_of_the_web_api_pipeline_are_reported_on_the_resilience_meter()
    {
        var retries = new ConcurrentQueue<(string Pipeline, string Strategy, string Error)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            var named = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var tag in tags)
                named[tag.Key] = tag.Value?.ToString() ?? "";
            if (named.GetValueOrDefault("event.name") == "OnRetry")
                retries.Enqueue((named.GetValueOrDefault("pipeline.name", ""), named.GetValueOrDefault("strategy.name", ""), named.GetValueOrDefault("error.type", "")));
        });
        listener.Start();
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.RateLimited(TimeSpan.Zero));
        h.Slack.Fail("chat.postMessage", FakeFailure.Status(503));

        await h.Provider.SendAsync(General, Reply("hello"), Token);

        Assert.Contains(("SlackApiClient-cog-slack-web-api", "rate-limit", "429"), retries);
        Assert.Contains(("SlackApiClient-cog-slack-web-api", "transport", "503"), retries);
    }

    [Fact]
    public async Task A_call_slower_than_the_request_timeout_is_retried()
    {
        await using var h = await SlackHarness.StartAsync(tune: o => Tune(o, requestTimeout: TimeSpan.FromMilliseconds(300)), start: false);
        h.Slack.Fail("users.info", FakeFailure.Delay(TimeSpan.FromSeconds(2)));

        var user = await h.Provider.FindUserAsync("U0ALICE01", Token);

        Assert.Equal("alice", user?.Handle);
        Assert.Equal(2, h.Slack.CallsTo("users.info").Count);
        Assert.Contains("Slack: users.info failed (no answer within 0.3 s); retrying in 00:00:00.0200000 (attempt 2).", h.Logs.Texts);
    }

    [Fact]
    public async Task Transport_failures_beyond_the_retries_fail_with_the_reason()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.Status(503), 4);

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.SendAsync(General, Reply("hello"), Token));

        Assert.Equal("Slack could not be reached for chat.postMessage: HTTP 503.", e.Message);
        Assert.Equal(4, h.Slack.CallsTo("chat.postMessage").Count);
    }

    [Theory]
    [InlineData("channel_not_found")]
    [InlineData("not_in_channel")]
    [InlineData("invalid_auth")]
    [InlineData("fatal_error")]
    public async Task A_refusal_is_not_retried_and_names_the_method_and_code(string code)
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.Fail("chat.postMessage", FakeFailure.Error(code));

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.SendAsync(General, Reply("hello"), Token));

        Assert.Equal($"Slack refused chat.postMessage: {code}.", e.Message);
        Assert.Single(h.Slack.CallsTo("chat.postMessage"));
    }

    [Fact]
    public async Task Posting_where_the_bot_is_not_a_member_is_refused_by_slack()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.AddChannel("C0SECRET1", "secret", botIsMember: false);

        var e = await Assert.ThrowsAsync<ChatProviderException>(() =>
            h.Provider.SendAsync(new ChatRoom("C0SECRET1", "secret", false), Reply("hello"), Token));

        Assert.Equal("Slack refused chat.postMessage: not_in_channel.", e.Message);
    }

    [Fact]
    public async Task Tokens_never_appear_in_logs_or_exception_messages()
    {
        var messages = new List<string>();
        await using (var h = await SlackHarness.StartAsync())
        {
            h.Slack.Fail("chat.postMessage", FakeFailure.RateLimited(TimeSpan.Zero));
            h.Slack.Fail("chat.postMessage", FakeFailure.Status(500));
            h.Slack.Fail("chat.postMessage", FakeFailure.Reset);
            await h.Provider.SendAsync(General, Reply("hello"), Token);
            h.Slack.Fail("users.info", FakeFailure.Error("invalid_auth"));
            messages.Add((await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.FindUserAsync("U0NOBODY1", Token))).ToString());
            h.Slack.Sockets[0].Drop();
            await h.Slack.WaitUntilAsync(() => h.Slack.Sockets.Count == 2 && h.Slack.LiveSockets.Count == 1, "the reconnect");
            await h.Provider.StopAsync(Token);
            messages.AddRange(h.Logs.Texts);
        }
        await using (var refused = await SlackHarness.StartAsync(tune: o => SlackHarness.FastOptions(o.ApiUrl, appToken: "xapp-1-wrong-secret"), start: false))
        {
            messages.Add((await Assert.ThrowsAsync<ChatProviderException>(() => refused.Provider.StartAsync(refused.Inbox, Token))).ToString());
            messages.AddRange(refused.Logs.Texts);
        }

        Assert.True(messages.Count > 8, string.Join("\n", messages));
        Assert.All(messages, m => Assert.DoesNotContain("secret", m, StringComparison.Ordinal));
    }

    static SlackOptions Tune(SlackOptions o, int? rateLimitRetries = null, TimeSpan? requestTimeout = null) => new()
    {
        AppToken = o.AppToken, BotToken = o.BotToken, ApiUrl = o.ApiUrl, RequestTimeout = requestTimeout ?? o.RequestTimeout,
        TransientRetryDelay = o.TransientRetryDelay, RateLimitRetries = rateLimitRetries ?? o.RateLimitRetries,
        HelloTimeout = o.HelloTimeout, KeepAliveInterval = o.KeepAliveInterval, KeepAliveTimeout = o.KeepAliveTimeout,
        ReconnectMinDelay = o.ReconnectMinDelay, ReconnectMaxDelay = o.ReconnectMaxDelay, Jitter = o.Jitter,
    };
}
