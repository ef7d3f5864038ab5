using System.Data.Common;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlTokenStore(SqlExecutor executor) : ITokenStore
{
    const string Columns = "id, user_id, token_hash, created_at, expires_at";

    static ApiToken Map(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Time(r, 3), Read.Time(r, 4));

    public Task<StoreResult<ApiToken>> CreateAsync(ApiToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var taken = new StoreError(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Token, token.Id));
        return executor.WriteAsync<ApiToken>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM users WHERE id = @id", [("id", token.UserId)], cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.User, token.UserId));
            await sql.ExecuteAsync($"INSERT INTO api_tokens ({Columns}) VALUES (@id, @u, @h, @c, @e)",
                [("id", token.Id), ("u", token.UserId), ("h", token.TokenHash), ("c", Read.Micros(token.CreatedAt)), ("e", Read.Micros(token.ExpiresAt))],
                cancellationToken).ConfigureAwait(false);
            return token with { CreatedAt = Read.Round(token.CreatedAt), ExpiresAt = Read.Round(token.ExpiresAt) };
        }, _ => taken, cancellationToken);
    }

    public Task<ApiToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM api_tokens WHERE token_hash = @h", [("h", tokenHash)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ApiToken>> ListForUserAsync(string userId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM api_tokens WHERE user_id = @u ORDER BY created_at DESC, id DESC",
            [("u", userId)], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
            await sql.ExecuteAsync("DELETE FROM api_tokens WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false) == 0
                ? new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Token, id))
                : Done.Value, null, cancellationToken);

    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var result = await executor.WriteAsync<int>(async sql =>
            await sql.ExecuteAsync("DELETE FROM api_tokens WHERE expires_at <= @now", [("now", Read.Micros(now))], cancellationToken).ConfigureAwait(false),
            null, cancellationToken).ConfigureAwait(false);
        return result.GetValueOrThrow();
    }
}
