using System.Data.Common;
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
        return Open(DataSource(connectionString), ownsDataSource: true, timeProvider);
    }

    /// <summary>How often, with several hosts, Npgsql asks a host again whether it is the primary, unless the
    /// connection string says otherwise. Npgsql's own default, 10 seconds, keeps a standby that was just promoted
    /// unused for up to that long after a failover (it is remembered as a standby); a second costs one query per new
    /// connection at most once a second.</summary>
    public const int HostRecheckSeconds = 1;

    /// <summary>The data source of <paramref name="connectionString"/>: Npgsql's, with <see cref="HostRecheckSeconds"/>
    /// when the connection string lists several hosts (a primary and its standbys, with <c>Target Session
    /// Attributes=primary</c>) and does not set <c>Host Recheck Seconds</c>.</summary>
    public static NpgsqlDataSource DataSource(string connectionString) => DataSourceBuilder(connectionString).Build();

    /// <summary>The builder of <see cref="DataSource"/>, for a data source of the same database with settings of its own
    /// (the server bus's listening connection).</summary>
    public static NpgsqlDataSourceBuilder DataSourceBuilder(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (builder.ConnectionStringBuilder.Host?.Contains(',', StringComparison.Ordinal) == true
            && !given.Keys.Cast<string>().Any(static k => k.Replace(" ", "", StringComparison.Ordinal).Equals("HostRecheckSeconds", StringComparison.OrdinalIgnoreCase)))
            builder.ConnectionStringBuilder.HostRecheckSeconds = HostRecheckSeconds;
        return builder;
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
