using Cog.Runtime.Storage;
using Cog.Runtime.Storage.Sql;

namespace Cog.Runtime.Sqlite;

/// <summary>Opens the embedded default store: one SQLite file in WAL mode with <c>synchronous=FULL</c> (a commit is
/// on disk when it returns), foreign keys on, and a single writer connection (SQLite has one writer; the store
/// queues writers in-process instead of letting them fight over the lock).</summary>
public static class SqliteStore
{
    /// <summary>Opens (creating when missing) the database at <see cref="SqliteStoreOptions.Path"/>. Call
    /// <see cref="IStore.MigrateAsync"/> before use; dispose the store to close the file.</summary>
    public static IStore Open(SqliteStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Path))
            throw new ArgumentException("The SQLite store needs a database file path.", nameof(options));
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        return new SqlStore(
            new SqliteDatabase(options.Path, options.BusyTimeout), Migration.FromAssembly(typeof(SqliteStore).Assembly),
            timeProvider ?? TimeProvider.System);
    }
}
