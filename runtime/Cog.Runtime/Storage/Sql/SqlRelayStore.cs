using System.Data.Common;
using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlRelayStore(SqlExecutor executor) : IRelayStore
{
    const string Columns = "id, name, token_hash, description, enabled, created_at";
    const string GroupColumns = "id, name, description, created_at";

    static RelayRecord Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.NullableText(r, 3), Read.Bool(r, 4), Read.Time(r, 5));

    static RelayGroup MapGroup(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.NullableText(r, 2), Read.Time(r, 3));

    static StoreError Taken(string entity, string key) => new(StoreErrorKind.Duplicate, StoreErrors.Duplicate(entity, key));

    static StoreError NotFound(string entity, string id) => new(StoreErrorKind.NotFound, StoreErrors.NotFound(entity, id));

    static (string, object?)[] Parameters(RelayRecord r) =>
        [("id", r.Id), ("n", r.Name), ("h", r.TokenHash), ("d", r.Description), ("e", r.Enabled), ("t", Read.Micros(r.CreatedAt))];

    public Task<StoreResult<RelayRecord>> CreateAsync(RelayRecord relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var normalized = relay with { Id = relay.Id.ToLowerInvariant(), CreatedAt = Read.Round(relay.CreatedAt) };
        return executor.WriteAsync<RelayRecord>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM relays WHERE id = @id", [("id", normalized.Id)], cancellationToken).ConfigureAwait(false))
                return Taken(StoreEntities.Relay, normalized.Id);
            if (await sql.ExistsAsync("SELECT 1 FROM relays WHERE name = @n", [("n", normalized.Name)], cancellationToken).ConfigureAwait(false))
                return Taken(StoreEntities.Relay, normalized.Name);
            await sql.ExecuteAsync($"INSERT INTO relays ({Columns}) VALUES (@id, @n, @h, @d, @e, @t)", Parameters(normalized), cancellationToken).ConfigureAwait(false);
            return normalized;
        }, _ => Taken(StoreEntities.Relay, normalized.Name), cancellationToken);
    }

    public Task<RelayRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM relays WHERE id = @id", [("id", id.ToLowerInvariant())], Map, cancellationToken), cancellationToken);

    public Task<RelayRecord?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM relays WHERE name = @n", [("n", name)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<RelayRecord>> ListAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM relays ORDER BY name", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<RelayRecord>> UpdateAsync(RelayRecord relay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relay);
        var normalized = relay with { Id = relay.Id.ToLowerInvariant() };
        return executor.WriteAsync<RelayRecord>(async sql =>
        {
            var current = await sql.SingleAsync($"SELECT {Columns} FROM relays WHERE id = @id", [("id", normalized.Id)], Map, cancellationToken).ConfigureAwait(false);
            if (current is null)
                return NotFound(StoreEntities.Relay, normalized.Id);
            if (await sql.ExistsAsync("SELECT 1 FROM relays WHERE name = @n AND id <> @id", [("n", normalized.Name), ("id", normalized.Id)], cancellationToken).ConfigureAwait(false))
                return Taken(StoreEntities.Relay, normalized.Name);
            await sql.ExecuteAsync("UPDATE relays SET name = @n, token_hash = @h, description = @d, enabled = @e WHERE id = @id",
                Parameters(normalized), cancellationToken).ConfigureAwait(false);
            return normalized with { CreatedAt = current.CreatedAt };
        }, _ => Taken(StoreEntities.Relay, normalized.Name), cancellationToken);
    }

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
            await sql.ExecuteAsync("DELETE FROM relays WHERE id = @id", [("id", id.ToLowerInvariant())], cancellationToken).ConfigureAwait(false) == 0
                ? NotFound(StoreEntities.Relay, id)
                : Done.Value, null, cancellationToken);

    public Task<StoreResult<RelayGroup>> CreateGroupAsync(RelayGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var normalized = group with { CreatedAt = Read.Round(group.CreatedAt) };
        return executor.WriteAsync<RelayGroup>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM relay_groups WHERE name = @n", [("n", group.Name)], cancellationToken).ConfigureAwait(false))
                return Taken(StoreEntities.RelayGroup, group.Name);
            await sql.ExecuteAsync($"INSERT INTO relay_groups ({GroupColumns}) VALUES (@id, @n, @d, @t)",
                [("id", group.Id), ("n", group.Name), ("d", group.Description), ("t", Read.Micros(group.CreatedAt))], cancellationToken).ConfigureAwait(false);
            return normalized;
        }, _ => Taken(StoreEntities.RelayGroup, group.Name), cancellationToken);
    }

    public Task<RelayGroup?> GetGroupAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {GroupColumns} FROM relay_groups WHERE id = @id", [("id", id)], MapGroup, cancellationToken), cancellationToken);

    public Task<RelayGroup?> FindGroupByNameAsync(string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {GroupColumns} FROM relay_groups WHERE name = @n", [("n", name)], MapGroup, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<RelayGroup>> ListGroupsAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {GroupColumns} FROM relay_groups ORDER BY name", [], MapGroup, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<RelayGroup>> UpdateGroupAsync(RelayGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return executor.WriteAsync<RelayGroup>(async sql =>
        {
            var current = await sql.SingleAsync($"SELECT {GroupColumns} FROM relay_groups WHERE id = @id", [("id", group.Id)], MapGroup, cancellationToken).ConfigureAwait(false);
            if (current is null)
                return NotFound(StoreEntities.RelayGroup, group.Id);
            if (await sql.ExistsAsync("SELECT 1 FROM relay_groups WHERE name = @n AND id <> @id", [("n", group.Name), ("id", group.Id)], cancellationToken).ConfigureAwait(false))
                return Taken(StoreEntities.RelayGroup, group.Name);
            await sql.ExecuteAsync("UPDATE relay_groups SET name = @n, description = @d WHERE id = @id",
                [("n", group.Name), ("d", group.Description), ("id", group.Id)], cancellationToken).ConfigureAwait(false);
            return group with { CreatedAt = current.CreatedAt };
        }, _ => Taken(StoreEntities.RelayGroup, group.Name), cancellationToken);
    }

    public Task<StoreResult<Done>> DeleteGroupAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
            await sql.ExecuteAsync("DELETE FROM relay_groups WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false) == 0
                ? NotFound(StoreEntities.RelayGroup, id)
                : Done.Value, null, cancellationToken);

    public Task<StoreResult<Done>> AddMemberAsync(string groupId, string relayId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var relay = relayId.ToLowerInvariant();
            if (!await sql.ExistsAsync("SELECT 1 FROM relay_groups WHERE id = @id", [("id", groupId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.RelayGroup, groupId);
            if (!await sql.ExistsAsync("SELECT 1 FROM relays WHERE id = @id", [("id", relay)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.Relay, relayId);
            await sql.ExecuteAsync("INSERT INTO relay_group_members (group_id, relay_id) VALUES (@g, @r) ON CONFLICT DO NOTHING",
                [("g", groupId), ("r", relay)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, _ => NotFound(StoreEntities.Grant, groupId), cancellationToken);

    public Task<StoreResult<Done>> RemoveMemberAsync(string groupId, string relayId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            await sql.ExecuteAsync("DELETE FROM relay_group_members WHERE group_id = @g AND relay_id = @r",
                [("g", groupId), ("r", relayId.ToLowerInvariant())], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public async Task<IReadOnlyList<RelayRecord>> ListMembersAsync(string groupId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT r.id, r.name, r.token_hash, r.description, r.enabled, r.created_at FROM relays r " +
            "JOIN relay_group_members m ON m.relay_id = r.id WHERE m.group_id = @g ORDER BY r.name", [("g", groupId)], Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<RelayGroup>> ListGroupsOfRelayAsync(string relayId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT g.id, g.name, g.description, g.created_at FROM relay_groups g " +
            "JOIN relay_group_members m ON m.group_id = g.id WHERE m.relay_id = @r ORDER BY g.name", [("r", relayId.ToLowerInvariant())], MapGroup, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Done>> AssignBundleAsync(string groupId, string bundleId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM relay_groups WHERE id = @id", [("id", groupId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.RelayGroup, groupId);
            var name = (string?)await sql.ScalarAsync("SELECT name FROM bundles WHERE id = @id", [("id", bundleId)], cancellationToken).ConfigureAwait(false);
            if (name is null)
                return NotFound(StoreEntities.Bundle, bundleId);
            if (name == Bundle.BuiltInName)
                return new StoreError(StoreErrorKind.Protected, StoreErrors.BundleProtected(name));
            await sql.ExecuteAsync("INSERT INTO relay_group_bundles (group_id, bundle_id) VALUES (@g, @b) ON CONFLICT DO NOTHING",
                [("g", groupId), ("b", bundleId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, _ => NotFound(StoreEntities.Grant, groupId), cancellationToken);

    public Task<StoreResult<Done>> UnassignBundleAsync(string groupId, string bundleId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            await sql.ExecuteAsync("DELETE FROM relay_group_bundles WHERE group_id = @g AND bundle_id = @b",
                [("g", groupId), ("b", bundleId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public async Task<IReadOnlyList<string>> ListGroupBundlesAsync(string groupId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync("SELECT bundle_id FROM relay_group_bundles WHERE group_id = @g ORDER BY bundle_id",
            [("g", groupId)], r => Read.Text(r, 0), cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> ListRelayBundlesAsync(string relayId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT DISTINCT b.bundle_id FROM relay_group_bundles b JOIN relay_group_members m ON m.group_id = b.group_id " +
            "WHERE m.relay_id = @r ORDER BY b.bundle_id", [("r", relayId.ToLowerInvariant())], r => Read.Text(r, 0), cancellationToken),
            cancellationToken).ConfigureAwait(false);
}
