using System.Data.Common;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlAliasStore(SqlExecutor executor) : IAliasStore
{
    const string Columns = "id, name, pipeline, owner_user_id";

    static Alias Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.NullableText(r, 3));

    static StoreError Taken(string name) => new(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Alias, name));

    static Task<bool> NameTakenAsync(SqlContext sql, Alias alias, CancellationToken cancellationToken) => alias.OwnerUserId is null
        ? sql.ExistsAsync("SELECT 1 FROM aliases WHERE name = @n AND owner_user_id IS NULL AND id <> @id", [("n", alias.Name), ("id", alias.Id)], cancellationToken)
        : sql.ExistsAsync("SELECT 1 FROM aliases WHERE name = @n AND owner_user_id = @o AND id <> @id",
            [("n", alias.Name), ("o", alias.OwnerUserId), ("id", alias.Id)], cancellationToken);

    public Task<StoreResult<Alias>> CreateAsync(Alias alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return executor.WriteAsync<Alias>(async sql =>
        {
            if (alias.OwnerUserId is not null
                && !await sql.ExistsAsync("SELECT 1 FROM users WHERE id = @id", [("id", alias.OwnerUserId)], cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.User, alias.OwnerUserId));
            if (await NameTakenAsync(sql, alias, cancellationToken).ConfigureAwait(false))
                return Taken(alias.Name);
            await sql.ExecuteAsync($"INSERT INTO aliases ({Columns}) VALUES (@id, @n, @p, @o)",
                [("id", alias.Id), ("n", alias.Name), ("p", alias.Pipeline), ("o", alias.OwnerUserId)], cancellationToken).ConfigureAwait(false);
            return alias;
        }, _ => Taken(alias.Name), cancellationToken);
    }

    public Task<Alias?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM aliases WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<Alias?> FindAsync(string name, string? ownerUserId, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => ownerUserId is null
            ? sql.SingleAsync($"SELECT {Columns} FROM aliases WHERE name = @n AND owner_user_id IS NULL", [("n", name)], Map, cancellationToken)
            : sql.SingleAsync($"SELECT {Columns} FROM aliases WHERE name = @n AND owner_user_id = @o", [("n", name), ("o", ownerUserId)], Map, cancellationToken),
            cancellationToken);

    public async Task<IReadOnlyList<Alias>> ListAsync(string? ownerUserId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => ownerUserId is null
            ? sql.QueryAsync($"SELECT {Columns} FROM aliases WHERE owner_user_id IS NULL ORDER BY name", [], Map, cancellationToken)
            : sql.QueryAsync($"SELECT {Columns} FROM aliases WHERE owner_user_id = @o ORDER BY name", [("o", ownerUserId)], Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Alias>> UpdateAsync(Alias alias, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return executor.WriteAsync<Alias>(async sql =>
        {
            var current = await sql.SingleAsync($"SELECT {Columns} FROM aliases WHERE id = @id", [("id", alias.Id)], Map, cancellationToken).ConfigureAwait(false);
            if (current is null)
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Alias, alias.Id));
            var updated = alias with { OwnerUserId = current.OwnerUserId };
            if (await NameTakenAsync(sql, updated, cancellationToken).ConfigureAwait(false))
                return Taken(alias.Name);
            await sql.ExecuteAsync("UPDATE aliases SET name = @n, pipeline = @p WHERE id = @id",
                [("n", updated.Name), ("p", updated.Pipeline), ("id", updated.Id)], cancellationToken).ConfigureAwait(false);
            return updated;
        }, _ => Taken(alias.Name), cancellationToken);
    }

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
            await sql.ExecuteAsync("DELETE FROM aliases WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false) == 0
                ? new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Alias, id))
                : Done.Value, null, cancellationToken);
}
