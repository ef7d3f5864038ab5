namespace Cog.Runtime.Sqlite;

/// <summary>Where and how to open the SQLite store. Validated by <see cref="SqliteStore.Open"/>.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file name used when the server is given no path: <c>cog.db</c> in its data directory.</summary>
    public const string DefaultFileName = "cog.db";

    /// <summary>The database file (created when missing, with its folder). Required.</summary>
    public string Path { get; set; } = "";

    /// <summary>How long a connection waits for a lock held by another process before failing. Default 5 s.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
