using System.Data.Common;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlUserStore(SqlExecutor executor) : IUserStore
{
    const string Columns = "id, username, email_address, first_name, last_name, password_hash, active";

    internal static User Map(DbDataReader r) => new(
        Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.NullableText(r, 3), Read.NullableText(r, 4), Read.Text(r, 5), Read.Bool(r, 6));

    static ChatHandle MapHandle(DbDataReader r) => new(Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Text(r, 3), Read.Text(r, 4));

    static StoreError Taken(User user) => new(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.User, user.Username));

    public Task<StoreResult<User>> CreateAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return executor.WriteAsync<User>(async sql =>
        {
            if (await ClashAsync(sql, user, cancellationToken).ConfigureAwait(false) is { } clash)
                return clash;
            await sql.ExecuteAsync(
                $"INSERT INTO users ({Columns}) VALUES (@id, @username, @email, @first, @last, @hash, @active)",
                Parameters(user), cancellationToken).ConfigureAwait(false);
            return StoreResult<User>.Success(user);
        }, _ => Taken(user), cancellationToken);
    }

    static (string, object?)[] Parameters(User user) =>
    [
        ("id", user.Id), ("username", user.Username), ("email", user.EmailAddress), ("first", user.FirstName),
        ("last", user.LastName), ("hash", user.PasswordHash), ("active", user.Active),
    ];

    static async Task<StoreError?> ClashAsync(SqlContext sql, User user, CancellationToken cancellationToken)
    {
        if (await sql.ExistsAsync("SELECT 1 FROM users WHERE username = @u AND id <> @id", [("u", user.Username), ("id", user.Id)], cancellationToken).ConfigureAwait(false))
            return Taken(user);
        if (await sql.ExistsAsync("SELECT 1 FROM users WHERE email_address = @e AND id <> @id", [("e", user.EmailAddress), ("id", user.Id)], cancellationToken).ConfigureAwait(false))
            return new StoreError(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.User, user.EmailAddress));
        return null;
    }

    public Task<User?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM users WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM users WHERE username = @u", [("u", username)], Map, cancellationToken), cancellationToken);

    public Task<User?> FindByEmailAsync(string emailAddress, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM users WHERE email_address = @e", [("e", emailAddress)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM users ORDER BY username", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<User>> UpdateAsync(User user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return executor.WriteAsync<User>(async sql =>
        {
            if (await ClashAsync(sql, user, cancellationToken).ConfigureAwait(false) is { } clash)
                return clash;
            var changed = await sql.ExecuteAsync(
                "UPDATE users SET username = @username, email_address = @email, first_name = @first, last_name = @last, " +
                "password_hash = @hash, active = @active WHERE id = @id", Parameters(user), cancellationToken).ConfigureAwait(false);
            return changed == 0 ? NotFound(user.Id) : StoreResult<User>.Success(user);
        }, _ => Taken(user), cancellationToken);
    }

    static StoreError NotFound(string id) => new(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.User, id));

    public Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var username = (string?)await sql.ScalarAsync("SELECT username FROM users WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            if (username is null)
                return NotFound(id);
            var trigger = (string?)await sql.ScalarAsync(
                "SELECT name FROM triggers WHERE as_user = @u ORDER BY name LIMIT 1", [("u", username)], cancellationToken).ConfigureAwait(false);
            if (trigger is not null)
                return new StoreError(StoreErrorKind.InUse, StoreErrors.UserRunsTrigger(username, trigger));
            if (await SqlGroupStore.IsLastAdminAsync(sql, id, cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.Protected, StoreErrors.LastAdminMember);
            await sql.ExecuteAsync("DELETE FROM users WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            return Done.Value;
        }, null, cancellationToken);

    public Task<StoreResult<ChatHandle>> SetChatHandleAsync(ChatHandle handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var claimed = new StoreError(StoreErrorKind.Duplicate, StoreErrors.ChatHandleClaimed);
        return executor.WriteAsync<ChatHandle>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM users WHERE id = @id", [("id", handle.UserId)], cancellationToken).ConfigureAwait(false))
                return NotFound(handle.UserId);
            if (await sql.ExistsAsync(
                "SELECT 1 FROM chat_handles WHERE provider = @p AND user_id <> @u AND (handle = @h OR provider_user_id = @pu)",
                [("p", handle.Provider), ("u", handle.UserId), ("h", handle.Handle), ("pu", handle.ProviderUserId)], cancellationToken).ConfigureAwait(false))
                return claimed;
            await sql.ExecuteAsync("DELETE FROM chat_handles WHERE user_id = @u AND provider = @p",
                [("u", handle.UserId), ("p", handle.Provider)], cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync(
                "INSERT INTO chat_handles (id, user_id, provider, handle, provider_user_id) VALUES (@id, @u, @p, @h, @pu)",
                [("id", handle.Id), ("u", handle.UserId), ("p", handle.Provider), ("h", handle.Handle), ("pu", handle.ProviderUserId)],
                cancellationToken).ConfigureAwait(false);
            return StoreResult<ChatHandle>.Success(handle);
        }, _ => claimed, cancellationToken);
    }

    public Task<User?> FindByChatUserAsync(string provider, string providerUserId, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync(
            "SELECT u.id, u.username, u.email_address, u.first_name, u.last_name, u.password_hash, u.active " +
            "FROM users u JOIN chat_handles c ON c.user_id = u.id WHERE c.provider = @p AND c.provider_user_id = @pu",
            [("p", provider), ("pu", providerUserId)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ChatHandle>> ListChatHandlesAsync(string? userId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => userId is null
            ? sql.QueryAsync("SELECT id, user_id, provider, handle, provider_user_id FROM chat_handles ORDER BY provider, handle", [], MapHandle, cancellationToken)
            : sql.QueryAsync("SELECT id, user_id, provider, handle, provider_user_id FROM chat_handles WHERE user_id = @u ORDER BY provider, handle",
                [("u", userId)], MapHandle, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<Done>> DeleteChatHandleAsync(string userId, string provider, CancellationToken cancellationToken) =>
        executor.WriteAsync<Done>(async sql =>
        {
            var deleted = await sql.ExecuteAsync("DELETE FROM chat_handles WHERE user_id = @u AND provider = @p",
                [("u", userId), ("p", provider)], cancellationToken).ConfigureAwait(false);
            return deleted == 0
                ? new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.ChatHandle, provider))
                : Done.Value;
        }, null, cancellationToken);
}
