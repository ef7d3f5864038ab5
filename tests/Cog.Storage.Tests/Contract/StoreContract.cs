using Cog.Runtime.Identity;
using Cog.Runtime.Storage;
using Cog.Runtime.Storage.Sql;

namespace Cog.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IStore"/> must have, run once per database by the derived classes. Each
/// test gets a fresh, migrated database.</summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_560);

    protected IStore Store { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store on this test's fresh database (migrated, or not yet: the contract migrates it).</summary>
    protected abstract Task<IStore> OpenFreshAsync();

    /// <summary>A store on another, empty database (no schema at all).</summary>
    protected abstract Task<IStore> OpenEmptyAsync();

    /// <summary>Another store on this test's database, with its own migration list.</summary>
    internal abstract IStore OpenWithMigrations(IReadOnlyList<Migration> migrations);

    /// <summary>The embedded migrations of the provider under test.</summary>
    internal abstract IReadOnlyList<Migration> EmbeddedMigrations { get; }

    /// <summary>Runs SQL directly against this test's database, bypassing the store (tampering, checks).</summary>
    protected abstract Task<int> ExecuteSqlAsync(string sql);

    /// <summary>A scalar query directly against this test's database.</summary>
    protected abstract Task<object?> ScalarSqlAsync(string sql);

    public async ValueTask InitializeAsync()
    {
        Store = await OpenFreshAsync();
        await Store.MigrateAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected static User NewUser(string username) =>
        new(StoreId.New(), username, username + "@example.com", "First " + username, "Last", "pbkdf2$hash-of-" + username);

    protected async Task<User> CreateUserAsync(string username) =>
        (await Store.Users.CreateAsync(NewUser(username), Ct)).GetValueOrThrow();

    protected static void AssertFailure<T>(StoreResult<T> result, StoreErrorKind kind, string message)
    {
        Assert.False(result.IsSuccess, "expected a failure");
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(message, result.Error.Message);
    }

    [Fact]
    public async Task Migrations_apply_once_and_again_do_nothing()
    {
        await using var empty = await OpenEmptyAsync();
        Assert.Equal(EmbeddedMigrations.Select(static m => m.Version), await empty.MigrateAsync(Ct));
        Assert.Empty(await empty.MigrateAsync(Ct));
        await using var second = OpenWithMigrations(EmbeddedMigrations);
        Assert.Empty(await second.MigrateAsync(Ct));
        Assert.Equal(EmbeddedMigrations.Count, Convert.ToInt64(await ScalarSqlAsync("SELECT COUNT(*) FROM schema_migrations"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_migration_that_arrives_after_a_higher_numbered_one_is_applied_then()
    {
        static Migration Numbered(int version) => new(version, $"{version:0000}_table", $"CREATE TABLE numbered_{version} (x INTEGER)");
        await using (var before = OpenWithMigrations([.. EmbeddedMigrations, Numbered(1001), Numbered(1003)]))
            Assert.Equal([1001, 1003], await before.MigrateAsync(Ct));

        await using var after = OpenWithMigrations([.. EmbeddedMigrations, Numbered(1001), Numbered(1002), Numbered(1003)]);
        Assert.Equal([1002], await after.MigrateAsync(Ct));
        Assert.Equal(0L, Convert.ToInt64(await ScalarSqlAsync("SELECT COUNT(*) FROM numbered_1002"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_behind()
    {
        var version = EmbeddedMigrations.Count + 1;
        var broken = new Migration(version, $"{version:0000}_broken", "CREATE TABLE half_done (x INTEGER); INSERT INTO no_such_table VALUES (1);");
        await using var store = OpenWithMigrations([.. EmbeddedMigrations, broken]);

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.MigrateAsync(Ct));

        Assert.Equal(0L, Convert.ToInt64(await ScalarSqlAsync("SELECT COUNT(*) FROM schema_migrations WHERE version = " + version), System.Globalization.CultureInfo.InvariantCulture));
        await ExecuteSqlAsync("CREATE TABLE half_done (x INTEGER)"); // would fail if the migration had left it
    }
}
