using System.Data.Common;
using System.Globalization;
using Cog.Runtime.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Cog.Runtime.Sqlite;

/// <summary>SQLite connections: pooled readers, and one writer connection behind a semaphore.</summary>
sealed class SqliteDatabase : SqlDatabase
{
    // SQLite result codes (https://sqlite.org/rescode.html).
    const int ConstraintPrimaryKey = 1555;
    const int ConstraintUnique = 2067;
    const int ConstraintForeignKey = 787;
    const int Busy = 5;
    const int Locked = 6;
    const int IoError = 10;
    const int Full = 13;
    const int CantOpen = 14;

    readonly string _connectionString;
    readonly string _pragmas;
    readonly SemaphoreSlim _writer = new(1, 1);
    SqliteConnection? _writeConnection;
    bool _disposed;

    public SqliteDatabase(string path, TimeSpan busyTimeout)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)busyTimeout.TotalSeconds),
        }.ToString();
        _pragmas = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;");
    }

    public override string? AuditLockSql => null;

    public override string? MigrationLockSql => null;

    public override async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, _pragmas, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override async ValueTask<WriteLease> OpenWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writeConnection is null)
            {
                var connection = new SqliteConnection(_connectionString);
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                // WAL lets readers go on while the writer commits; it is a property of the file, set once.
                await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; " + _pragmas, cancellationToken).ConfigureAwait(false);
                _writeConnection = connection;
            }
            return new WriteLease(_writeConnection, ownsConnection: false, () => _writer.Release());
        }
        catch
        {
            _writer.Release();
            throw;
        }
    }

    public override SqlViolation Classify(DbException exception) => exception is SqliteException sqlite
        ? sqlite.SqliteExtendedErrorCode switch
        {
            ConstraintUnique or ConstraintPrimaryKey => SqlViolation.Unique,
            ConstraintForeignKey => SqlViolation.ForeignKey,
            _ => SqlViolation.None,
        }
        : SqlViolation.None;

    // The file cannot be written now (busy or locked beyond the timeout, an I/O error, a full disk, cannot be opened);
    // constraint violations and SQL errors are not outages.
    public override bool IsUnavailable(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: Busy or Locked or IoError or Full or CantOpen };

    public override async ValueTask DisposeAsync()
    {
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_writeConnection is not null)
                await _writeConnection.DisposeAsync().ConfigureAwait(false);
            // Pooled reader connections keep the file open; let it go.
            using (var connection = new SqliteConnection(_connectionString))
                SqliteConnection.ClearPool(connection);
        }
        finally
        {
            _writer.Release();
        }
    }

    static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
