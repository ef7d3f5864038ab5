using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Cog.Runtime.Audit;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlAuditStore(SqlExecutor executor) : IAuditStore
{
    const string Columns = "sequence, occurred_at, kind, actor, command, outcome, payload, previous_hash, hash";
    const int PageSize = 1000;

    static AuditRecord Map(DbDataReader r) => new(
        Read.Long(r, 0), Read.Time(r, 1), Read.Text(r, 2), Read.NullableText(r, 3), Read.NullableText(r, 4), Read.NullableText(r, 5),
        Read.Text(r, 6), Read.Text(r, 7), Read.Text(r, 8));

    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
            return [];
        var result = await executor.WriteAsync<IReadOnlyList<AuditRecord>>(async sql =>
        {
            if (executor.AuditLockSql is { } lockSql)
                await sql.ExecuteAsync(lockSql, [], cancellationToken).ConfigureAwait(false);
            var head = await sql.QueryAsync("SELECT sequence, hash FROM audit_records ORDER BY sequence DESC LIMIT 1", [],
                r => (Sequence: Read.Long(r, 0), Hash: Read.Text(r, 1)), cancellationToken).ConfigureAwait(false);
            var records = head.Count == 0
                ? AuditChain.Seal(0, AuditChain.Genesis, entries)
                : AuditChain.Seal(head[0].Sequence, head[0].Hash, entries);
            await using var insert = sql.Command(
                $"INSERT INTO audit_records ({Columns}) VALUES (@s, @t, @k, @a, @c, @o, @p, @ph, @h)",
                [("s", 0L), ("t", 0L), ("k", ""), ("a", null), ("c", null), ("o", null), ("p", ""), ("ph", ""), ("h", "")]);
            foreach (var record in records)
            {
                insert.Parameters[0].Value = record.Sequence;
                insert.Parameters[1].Value = Read.Micros(record.Time);
                insert.Parameters[2].Value = record.Kind;
                insert.Parameters[3].Value = (object?)record.Actor ?? DBNull.Value;
                insert.Parameters[4].Value = (object?)record.Command ?? DBNull.Value;
                insert.Parameters[5].Value = (object?)record.Outcome ?? DBNull.Value;
                insert.Parameters[6].Value = record.PayloadJson;
                insert.Parameters[7].Value = record.PreviousHash;
                insert.Parameters[8].Value = record.Hash;
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            return StoreResult<IReadOnlyList<AuditRecord>>.Success(records);
        }, null, cancellationToken).ConfigureAwait(false);
        return result.GetValueOrThrow();
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, 10_000);
        var where = new StringBuilder("sequence > @after");
        var parameters = new List<(string, object?)> { ("after", query.AfterSequence) };
        void Filter(string column, string name, object? value)
        {
            if (value is null)
                return;
            where.Append(" AND ").Append(column).Append(name == "from" ? " >= @" : name == "to" ? " < @" : " = @").Append(name);
            parameters.Add((name, value));
        }
        Filter("actor", "actor", query.Actor);
        Filter("command", "command", query.Command);
        Filter("outcome", "outcome", query.Outcome);
        Filter("kind", "kind", query.Kind);
        Filter("occurred_at", "from", query.From is { } from ? Read.Micros(from) : null);
        Filter("occurred_at", "to", query.To is { } to ? Read.Micros(to) : null);
        parameters.Add(("limit", (long)query.Limit));
        var sqlText = $"SELECT {Columns} FROM audit_records WHERE {where} ORDER BY sequence LIMIT @limit";
        var array = parameters.ToArray();
        return await executor.ReadAsync(sql => sql.QueryAsync(sqlText, array, Map, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<AuditRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var after0 = after;
            var page = await executor.ReadAsync(sql => sql.QueryAsync(
                $"SELECT {Columns} FROM audit_records WHERE sequence > @after ORDER BY sequence LIMIT @limit",
                [("after", after0), ("limit", (long)PageSize)], Map, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
                yield return record;
            if (page.Count < PageSize)
                yield break;
            after = page[^1].Sequence;
        }
    }
}
