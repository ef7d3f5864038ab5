using System.Data.Common;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlHistoryStore(SqlExecutor executor) : IHistoryStore
{
    const string Columns = "id, user_id, user_index, pipeline_text, room, provider, item_count, state, started_at, finished_at, instance";

    // Running or waiting: not finished, and not interrupted by a crash either.
    const string Unfinished = "state IN ('Running', 'Waiting')";

    static PipelineHistoryEntry Map(DbDataReader r) => new(
        Read.Text(r, 0), Read.Text(r, 1), Read.Long(r, 2), Read.Text(r, 3), Read.NullableText(r, 4), Read.NullableText(r, 5),
        Read.Long(r, 6), Enum.Parse<PipelineState>(Read.Text(r, 7)), Read.Time(r, 8), Read.NullableTime(r, 9))
    {
        Instance = Read.NullableText(r, 10),
    };

    public Task<StoreResult<PipelineHistoryEntry>> AddAsync(PipelineHistoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var taken = new StoreError(StoreErrorKind.Duplicate, StoreErrors.Duplicate(StoreEntities.Pipeline, entry.Id));
        return executor.WriteAsync<PipelineHistoryEntry>(async sql =>
        {
            if (await sql.ExistsAsync("SELECT 1 FROM pipeline_history WHERE id = @id", [("id", entry.Id)], cancellationToken).ConfigureAwait(false))
                return taken;
            // The user's counter is incremented in this transaction: the row lock it takes (PostgreSQL; SQLite has one
            // writer) makes a concurrent pipeline of the same user wait until this one is committed, then read the new
            // value, so every pipeline gets the next index and none is refused as a duplicate.
            var index = await sql.ScalarAsync("UPDATE users SET last_pipeline_index = last_pipeline_index + 1 WHERE id = @u RETURNING last_pipeline_index",
                [("u", entry.UserId)], cancellationToken).ConfigureAwait(false);
            if (index is null)
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.User, entry.UserId));
            var stored = entry with
            {
                Index = Convert.ToInt64(index, System.Globalization.CultureInfo.InvariantCulture),
                StartedAt = Read.Round(entry.StartedAt),
                FinishedAt = Read.Round(entry.FinishedAt),
            };
            await sql.ExecuteAsync($"INSERT INTO pipeline_history ({Columns}) VALUES (@id, @u, @i, @t, @r, @p, @c, @s, @st, @f, @n)",
                [("id", stored.Id), ("u", stored.UserId), ("i", stored.Index), ("t", stored.Text), ("r", stored.Room), ("p", stored.Provider),
                 ("c", stored.Count), ("s", stored.State.ToString()), ("st", Read.Micros(stored.StartedAt)),
                 ("f", stored.FinishedAt is { } f ? Read.Micros(f) : null), ("n", stored.Instance)], cancellationToken).ConfigureAwait(false);
            return stored;
        }, _ => taken, cancellationToken);
    }

    public Task<StoreResult<PipelineHistoryEntry>> UpdateAsync(
        string id, PipelineState state, long count, DateTimeOffset? finishedAt, CancellationToken cancellationToken) =>
        executor.WriteAsync<PipelineHistoryEntry>(async sql =>
        {
            var changed = await sql.ExecuteAsync("UPDATE pipeline_history SET state = @s, item_count = @c, finished_at = @f WHERE id = @id",
                [("s", state.ToString()), ("c", count), ("f", finishedAt is { } f ? Read.Micros(f) : null), ("id", id)], cancellationToken).ConfigureAwait(false);
            if (changed == 0)
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Pipeline, id));
            return (await sql.SingleAsync($"SELECT {Columns} FROM pipeline_history WHERE id = @id", [("id", id)], Map, cancellationToken).ConfigureAwait(false))!;
        }, null, cancellationToken);

    public Task<PipelineHistoryEntry?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM pipeline_history WHERE id = @id", [("id", id)], Map, cancellationToken), cancellationToken);

    public Task<PipelineHistoryEntry?> FindByIndexAsync(string userId, long index, CancellationToken cancellationToken) =>
        executor.ReadAsync(sql => sql.SingleAsync($"SELECT {Columns} FROM pipeline_history WHERE user_id = @u AND user_index = @i",
            [("u", userId), ("i", index)], Map, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<PipelineHistoryEntry>> ListAsync(string userId, int limit, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM pipeline_history WHERE user_id = @u ORDER BY user_index DESC LIMIT @l",
            [("u", userId), ("l", (long)limit)], Map, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<PipelineHistoryEntry>> QueryAsync(HistoryQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.UserId is not null)
        {
            where.Add("user_id = @u");
            parameters.Add(("u", query.UserId));
        }
        if (query.State is { } state)
        {
            where.Add("state = @s");
            parameters.Add(("s", state.ToString()));
        }
        if (query.Unfinished)
            where.Add(Unfinished);
        if (query.FromIndex is { } from)
        {
            where.Add("user_index >= @from");
            parameters.Add(("from", from));
        }
        if (query.ToIndex is { } to)
        {
            where.Add("user_index <= @to");
            parameters.Add(("to", to));
        }
        if (query.IdPrefix is { } prefix)
        {
            where.Add("substr(id, 1, @pl) = @prefix");
            parameters.Add(("pl", prefix.Length));
            parameters.Add(("prefix", prefix));
        }
        parameters.Add(("l", (long)Math.Max(query.Limit, 0)));
        var direction = query.OldestFirst ? "ASC" : "DESC";
        var order = query.UserId is not null ? $"user_index {direction}" : $"started_at {direction}, id {direction}";
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        var text = $"SELECT {Columns} FROM pipeline_history{filter} ORDER BY {order} LIMIT @l";
        return await executor.ReadAsync(sql => sql.QueryAsync(text, [.. parameters], Map, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<PipelineHistoryEntry>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => sql.QueryAsync($"SELECT {Columns} FROM pipeline_history WHERE {Unfinished} ORDER BY started_at, id",
            [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);
}
