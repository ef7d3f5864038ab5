using System.Data.Common;
using Cog.Runtime.Bundles;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlConfigLayerStore(SqlExecutor executor) : IConfigLayerStore
{
    const string Columns = "bundle_id, layer, config_json, updated_at";

    static ConfigLayer Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Time(r, 3));

    public Task<StoreResult<ConfigLayer>> SetAsync(ConfigLayer layer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var missing = new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Bundle, layer.BundleId));
        return executor.WriteAsync<ConfigLayer>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM bundles WHERE id = @id", [("id", layer.BundleId)], cancellationToken).ConfigureAwait(false))
                return missing;
            await sql.ExecuteAsync(
                $"INSERT INTO config_layers ({Columns}) VALUES (@b, @l, @c, @t) " +
                "ON CONFLICT (bundle_id, layer) DO UPDATE SET config_json = excluded.config_json, updated_at = excluded.updated_at",
                [("b", layer.BundleId), ("l", layer.Layer), ("c", layer.ConfigJson), ("t", Read.Micros(layer.UpdatedAt))], cancellationToken).ConfigureAwait(false);
            return layer with { UpdatedAt = Read.Round(layer.UpdatedAt) };
        }, _ => missing, cancellationToken);
    }

    public Task<ConfigLayer?> GetAsync(string bundleId, string layer, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM config_layers WHERE bundle_id = @b AND layer = @l",
            [("b", bundleId), ("l", layer)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ConfigLayer>> ListAsync(string bundleId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM config_layers WHERE bundle_id = @b ORDER BY layer",
            [("b", bundleId)], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Done>> DeleteAsync(string bundleId, string layer, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
            await sql.ExecuteAsync("DELETE FROM config_layers WHERE bundle_id = @b AND layer = @l", [("b", bundleId), ("l", layer)], cancellationToken).ConfigureAwait(false) == 0
                ? new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.ConfigLayer, layer))
                : Done.Value, null, cancellationToken);
}
