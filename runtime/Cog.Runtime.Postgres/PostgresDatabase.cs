using System.Data.Common;
using Cog.Runtime.Storage.Sql;
using Npgsql;

namespace Cog.Runtime.Postgres;

/// <summary>PostgreSQL connections from the data source's pool; writers are serialized by the database itself.</summary>
sealed class PostgresDatabase(NpgsqlDataSource dataSource, bool ownsDataSource) : SqlDatabase
{
    // Advisory lock keys ("Cog" in ASCII, plus one per purpose): audit appends from every server form one chain, and
    // migrations from several servers starting at once apply once.
    const long AuditLockKey = 0x436F6701;
    const long MigrationLockKey = 0x436F6702;

    public override string? AuditLockSql => $"SELECT pg_advisory_xact_lock({AuditLockKey})";

    // One round trip for a whole group commit (up to AuditWriter.MaxBatch records): 10 parameters a row stay far below
    // PostgreSQL's 65,535.
    public override int AuditRowsPerInsert => 512;

    public override string? MigrationLockSql => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public override async ValueTask<DbConnection> OpenReadAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override async ValueTask<WriteLease> OpenWriteAsync(CancellationToken cancellationToken) =>
        new(await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false), ownsConnection: true, release: null);

    public override SqlViolation Classify(DbException exception) => exception is PostgresException postgres
        ? postgres.SqlState switch
        {
            PostgresErrorCodes.UniqueViolation => SqlViolation.Unique,
            PostgresErrorCodes.ForeignKeyViolation => SqlViolation.ForeignKey,
            _ => SqlViolation.None,
        }
        : SqlViolation.None;

    // Unreachable: no connection (refused, reset, timed out: NpgsqlException without a server error), or the server
    // says it is shutting down, starting up or lost the connection (SQLSTATE classes 08 and 57P).
    public override bool IsUnavailable(DbException exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException => true,
        _ => false,
    };

    public override async ValueTask DisposeAsync()
    {
        if (ownsDataSource)
            await dataSource.DisposeAsync().ConfigureAwait(false);
    }
}
