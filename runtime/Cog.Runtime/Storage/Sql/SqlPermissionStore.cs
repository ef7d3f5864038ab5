using System.Data.Common;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlPermissionStore(SqlExecutor executor) : IPermissionStore
{
    const string Columns = "id, namespace, name, bundle_id";

    internal static Permission Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.NullableText(r, 3));

    public Task<StoreResult<Permission>> CreateSiteAsync(Permission permission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(permission);
        var site = permission with { Namespace = Permission.SiteNamespace, BundleId = null };
        var taken = new StoreError(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Permission, site.FullName));
        return executor.WriteAsync<Permission>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM permissions WHERE namespace = @ns AND name = @n",
                [("ns", site.Namespace), ("n", site.Name)], cancellationToken).ConfigureAwait(false))
                return taken;
            await sql.ExecuteAsync("INSERT INTO permissions (id, namespace, name, bundle_id) VALUES (@id, @ns, @n, NULL)",
                [("id", site.Id), ("ns", site.Namespace), ("n", site.Name)], cancellationToken).ConfigureAwait(false);
            return site;
        }, _ => taken, cancellationToken);
    }

    public Task<Permission?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM permissions WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<Permission?> FindAsync(string ns, string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM permissions WHERE namespace = @ns AND name = @n",
            [("ns", ns), ("n", name)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Permission>> ListAsync(string? ns, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => ns is null
            ? sql.QueryAsync($"SELECT {Columns} FROM permissions ORDER BY namespace, name", [], Map, cancellationToken)
            : sql.QueryAsync($"SELECT {Columns} FROM permissions WHERE namespace = @ns ORDER BY namespace, name", [("ns", ns)], Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var permission = await sql.SingleAsync($"SELECT {Columns} FROM permissions WHERE id = @id", [("id", id)], Map, cancellationToken).ConfigureAwait(false);
            if (permission is null)
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Permission, id));
            if (permission.BundleId is not null)
                return new StoreError(StoreErrorKind.Protected, StoreErrors.PermissionOfBundle(permission.FullName));
            var role = (string?)await sql.ScalarAsync(
                "SELECT r.name FROM roles r JOIN role_permissions rp ON rp.role_id = r.id WHERE rp.permission_id = @id ORDER BY r.name LIMIT 1",
                [("id", id)], cancellationToken).ConfigureAwait(false);
            if (role is not null)
                return new StoreError(StoreErrorKind.InUse, StoreErrors.PermissionGranted(permission.FullName, role));
            await sql.ExecuteAsync("DELETE FROM permissions WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);
}
