using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
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

    [Fact]
    public async Task Expired_tokens_are_deleted_at_start_and_then_once_a_day()
    {
        await using var writer = new AuditWriter(_store.Audit, TestAuditKeys.Default);
        var tokens = new ApiTokens(_store, new PasswordHasher(new PasswordHasherOptions()), new ApiTokenOptions(),
            new SignInThrottle(new SignInThrottleOptions(), _time), new AdminAudit(writer, _time), _time, NullLogger<ApiTokens>.Instance);
        await using var reaper = new TokenReaper(tokens, _time, NullLogger.Instance);

        await UntilAsync(2, "the expired token is deleted at start");

        _time.Advance(TokenReaper.Interval);
        await UntilAsync(1, "the token that expired since is deleted a day later");
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
