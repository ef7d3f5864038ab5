using System.Collections.Concurrent;
using Cog.Resilience;
using Cog.Runtime.Cluster;
using Cog.Runtime.Postgres.Cluster;
using Cog.Storage.Tests.Postgres;
using Cog.Testing;
using Npgsql;

namespace Cog.Storage.Tests.Cluster;

/// <summary>The server bus on PostgreSQL: two buses on one database are two servers.</summary>
public sealed class PostgresServerBusTests(PostgresCluster cluster)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly BackoffOptions QuickBackoff = new() { Delay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(200) };

    async Task<string> DatabaseAsync() => cluster.ConnectionString(await cluster.CreateDatabaseAsync("template0"));

    static Task<PostgresServerBus> StartAsync(string connectionString, string instance, CollectingLoggerFactory? logs = null) =>
        PostgresServerBus.StartAsync(connectionString, instance, TimeProvider.System,
            (logs ?? new CollectingLoggerFactory()).CreateLogger("bus"), Ct, QuickBackoff);

    [Fact]
    public async Task A_notice_reaches_every_other_server_in_order_and_never_its_sender()
    {
        var database = await DatabaseAsync();
        await using var one = await StartAsync(database, "one");
        await using var two = await StartAsync(database, "two");
        await using var three = await StartAsync(database, "three");
        var atOne = new ConcurrentQueue<ServerNotice>();
        var atTwo = new ConcurrentQueue<ServerNotice>();
        var atThree = new ConcurrentQueue<ServerNotice>();
        using var s1 = one.Subscribe("directory", atOne.Enqueue);
        using var s2 = two.Subscribe("directory", atTwo.Enqueue);
        using var s3 = three.Subscribe("directory", atThree.Enqueue);
        using var other = two.Subscribe("pipeline.kill", _ => Assert.Fail("A notice reached another channel's subscriber."));

        for (var i = 0; i < 5; i++)
            await one.PublishAsync("directory", $"grant {i} \"quoted\" ✓", Ct);
        await three.PublishAsync("directory", "from three", Ct);

        await Eventually.TrueAsync(() => atTwo.Count == 6 && atThree.Count == 5 && atOne.Count == 1, "every notice delivered");
        Assert.Equal([.. Enumerable.Range(0, 5).Select(i => new ServerNotice("directory", "one", $"grant {i} \"quoted\" ✓")), new ServerNotice("directory", "three", "from three")],
            atTwo.ToArray());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => new ServerNotice("directory", "one", $"grant {i} \"quoted\" ✓")), atThree.ToArray());
        Assert.Equal([new ServerNotice("directory", "three", "from three")], atOne.ToArray());
    }

    [Fact]
    public async Task A_disposed_subscription_receives_nothing_more()
    {
        var database = await DatabaseAsync();
        await using var one = await StartAsync(database, "one");
        await using var two = await StartAsync(database, "two");
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();
        var subscription = two.Subscribe("web-chat", n => first.Enqueue(n.Payload));
        using var kept = two.Subscribe("web-chat", n => second.Enqueue(n.Payload));

        await one.PublishAsync("web-chat", "a", Ct);
        await Eventually.TrueAsync(() => first.Count == 1, "the first notice");
        subscription.Dispose();
        await one.PublishAsync("web-chat", "b", Ct);
        await Eventually.TrueAsync(() => second.Count == 2, "the second notice at the kept subscription");

        Assert.Equal(["a"], first);
    }

    [Fact]
    public async Task A_lost_listener_listens_again_tells_subscribers_they_missed_notices_and_receives_again()
    {
        var database = await DatabaseAsync();
        var logs = new CollectingLoggerFactory();
        await using var one = await StartAsync(database, "one");
        await using var two = await StartAsync(database, "two", logs);
        var atTwo = new ConcurrentQueue<ServerNotice>();
        using var subscription = two.Subscribe("directory", atTwo.Enqueue);

        // The database drops the listening connection (an administrator, a failover, a network cut).
        await using (var admin = new NpgsqlConnection(database))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'cog-server-bus two'", admin);
            Assert.Equal(1L, await kill.ExecuteScalarAsync(Ct));
        }
        await Eventually.TrueAsync(() => atTwo.Any(static n => n.Missed), "the Missed notice");
        await one.PublishAsync("directory", "after", Ct);
        await Eventually.TrueAsync(() => atTwo.Any(static n => n.Payload == "after"), "a notice after the reconnection");

        Assert.Equal([new ServerNotice("directory", "", "", Missed: true), new ServerNotice("directory", "one", "after")], atTwo.ToArray());
        Assert.Equal(2, two.Listens);
        Assert.Contains(logs.Texts, static t => t.StartsWith("Lost the connection that listens for other servers' notices", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_that_throws_does_not_stop_the_others()
    {
        var database = await DatabaseAsync();
        var logs = new CollectingLoggerFactory();
        await using var one = await StartAsync(database, "one");
        await using var two = await StartAsync(database, "two", logs);
        var received = new ConcurrentQueue<string>();
        using var broken = two.Subscribe("directory", _ => throw new InvalidOperationException("broken handler"));
        using var working = two.Subscribe("directory", n => received.Enqueue(n.Payload));

        await one.PublishAsync("directory", "x", Ct);
        await one.PublishAsync("directory", "y", Ct);

        await Eventually.TrueAsync(() => received.Count == 2, "both notices at the working handler");
        Assert.Contains(logs.Errors, static t => t.StartsWith("A handler of server notices on 'directory' failed.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_channels_and_oversized_payloads_are_refused_before_anything_is_sent()
    {
        await using var bus = await StartAsync(await DatabaseAsync(), "one");

        var channel = await Assert.ThrowsAsync<ArgumentException>(() => bus.PublishAsync("Directory!", "x", Ct).AsTask());
        Assert.Contains("'Directory!' is not a server notice channel", channel.Message, StringComparison.Ordinal);
        var payload = await Assert.ThrowsAsync<ArgumentException>(() => bus.PublishAsync("directory", new string('x', IServerBus.MaxPayloadBytes + 1), Ct).AsTask());
        Assert.Contains($"payload is {IServerBus.MaxPayloadBytes + 1} bytes", payload.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => bus.Subscribe("", _ => { }));
    }

    [Fact]
    public async Task The_largest_payload_fits_in_a_notification()
    {
        var database = await DatabaseAsync();
        await using var one = await StartAsync(database, new string('€', PostgresServerBus.MaxInstanceLength));
        await using var two = await StartAsync(database, "two");
        var received = new ConcurrentQueue<string>();
        using var subscription = two.Subscribe("a-forty-character-channel-name-for-tests", n => received.Enqueue(n.Payload));
        // 7,000 bytes of UTF-8 with quotes and line feeds (the envelope's separator), from the longest instance name.
        var payload = string.Concat(Enumerable.Repeat("é\"\n", IServerBus.MaxPayloadBytes / 4));

        await one.PublishAsync("a-forty-character-channel-name-for-tests", payload, Ct);

        await Eventually.TrueAsync(() => received.Count == 1, "the largest notice");
        Assert.Equal(payload, received.Single());
    }
}
