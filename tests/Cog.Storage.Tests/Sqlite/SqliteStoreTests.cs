using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Storage.Sql;
using Cog.Storage.Tests.Contract;
using Microsoft.Data.Sqlite;

namespace Cog.Storage.Tests.Sqlite;

/// <summary>The store contract on SQLite: a fresh database file in a temporary folder per test.</summary>
public sealed class SqliteStoreTests : StoreContract, IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "cog-sqlite-" + Guid.NewGuid().ToString("N")[..12]);

    string DatabasePath => Path.Combine(_folder, "nested", SqliteStoreOptions.DefaultFileName);

    protected override Task<IStore> OpenFreshAsync() => Task.FromResult(SqliteStore.Open(new SqliteStoreOptions { Path = DatabasePath }));

    protected override Task<IStore> OpenEmptyAsync() =>
        Task.FromResult(SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(_folder, "empty", SqliteStoreOptions.DefaultFileName) }));

    internal override IStore OpenWithMigrations(IReadOnlyList<Migration> migrations) =>
        new SqlStore(new SqliteDatabase(DatabasePath, TimeSpan.FromSeconds(5)), migrations, TimeProvider.System);

    internal override IReadOnlyList<Migration> EmbeddedMigrations => Migration.FromAssembly(typeof(SqliteStore).Assembly);

    protected override async Task<int> ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Ct);
    }

    protected override async Task<object?> ScalarSqlAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = new SqliteCommand(sql, connection);
        return await command.ExecuteScalarAsync(Ct);
    }

    async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        return connection;
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_foreign_keys_enforced()
    {
        Assert.Equal("wal", await ScalarSqlAsync("PRAGMA journal_mode"));
        await Assert.ThrowsAsync<SqliteException>(() => ExecuteSqlAsync("PRAGMA foreign_keys = ON; INSERT INTO group_members (group_id, user_id) VALUES ('x', 'y')"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
