using Cog.Runtime.Storage;
using Cog.Runtime.Storage.Sql;
using Npgsql;

namespace Cog.Runtime.Postgres;

/// <summary>Opens the production store on PostgreSQL through an <see cref="NpgsqlDataSource"/> (Npgsql's pool).</summary>
public static class PostgresStore
{
    /// <summary>Opens the store on <paramref name="connectionString"/> (Npgsql keyword format, e.g.
    /// <c>Host=db;Database=cog;Username=cog;Password=…</c>). The store owns the data source it builds. Call
    /// <see cref="IStore.MigrateAsync"/> before use.</summary>
    public static IStore Open(string connectionString, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return Open(NpgsqlDataSource.Create(connectionString), ownsDataSource: true, timeProvider);
    }

    /// <summary>Opens the store on an existing data source; disposing the store disposes the data source only when
    /// <paramref name="ownsDataSource"/>.</summary>
    public static IStore Open(NpgsqlDataSource dataSource, bool ownsDataSource, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new SqlStore(
            new PostgresDatabase(dataSource, ownsDataSource), Migration.FromAssembly(typeof(PostgresStore).Assembly),
            timeProvider ?? TimeProvider.System);
    }
}
