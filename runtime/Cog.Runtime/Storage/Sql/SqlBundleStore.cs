using System.Text.Json;
using System.Data.Common;
using Cog.Runtime.Bundles;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlBundleStore(SqlExecutor executor) : IBundleStore
{
    const string VersionColumns = "id, bundle_id, version, manifest_json, description, package_digest, enabled, installed_at, warnings";

    static Bundle Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Time(r, 2));

    static BundleVersion MapVersion(DbDataReader r) => new(
        Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Text(r, 3), Read.NullableText(r, 4), Read.NullableText(r, 5),
        Read.Bool(r, 6), Read.Time(r, 7), JsonSerializer.Deserialize<string[]>(Read.Text(r, 8)) ?? []);

    static BundleCommand MapCommand(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Text(r, 3));

    static StoreError NotFound(string entity, string id) => new(StoreErrorKind.NotFound, StoreErrors.NotFound(entity, id));

    public Task<StoreResult<BundleVersion>> InstallAsync(BundleInstall install, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(install);
        var duplicate = new StoreError(StoreErrorKind.Duplicate, StoreErrors.DuplicateVersion(install.BundleName, install.Version));
        return executor.WriteAsync<BundleVersion>(async sql =>
        {
            var installedAt = Read.Micros(install.InstalledAt);
            var bundleId = (string?)await sql.ScalarAsync("SELECT id FROM bundles WHERE name = @n", [("n", install.BundleName)], cancellationToken).ConfigureAwait(false);
            if (bundleId is null)
            {
                bundleId = StoreId.New();
                await sql.ExecuteAsync("INSERT INTO bundles (id, name, installed_at) VALUES (@id, @n, @t)",
                    [("id", bundleId), ("n", install.BundleName), ("t", installedAt)], cancellationToken).ConfigureAwait(false);
            }
            else if (await sql.ExistsAsync("SELECT 1 FROM bundle_versions WHERE bundle_id = @b AND version = @v",
                [("b", bundleId), ("v", install.Version)], cancellationToken).ConfigureAwait(false))
            {
                return duplicate;
            }

            var version = new BundleVersion(StoreId.New(), bundleId, install.Version, install.ManifestJson, install.Description,
                install.PackageDigest, false, Read.Round(install.InstalledAt), install.Warnings);
            await sql.ExecuteAsync(
                $"INSERT INTO bundle_versions ({VersionColumns}, package) VALUES (@id, @b, @v, @m, @d, @pd, @e, @t, @w, @p)",
                [("id", version.Id), ("b", bundleId), ("v", version.Version), ("m", version.ManifestJson), ("d", version.Description),
                 ("pd", version.PackageDigest), ("e", false), ("t", installedAt), ("w", JsonSerializer.Serialize(install.Warnings)),
                 ("p", install.Package)], cancellationToken).ConfigureAwait(false);

            foreach (var name in install.Permissions)
            {
                await sql.ExecuteAsync(
                    "INSERT INTO permissions (id, namespace, name, bundle_id) VALUES (@id, @ns, @n, @b) ON CONFLICT (namespace, name) DO NOTHING",
                    [("id", StoreId.New()), ("ns", install.BundleName), ("n", name), ("b", bundleId)], cancellationToken).ConfigureAwait(false);
            }

            var commandIds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var command in install.Commands)
            {
                var commandId = (string?)await sql.ScalarAsync("SELECT id FROM commands WHERE bundle_id = @b AND name = @n",
                    [("b", bundleId), ("n", command.Name)], cancellationToken).ConfigureAwait(false);
                if (commandId is null)
                {
                    commandId = StoreId.New();
                    await sql.ExecuteAsync("INSERT INTO commands (id, bundle_id, name) VALUES (@id, @b, @n)",
                        [("id", commandId), ("b", bundleId), ("n", command.Name)], cancellationToken).ConfigureAwait(false);
                }
                commandIds[command.Name] = commandId;
                await sql.ExecuteAsync(
                    "INSERT INTO command_versions (command_id, bundle_version_id, name, description, options_json) VALUES (@c, @v, @n, @d, @o)",
                    [("c", commandId), ("v", version.Id), ("n", command.Name), ("d", command.Description), ("o", OptionsJson.Write(command.Options))],
                    cancellationToken).ConfigureAwait(false);
            }

            foreach (var rule in install.Rules)
            {
                if (!commandIds.TryGetValue(rule.CommandName, out var commandId))
                    return NotFound(StoreEntities.Command, install.BundleName + ":" + rule.CommandName);
                var ruleId = await SqlRuleStore.FindOrCreateAsync(sql, commandId, rule.Text, cancellationToken).ConfigureAwait(false);
                await sql.ExecuteAsync("INSERT INTO rule_versions (rule_id, bundle_version_id) VALUES (@r, @v) ON CONFLICT DO NOTHING",
                    [("r", ruleId), ("v", version.Id)], cancellationToken).ConfigureAwait(false);
            }
            return version;
        }, _ => duplicate, cancellationToken);
    }

    public Task<Bundle?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync("SELECT id, name, installed_at FROM bundles WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<Bundle?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync("SELECT id, name, installed_at FROM bundles WHERE name = @n", [("n", name)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Bundle>> ListAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync("SELECT id, name, installed_at FROM bundles ORDER BY name", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<BundleVersion?> GetVersionAsync(string versionId, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {VersionColumns} FROM bundle_versions WHERE id = @id", [("id", versionId)], MapVersion, cancellationToken), cancellationToken);

    public async Task<string?> FindVersionIdAsync(string bundleName, string version, CancellationToken cancellationToken) =>
        (string?)await executor.ReadAsync(sql => sql.ScalarAsync(
            "SELECT v.id FROM bundle_versions v JOIN bundles b ON b.id = v.bundle_id WHERE b.name = @n AND v.version = @v",
            [("n", bundleName), ("v", version)], cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<BundleVersion?> FindVersionAsync(string bundleId, string version, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {VersionColumns} FROM bundle_versions WHERE bundle_id = @b AND version = @v",
            [("b", bundleId), ("v", version)], MapVersion, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<BundleVersion>> ListVersionsAsync(string bundleId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {VersionColumns} FROM bundle_versions WHERE bundle_id = @b ORDER BY installed_at, id",
            [("b", bundleId)], MapVersion, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<BundleVersion>> ListEnabledVersionsAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT v.id, v.bundle_id, v.version, v.manifest_json, v.description, v.package_digest, v.enabled, v.installed_at, v.warnings " +
            "FROM bundle_versions v JOIN bundles b ON b.id = v.bundle_id WHERE v.enabled = @t ORDER BY b.name",
            [("t", true)], MapVersion, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<byte[]?> GetPackageAsync(string versionId, CancellationToken cancellationToken) =>
        executor.ReadAsync(async sql => (byte[]?)await sql.ScalarAsync("SELECT package FROM bundle_versions WHERE id = @id",
            [("id", versionId)], cancellationToken).ConfigureAwait(false), cancellationToken);

    public Task<StoreResult<BundleVersion>> EnableVersionAsync(string versionId, CancellationToken cancellationToken) =>
        executor.WriteAsync<BundleVersion>(async sql =>
        {
            var version = await sql.SingleAsync($"SELECT {VersionColumns} FROM bundle_versions WHERE id = @id", [("id", versionId)], MapVersion, cancellationToken).ConfigureAwait(false);
            if (version is null)
                return NotFound(StoreEntities.BundleVersion, versionId);
            // Disable first: the partial unique index allows one enabled version per bundle at any moment.
            await sql.ExecuteAsync("UPDATE bundle_versions SET enabled = @f WHERE bundle_id = @b AND id <> @id",
                [("f", false), ("b", version.BundleId), ("id", versionId)], cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync("UPDATE bundle_versions SET enabled = @t WHERE id = @id", [("t", true), ("id", versionId)], cancellationToken).ConfigureAwait(false);
            return version with { Enabled = true };
        }, null, cancellationToken);

    public Task<StoreResult<Done>> DisableAsync(string bundleId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var name = (string?)await sql.ScalarAsync("SELECT name FROM bundles WHERE id = @id", [("id", bundleId)], cancellationToken).ConfigureAwait(false);
            if (name is null)
                return NotFound(StoreEntities.Bundle, bundleId);
            if (name == Bundle.BuiltInName)
                return new StoreError(StoreErrorKind.Protected, StoreErrors.BundleProtected(name));
            await sql.ExecuteAsync("UPDATE bundle_versions SET enabled = @f WHERE bundle_id = @b", [("f", false), ("b", bundleId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public Task<StoreResult<Done>> DeleteVersionAsync(string versionId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var version = await sql.SingleAsync($"SELECT {VersionColumns} FROM bundle_versions WHERE id = @id", [("id", versionId)], MapVersion, cancellationToken).ConfigureAwait(false);
            if (version is null)
                return NotFound(StoreEntities.BundleVersion, versionId);
            if (version.Enabled)
            {
                var name = (string)(await sql.ScalarAsync("SELECT name FROM bundles WHERE id = @id", [("id", version.BundleId)], cancellationToken).ConfigureAwait(false))!;
                return new StoreError(StoreErrorKind.InUse, StoreErrors.VersionEnabled(name, version.Version));
            }
            await sql.ExecuteAsync("DELETE FROM bundle_versions WHERE id = @id", [("id", versionId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public Task<StoreResult<Done>> DeleteAsync(string bundleId, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var name = (string?)await sql.ScalarAsync("SELECT name FROM bundles WHERE id = @id", [("id", bundleId)], cancellationToken).ConfigureAwait(false);
            if (name is null)
                return NotFound(StoreEntities.Bundle, bundleId);
            if (name == Bundle.BuiltInName)
                return new StoreError(StoreErrorKind.Protected, StoreErrors.BundleProtected(name));
            if (await sql.ExistsAsync("SELECT 1 FROM bundle_versions WHERE bundle_id = @b AND enabled = @t", [("b", bundleId), ("t", true)], cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.InUse, StoreErrors.BundleEnabled(name));
            // Grants of the bundle's permissions go with them: they are the bundle's, not an operator's.
            await sql.ExecuteAsync("DELETE FROM role_permissions WHERE permission_id IN (SELECT id FROM permissions WHERE bundle_id = @b)",
                [("b", bundleId)], cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync("DELETE FROM bundles WHERE id = @b", [("b", bundleId)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public async Task<IReadOnlyList<BundleCommand>> ListCommandsAsync(string bundleId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT c.id, c.bundle_id, b.name, c.name FROM commands c JOIN bundles b ON b.id = c.bundle_id WHERE c.bundle_id = @b ORDER BY c.name",
            [("b", bundleId)], MapCommand, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<BundleCommand?> FindCommandAsync(string bundleName, string commandName, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync(
            "SELECT c.id, c.bundle_id, b.name, c.name FROM commands c JOIN bundles b ON b.id = c.bundle_id WHERE b.name = @b AND c.name = @c",
            [("b", bundleName), ("c", commandName)], MapCommand, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<CommandVersion>> ListCommandVersionsAsync(string versionId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            "SELECT command_id, bundle_version_id, name, description, options_json FROM command_versions WHERE bundle_version_id = @v ORDER BY name",
            [("v", versionId)], r => new CommandVersion(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.NullableText(r, 3), OptionsJson.Parse(Read.Text(r, 4))),
            cancellationToken), cancellationToken).ConfigureAwait(false);
}
