using System.Data.Common;
using Cog.Runtime.Chat;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlWebChatStore(SqlExecutor executor) : IWebChatStore
{
    const string Columns = "id, room, author, from_cog, created_at, kind, html, thread, client_id";

    static WebChatMessage Map(DbDataReader r) => new(Read.Long(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Bool(r, 3), Read.Time(r, 4),
        Read.Text(r, 5), Read.Text(r, 6), Read.NullableText(r, 7), Read.NullableText(r, 8));

    public async Task<WebChatMessage> AppendAsync(WebChatMessage message, int keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var stored = await executor.WriteAsync<WebChatMessage>(async sql =>
        {
            var id = Convert.ToInt64(await sql.ScalarAsync(
                "INSERT INTO web_chat_messages (room, author, from_cog, created_at, kind, html, thread, client_id) VALUES (@r, @a, @f, @t, @k, @h, @th, @c) RETURNING id",
                [("r", message.Room), ("a", message.Author), ("f", message.FromCog), ("t", Read.Micros(message.Time)), ("k", message.Kind), ("h", message.Html),
                 ("th", message.Thread), ("c", message.ClientId)], cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            // Bounded per room: everything older than the room's newest `keep` goes.
            await sql.ExecuteAsync(
                "DELETE FROM web_chat_messages WHERE room = @r AND id <= (SELECT id FROM web_chat_messages WHERE room = @r ORDER BY id DESC LIMIT 1 OFFSET @keep)",
                [("r", message.Room), ("keep", (long)keep)], cancellationToken).ConfigureAwait(false);
            return message with { Id = id, Time = Read.Round(message.Time) };
        }, null, cancellationToken).ConfigureAwait(false);
        return stored.GetValueOrThrow();
    }

    public Task<WebChatMessage?> GetAsync(long id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM web_chat_messages WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<WebChatMessage>> RecentAsync(string room, int limit, CancellationToken cancellationToken)
    {
        var newest = await executor.ReadAsync(sql => sql.QueryAsync(
            $"SELECT {Columns} FROM web_chat_messages WHERE room = @r ORDER BY id DESC LIMIT @n", [("r", room), ("n", (long)limit)], Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        newest.Reverse();
        return newest;
    }

    public async Task<long> NewestIdAsync(CancellationToken cancellationToken) =>
        Convert.ToInt64(await executor.ReadAsync(sql => sql.ScalarAsync("SELECT COALESCE(MAX(id), 0) FROM web_chat_messages", [], cancellationToken),
            cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<WebChatMessage>> AfterAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync(
            $"SELECT {Columns} FROM web_chat_messages WHERE id > @id ORDER BY id LIMIT @n", [("id", afterId), ("n", (long)limit)], Map, cancellationToken),
            cancellationToken).ConfigureAwait(false);
}
