using System.Data.Common;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlTriggerStore(SqlExecutor executor) : ITriggerStore
{
    const string Columns = "id, name, pipeline, description, as_user, timeout_seconds, enabled, allow_cross_origin";

    static Trigger Map(DbDataReader r) => new(
        Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.NullableText(r, 3), Read.NullableText(r, 4), (int)Read.Long(r, 5), Read.Bool(r, 6),
        Read.Bool(r, 7));

    static StoreError Taken(string name) => new(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Trigger, name));

    static (string, object?)[] Parameters(Trigger t) =>
        [("id", t.Id), ("n", t.Name), ("p", t.Pipeline), ("d", t.Description), ("u", t.AsUser), ("s", t.TimeoutSeconds), ("e", t.Enabled), ("x", t.AllowCrossOrigin)];

    public Task<StoreResult<Trigger>> CreateAsync(Trigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return executor.WriteAsync<Trigger>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM triggers WHERE name = @n", [("n", trigger.Name)], cancellationToken).ConfigureAwait(false))
                return Taken(trigger.Name);
            await sql.ExecuteAsync($"INSERT INTO triggers ({Columns}) VALUES (@id, @n, @p, @d, @u, @s, @e, @x)", Parameters(trigger), cancellationToken).ConfigureAwait(false);
            return trigger;
        }, _ => Taken(trigger.Name), cancellationToken);
    }

    public Task<Trigger?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM triggers WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<Trigger?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM triggers WHERE name = @n", [("n", name)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Trigger>> ListAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM triggers ORDER BY name", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Trigger>> UpdateAsync(Trigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        return executor.WriteAsync<Trigger>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM triggers WHERE name = @n AND id <> @id", [("n", trigger.Name), ("id", trigger.Id)], cancellationToken).ConfigureAwait(false))
                return Taken(trigger.Name);
            var changed = await sql.ExecuteAsync(
                "UPDATE triggers SET name = @n, pipeline = @p, description = @d, as_user = @u, timeout_seconds = @s, enabled = @e, allow_cross_origin = @x WHERE id = @id",
                Parameters(trigger), cancellationToken).ConfigureAwait(false);
            return changed == 0 ? new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Trigger, trigger.Id)) : trigger;
        }, _ => Taken(trigger.Name), cancellationToken);
    }

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
            await sql.ExecuteAsync("DELETE FROM triggers WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false) == 0
                ? new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Trigger, id))
                : Done.Value, null, cancellationToken);
}
