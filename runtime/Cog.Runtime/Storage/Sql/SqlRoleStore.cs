using System.Data.Common;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlRoleStore(SqlExecutor executor) : IRoleStore
{
    static Role Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1));

    static StoreError Taken(string name) => new(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Role, name));

    static StoreError NotFound(string entity, string id) => new(StoreErrorKind.NotFound, StoreErrors.NotFound(entity, id));

    public Task<StoreResult<Role>> CreateAsync(Role role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(role);
        return executor.WriteAsync<Role>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM roles WHERE name = @n", [("n", role.Name)], cancellationToken).ConfigureAwait(false))
                return Taken(role.Name);
            await sql.ExecuteAsync("INSERT INTO roles (id, name) VALUES (@id, @n)", [("id", role.Id), ("n", role.Name)], cancellationToken).ConfigureAwait(false);
            return role;
        }, _ => Taken(role.Name), cancellationToken);
    }

    public Task<Role?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync("SELECT id, name FROM roles WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<Role?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync("SELECT id, name FROM roles WHERE name = @n", [("n", name)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Role>> ListAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync("SELECT id, name FROM roles ORDER BY name", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Role>> RenameAsync(string id, string newName, CancellationToken cancellationToken) =>
        executor.WriteAsync<Role>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM roles WHERE name = @n AND id <> @id", [("n", newName), ("id", id)], cancellationToken).ConfigureAwait(false))
                return Taken(newName);
            var changed = await sql.ExecuteAsync("UPDATE roles SET name = @n WHERE id = @id", [("n", newName), ("id", id)], cancellationToken).ConfigureAwait(false);
            return changed == 0 ? NotFound(StoreEntities.Role, id) : new Role(id, newName);
        }, _ => Taken(newName), cancellationToken);

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var name = (string?)await sql.ScalarAsync("SELECT name FROM roles WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            if (name is null)
                return NotFound(StoreEntities.Role, id);
            var group = (string?)await sql.ScalarAsync(
                "SELECT g.name FROM user_groups g JOIN group_roles gr ON gr.group_id = g.id WHERE gr.role_id = @id ORDER BY g.name LIMIT 1",
                [("id", id)], cancellationToken).ConfigureAwait(false);
            if (group is not null)
                return new StoreError(StoreErrorKind.InUse, StoreErrors.RoleGranted(name, group));
            await sql.ExecuteAsync("DELETE FROM role_permissions WHERE role_id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync("DELETE FROM roles WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public Task<StoreResult<Done>> GrantPermissionAsync(string roleId, string permissionId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM roles WHERE id = @id", [("id", roleId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.Role, roleId);
            if (!await sql.ExistsAsync("SELECT 1 FROM permissions WHERE id = @id", [("id", permissionId)], cancellationToken).ConfigureAwait(false))
                return NotFound(StoreEntities.Permission, permissionId);
            await sql.ExecuteAsync("INSERT INTO role_permissions (role_id, permission_id) VALUES (@r, @p) ON CONFLICT DO NOTHING",
                [("r", roleId), ("p", permissionId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, _ => NotFound(StoreEntities.Grant, roleId), cancellationToken);

    public Task<StoreResult<Done>> RevokePermissionAsync(string roleId, string permissionId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            await sql.ExecuteAsync("DELETE FROM role_permissions WHERE role_id = @r AND permission_id = @p",
                [("r", roleId), ("p", permissionId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public async Task<IReadOnlyList<Permission>> ListPermissionsAsync(string roleId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT p.id, p.namespace, p.name, p.bundle_id FROM permissions p JOIN role_permissions rp ON rp.permission_id = p.id " +
            "WHERE rp.role_id = @r ORDER BY p.namespace, p.name", [("r", roleId)], SqlPermissionStore.Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> ListUserPermissionsAsync(string userId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT DISTINCT p.namespace, p.name FROM permissions p " +
            "JOIN role_permissions rp ON rp.permission_id = p.id JOIN group_roles gr ON gr.role_id = rp.role_id " +
            "JOIN group_members m ON m.group_id = gr.group_id WHERE m.user_id = @u ORDER BY p.namespace, p.name",
            [("u", userId)], r => Read.Text(r, 0) + ":" + Read.Text(r, 1), cancellationToken), cancellationToken).ConfigureAwait(false);
}
