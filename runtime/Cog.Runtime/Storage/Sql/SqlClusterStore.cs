using System.Data.Common;
using Cog.Runtime.Cluster;

namespace Cog.Runtime.Storage.Sql;

/// <summary>Instances and leases. Every decision is one conditional statement, so two servers racing for a name, a dead
/// instance or a lease cannot both win: PostgreSQL re-checks an UPDATE's or DELETE's condition on the row it waited
/// for, SQLite runs one writer at a time.</summary>
sealed class SqlClusterStore(SqlExecutor executor) : IClusterStore
{
    const string Columns = "name, identity, host, started_at, heartbeat_at";

    static ServerInstance Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Time(r, 3), Read.Time(r, 4));

    public async Task<ServerInstance?> RegisterInstanceAsync(ServerInstance instance, DateTimeOffset liveAfter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var result = await executor.WriteAsync<ServerInstance?>(async sql =>
        {
            (string, object?)[] values = [("n", instance.Name), ("i", instance.Identity), ("h", instance.Host),
                ("s", Read.Micros(instance.StartedAt)), ("b", Read.Micros(instance.HeartbeatAt)), ("live", Read.Micros(liveAfter))];
            if (await sql.ExecuteAsync($"INSERT INTO server_instances ({Columns}) VALUES (@n, @i, @h, @s, @b) ON CONFLICT (name) DO NOTHING",
                    values, cancellationToken).ConfigureAwait(false) == 1)
                return (ServerInstance?)null;
            if (await sql.ExecuteAsync("UPDATE server_instances SET identity = @i, host = @h, started_at = @s, heartbeat_at = @b " +
                    "WHERE name = @n AND (identity = @i OR heartbeat_at <= @live)", values, cancellationToken).ConfigureAwait(false) == 1)
                return (ServerInstance?)null;
            return await sql.SingleAsync($"SELECT {Columns} FROM server_instances WHERE name = @n", [("n", instance.Name)], Map, cancellationToken)
                .ConfigureAwait(false);
        }, null, cancellationToken).ConfigureAwait(false);
        return result.GetValueOrThrow();
    }

    public async Task<bool> HeartbeatAsync(string name, string identity, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await executor.WriteAsync<bool>(async sql => await sql.ExecuteAsync(
            "UPDATE server_instances SET heartbeat_at = @b WHERE name = @n AND identity = @i",
            [("n", name), ("i", identity), ("b", Read.Micros(now))], cancellationToken).ConfigureAwait(false) == 1, null, cancellationToken)
            .ConfigureAwait(false)).GetValueOrThrow();

    public async Task RemoveInstanceAsync(string name, string identity, CancellationToken cancellationToken) =>
        (await executor.WriteAsync<int>(async sql => await sql.ExecuteAsync("DELETE FROM server_instances WHERE name = @n AND identity = @i",
            [("n", name), ("i", identity)], cancellationToken).ConfigureAwait(false), null, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();

    public async Task<IReadOnlyList<ServerInstance>> ListInstancesAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM server_instances ORDER BY name", [], Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    public async Task<bool> RemoveDeadInstanceAsync(string name, DateTimeOffset deadAtOrBefore, CancellationToken cancellationToken) =>
        (await executor.WriteAsync<bool>(async sql => await sql.ExecuteAsync(
            "DELETE FROM server_instances WHERE name = @n AND heartbeat_at <= @dead",
            [("n", name), ("dead", Read.Micros(deadAtOrBefore))], cancellationToken).ConfigureAwait(false) == 1, null, cancellationToken)
            .ConfigureAwait(false)).GetValueOrThrow();

    public async Task<LeaseGrant?> TryTakeLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var result = await executor.WriteAsync<LeaseGrant?>(async sql =>
        {
            (string, object?)[] values = [("n", name), ("h", holder), ("now", Read.Micros(now)), ("e", Read.Micros(expiresAt))];
            var taken = await sql.ExecuteAsync("UPDATE leases SET holder = @h, expires_at = @e WHERE name = @n AND (holder = @h OR expires_at <= @now)",
                values, cancellationToken).ConfigureAwait(false) == 1
                || await sql.ExecuteAsync("INSERT INTO leases (name, holder, expires_at) VALUES (@n, @h, @e) ON CONFLICT (name) DO NOTHING",
                    values, cancellationToken).ConfigureAwait(false) == 1;
            if (!taken)
                return (LeaseGrant?)null;
            var grants = await sql.QueryAsync("SELECT last_run_at FROM leases WHERE name = @n", [("n", name)],
                static r => new LeaseGrant(Read.NullableTime(r, 0)), cancellationToken).ConfigureAwait(false);
            return grants[0];
        }, null, cancellationToken).ConfigureAwait(false);
        return result.GetValueOrThrow();
    }

    public async Task RecordLeaseRunAsync(string name, string holder, DateTimeOffset at, CancellationToken cancellationToken) =>
        (await executor.WriteAsync<int>(async sql => await sql.ExecuteAsync("UPDATE leases SET last_run_at = @at WHERE name = @n AND holder = @h",
            [("n", name), ("h", holder), ("at", Read.Micros(at))], cancellationToken).ConfigureAwait(false), null, cancellationToken)
            .ConfigureAwait(false)).GetValueOrThrow();

    public async Task ReleaseLeaseAsync(string name, string holder, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await executor.WriteAsync<int>(async sql => await sql.ExecuteAsync("UPDATE leases SET expires_at = @now WHERE name = @n AND holder = @h",
            [("n", name), ("h", holder), ("now", Read.Micros(now))], cancellationToken).ConfigureAwait(false), null, cancellationToken)
            .ConfigureAwait(false)).GetValueOrThrow();
}
