using System.Collections.Concurrent;
using Cog.Runtime.Chat;
using Cog.Testing;
using Cog.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Runtime.Slack.Tests;

/// <summary>A fake Slack and a <see cref="SlackChatProvider"/> connected to it with short timings, the messages it
/// delivers and everything it logs.</summary>
sealed class SlackHarness : IAsyncDisposable
{
    readonly ServiceProvider _services;

    SlackHarness(FakeSlackServer slack, ServiceProvider services, CollectingLoggerFactory logs)
    {
        Slack = slack;
        _services = services;
        Provider = services.GetRequiredService<SlackChatProvider>();
        Logs = logs;
    }

    public FakeSlackServer Slack { get; }

    public SlackChatProvider Provider { get; }

    public CollectingLoggerFactory Logs { get; }

    public CollectingInbox Inbox { get; } = new();

    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Short timings for tests; the defaults are Slack's.</summary>
    public static SlackOptions FastOptions(Uri apiUrl, string appToken = FakeSlackServer.AppToken, string botToken = FakeSlackServer.BotToken) => new()
    {
        AppToken = appToken,
        BotToken = botToken,
        ApiUrl = apiUrl,
        RequestTimeout = TimeSpan.FromSeconds(5),
        TransientRetryDelay = TimeSpan.FromMilliseconds(20),
        HelloTimeout = TimeSpan.FromSeconds(2),
        KeepAliveInterval = TimeSpan.FromMilliseconds(500),
        KeepAliveTimeout = TimeSpan.FromMilliseconds(1000),
        ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
        LinkDisabledDelay = TimeSpan.FromSeconds(1.5),
        CloseTimeout = TimeSpan.FromMilliseconds(500),
        StartTimeout = TimeSpan.FromSeconds(10),
        Jitter = static () => 0.5,
    };

    /// <summary>Starts the fake (ack deadline 300 ms) with alice and bob in its directory, and a provider; starts the
    /// provider too unless <paramref name="start"/> is false.</summary>
    public static async Task<SlackHarness> StartAsync(FakeSlackOptions? fake = null, Func<SlackOptions, SlackOptions>? tune = null,
        bool start = true, TimeProvider? time = null)
    {
        var slack = await FakeSlackServer.StartAsync(fake ?? new FakeSlackOptions { AckDeadline = TimeSpan.FromMilliseconds(300) });
        slack.AddUser("U0ALICE01", "alice", "alice@example.com", "Alice", "Liddell");
        slack.AddUser("U0BOB0001", "bob", "bob@example.com", "Bob", "Builder");
        var logs = new CollectingLoggerFactory();
        var options = FastOptions(slack.ApiUrl);
        options = tune?.Invoke(options) ?? options;
        // Registered the way the server registers it: the Web API's typed client and its resilience pipeline.
        var services = new ServiceCollection().AddSlackChatProvider(options, time ?? TimeProvider.System, logs).BuildServiceProvider();
        var harness = new SlackHarness(slack, services, logs);
        if (start)
            await harness.Provider.StartAsync(harness.Inbox, Token);
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await _services.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

/// <summary>Keeps what a provider delivers.</summary>
sealed class CollectingInbox : IChatInbox
{
    readonly ConcurrentQueue<ChatMessage> _messages = new();

    public IReadOnlyList<ChatMessage> Messages => [.. _messages];

    public ValueTask ReceiveAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits for at least <paramref name="count"/> messages and returns them all.</summary>
    public async Task<IReadOnlyList<ChatMessage>> WaitForAsync(int count)
    {
        await Eventually.TrueAsync(() => _messages.Count >= count, $"{count} message(s) delivered (got: {string.Join(" | ", Messages.Select(m => m.Text))})");
        return Messages;
    }
}
