using System.Data.Common;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlGroupStore(SqlExecutor executor) : IGroupStore
{
    static Group Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1));

    static StoreError Taken(string name) => new(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Group, name));

    static StoreError NotFound(string entity, string id) => new(StoreErrorKind.NotFound, StoreErrors.NotFound(entity, id));

    /// <summary>Whether <paramref name="userId"/> is the only member of <c>cog-admin</c>.</summary>
    internal static async Task<bool> IsLastAdminAsync(SqlContext sql, string userId, CancellationToken cancellationToken)
    {
        var members = await sql.QueryAsync(
            "SELECT m.user_id FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE g.name = @admin",
            [("admin", Group.AdminName)], r => Read.Text(r, 0), cancellationToken).ConfigureAwait(false);
        return members.Count == 1 && members[0] == userId;
    }

    public Task<StoreResult<Group>> CreateAsync(Group group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return executor.WriteAsync<Group>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM user_groups WHERE name = @n", [("n", group.Name)], cancellationToken).ConfigureAwait(false))
                return Taken(group.Name);
            await sql.ExecuteAsync("INSERT INTO user_groups (id, name) VALUES (@id, @n)", [("id", group.Id), ("n", group.Name)], cancellationToken).ConfigureAwait(false);
            return group;
        }, _ => Taken(group.Name), cancellationToken);
    }

    public Task<Group?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync("SELECT id, name FROM user_groups WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<Group?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync("SELECT id, name FROM user_groups WHERE name = @n", [("n", name)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Group>> ListAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync("SELECT id, name FROM user_groups ORDER BY name", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Group>> RenameAsync(string id, string newName, CancellationToken cancellationToken) =>
        executor.WriteAsync<Group>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM user_groups WHERE name = @n AND id <> @id", [("n", newName), ("id", id)], cancellationToken).ConfigureAwait(false))
                return Taken(newName);
            var changed = await sql.ExecuteAsync("UPDATE user_groups SET name = @n WHERE id = @id", [("n", newName), ("id", id)], cancellationToken).ConfigureAwait(false);
            return changed == 0 ? NotFound(StoreEntities.Group, id) : new Group(id, newName);
        }, _ => Taken(newName), cancellationToken);

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var name = (string?)await sql.ScalarAsync("SELECT name FROM user_groups WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            if (name is null)
                return NotFound(StoreEntities.Group, id);
            if (await sql.ExistsAsync("SELECT 1 FROM group_members WHERE group_id = @id", [("id", id)], cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.InUse, StoreErrors.GroupHasMembers(name));
            await sql.ExecuteAsync("DELETE FROM user_groups WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public Task<StoreResult<Done>> AddMemberAsync(string groupId, string userId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM user_groups WHERE id = @id", [("id", groupId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.Group, groupId);
            if (!await sql.ExistsAsync("SELECT 1 FROM users WHERE id = @id", [("id", userId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.User, userId);
            await sql.ExecuteAsync("INSERT INTO group_members (group_id, user_id) VALUES (@g, @u) ON CONFLICT DO NOTHING",
                [("g", groupId), ("u", userId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, v => NotFound(StoreEntities.Grant, groupId), cancellationToken);

    public Task<StoreResult<Done>> RemoveMemberAsync(string groupId, string userId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var name = (string?)await sql.ScalarAsync("SELECT name FROM user_groups WHERE id = @id", [("id", groupId)], cancellationToken).ConfigureAwait(false);
            if (name is null)
                return NotFound(StoreEntities.Group, groupId);
            if (name == Group.AdminName && await IsLastAdminAsync(sql, userId, cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.Protected, StoreErrors.LastAdminMember);
            await sql.ExecuteAsync("DELETE FROM group_members WHERE group_id = @g AND user_id = @u", [("g", groupId), ("u", userId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public async Task<IReadOnlyList<User>> ListMembersAsync(string groupId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT u.id, u.username, u.email_address, u.first_name, u.last_name, u.password_hash, u.active FROM users u " +
            "JOIN group_members m ON m.user_id = u.id WHERE m.group_id = @g ORDER BY u.username", [("g", groupId)], SqlUserStore.Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Group>> ListGroupsOfUserAsync(string userId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT g.id, g.name FROM user_groups g JOIN group_members m ON m.group_id = g.id WHERE m.user_id = @u ORDER BY g.name",
            [("u", userId)], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Done>> GrantRoleAsync(string groupId, string roleId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM user_groups WHERE id = @id", [("id", groupId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.Group, groupId);
            if (!await sql.ExistsAsync("SELECT 1 FROM roles WHERE id = @id", [("id", roleId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.Role, roleId);
            await sql.ExecuteAsync("INSERT INTO group_roles (group_id, role_id) VALUES (@g, @r) ON CONFLICT DO NOTHING",
                [("g", groupId), ("r", roleId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, v => NotFound(StoreEntities.Grant, groupId), cancellationToken);

    public Task<StoreResult<Done>> RevokeRoleAsync(string groupId, string roleId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            await sql.ExecuteAsync("DELETE FROM group_roles WHERE group_id = @g AND role_id = @r", [("g", groupId), ("r", roleId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public async Task<IReadOnlyList<Role>> ListRolesAsync(string groupId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT r.id, r.name FROM roles r JOIN group_roles gr ON gr.role_id = r.id WHERE gr.group_id = @g ORDER BY r.name",
            [("g", groupId)], r => new Role(Read.Text(r, 0), Read.Text(r, 1)), cancellationToken), cancellationToken).ConfigureAwait(false);
}
