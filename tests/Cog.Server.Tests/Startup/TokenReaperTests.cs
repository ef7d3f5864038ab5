using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Server.Startup;
using Cog.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Server.Tests.Startup;

public sealed class TokenReaperTests : IAsyncLifetime
{
    readonly string _folder = Directory.CreateTempSubdirectory("cog-reaper-").FullName;
    readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    IStore _store = null!;

    public async ValueTask InitializeAsync()
    {
        _store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_folder, "cog.db") }, _time);
        await _store.MigrateAsync(TestContext.Current.CancellationToken);
        var user = new User(StoreId.New(), "alice", "alice@example.com", null, null, "hash");
        (await _store.Users.CreateAsync(user, TestContext.Current.CancellationToken)).GetValueOrThrow();
        await TokenAsync(user, "expired", _time.GetUtcNow().AddHours(-1));
        await TokenAsync(user, "tomorrow", _time.GetUtcNow().AddHours(20));
        await TokenAsync(user, "next-week", _time.GetUtcNow().AddDays(7));
    }

    async Task TokenAsync(User user, string token, DateTimeOffset expires) =>
        (await _store.Tokens.CreateAsync(new ApiToken(StoreId.New(), user.Id, ApiTokenHash.Compute(token), _time.GetUtcNow(), expires),
            TestContext.Current.CancellationToken)).GetValueOrThrow();

    async Task<int> RemainingAsync() =>
        (await _store.Tokens.ListForUserAsync((await _store.Users.FindByUsernameAsync("alice", TestContext.Current.CancellationToken))!.Id,
            TestContext.Current.CancellationToken)).Count;

    async Task UntilAsync(int remaining, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (await RemainingAsync() != remaining)
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Eventually.Limit, $"Not within {Eventually.Limit}: {what}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    static readonly ClusterTimings Timings = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));

    ApiTokens Tokens(AuditWriter writer) => new(_store, new PasswordHasher(new PasswordHasherOptions()), new ApiTokenOptions(),
        new SignInThrottle(new SignInThrottleOptions(), _time), new AdminAudit(writer, _time), _time, NullLogger<ApiTokens>.Instance);

    static async Task UntilAsync(Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Eventually.Limit, $"Not within {Eventually.Limit}: {what}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Expired_tokens_are_deleted_at_start_and_then_once_a_day()
    {
        await using var writer = new AuditWriter(_store.Audit, TestAuditKeys.Default);
        await using var reaper = new TokenReaper(Tokens(writer), _store.Cluster, "cog-1", Timings, _time, NullLoggerFactory.Instance);

        await UntilAsync(2, "the expired token is deleted at start");

        _time.Advance(TokenReaper.Interval);
        await UntilAsync(1, "the token that expired since is deleted a day later");
    }

    [Fact]
    public async Task Of_two_servers_one_reaps_and_when_it_dies_the_other_takes_over_after_the_ttl_without_reaping_twice_a_day()
    {
        await using var writer = new AuditWriter(_store.Audit, TestAuditKeys.Default);
        var dying = new DyingClusterStore(_store.Cluster);
        await using var first = new TokenReaper(Tokens(writer), dying, "cog-1", Timings, _time, NullLoggerFactory.Instance);
        await UntilAsync(() => first.Job.Runs == 1, "the first server's pass at start");
        await using var second = new TokenReaper(Tokens(writer), _store.Cluster, "cog-2", Timings, _time, NullLoggerFactory.Instance);
        await UntilAsync(() => second.Job.Attempts == 1, "the second server's first attempt");
        Assert.False(second.Job.Holds);

        // The first server dies: it renews nothing more. Its lease, last renewed now, is current for the TTL.
        dying.Die();
        var heartbeats = (int)(Timings.InstanceTtl / Timings.Heartbeat);
        for (var beat = 1; beat <= heartbeats; beat++)
        {
            _time.Advance(Timings.Heartbeat);
            await UntilAsync(() => second.Job.Attempts == 1 + beat, $"the second server's attempt {1 + beat}");
            Assert.True(second.Job.Holds == (beat == heartbeats), $"after {beat} heartbeats the second server holds the lease: {second.Job.Holds}");
        }
        // It holds the lease, but the work ran today (by the first server): not again until a day after that pass.
        Assert.Equal((1, 0), (first.Job.Runs, second.Job.Runs));
        _time.Advance(TokenReaper.Interval - Timings.InstanceTtl);
        await UntilAsync(() => second.Job.Runs == 1, "the second server's pass a day after the first's");
        Assert.Equal(1, await RemainingAsync());
        Assert.Equal(1, first.Job.Runs);
    }

    /// <summary>A server's view of the store that goes dark, as when the server dies.</summary>
    sealed class DyingClusterStore(IClusterStore store) : IClusterStore
    {
        volatile bool _dead;

        public void Die() => _dead = true;

        IClusterStore Live => _dead ? throw new InvalidOperationException("This server is dead.") : store;

        public Task<ServerInstance?> RegisterInstanceAsync(ServerInstance instance, DateTimeOffset liveAfter, CancellationToken cancellationToken) =>
            Live.RegisterInstanceAsync(instance, liveAfter, cancellationToken);

        public Task<bool> HeartbeatAsync(string name, string identity, DateTimeOffset now, CancellationToken cancellationToken) =>
            Live.HeartbeatAsync(name, identity, now, cancellationToken);

        public Task RemoveInstanceAsync(string name, string identity, CancellationToken cancellationToken) =>
            Live.RemoveInstanceAsync(name, identity, cancellationToken);

        public Task<IReadOnlyList<ServerInstance>> ListInstancesAsync(CancellationToken cancellationToken) => Live.ListInstancesAsync(cancellationToken);

        public Task<bool> RemoveDeadInstanceAsync(string name, DateTimeOffset deadAtOrBefore, CancellationToken cancellationToken) =>
            Live.RemoveDeadInstanceAsync(name, deadAtOrBefore, cancellationToken);

        public Task<LeaseGrant?> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
            Live.TryTakeLeaseAsync(name, holder, now, expiresAt, cancellationToken);

        public Task RecordLeaseRunAsync(string name, string holder, DateTimeOffset at, CancellationToken cancellationToken) =>
            Live.RecordLeaseRunAsync(name, holder, at, cancellationToken);

        public Task ReleaseLeaseAsync(string name, string holder, DateTimeOffset now, CancellationToken cancellationToken) =>
            Live.ReleaseLeaseAsync(name, holder, now, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
