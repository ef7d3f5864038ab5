using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cog.Runtime.Audit;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlAuditStore(SqlExecutor executor) : IAuditStore
{
    const string Columns = "sequence, occurred_at, kind, actor, command, outcome, payload, previous_hash, hash, key_id";
    const int PageSize = 1000;

    static AuditRecord Map(DbDataReader r) => new(
        Read.Long(r, 0), Read.Time(r, 1), Read.Text(r, 2), Read.NullableText(r, 3), Read.NullableText(r, 4), Read.NullableText(r, 5),
        Read.Text(r, 6), Read.Text(r, 7), Read.Text(r, 8), Read.NullableText(r, 9));

    const string HeadSql = "SELECT sequence, hash, key_id FROM audit_records ORDER BY sequence DESC LIMIT 1";

    public async Task<IReadOnlyList<AuditRecord>> AppendAsync(IReadOnlyList<AuditEntry> entries, AuditKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(key);
        if (entries.Count == 0)
            return [];
        var result = await executor.WriteAsync<IReadOnlyList<AuditRecord>>(async sql =>
        {
            // The head is read after the lock is taken (a statement of its own, so it sees the appends committed
            // before the lock was granted); with the lock, in one round trip where the provider batches.
            var head = executor.AuditLockSql is { } lockSql
                ? await sql.QueryAfterAsync(lockSql, HeadSql, [], ReadHead, cancellationToken).ConfigureAwait(false)
                : await sql.QueryAsync(HeadSql, [], ReadHead, cancellationToken).ConfigureAwait(false);
            // Another server sharing the store may have moved the chain to another key (or seal with its own): records
            // sealed with this key after it would verify as forged, so none are written and the callers are told.
            if (head.Count > 0 && !AuditChain.MayFollow(head[0].KeyId, key, entries))
                throw new InvalidOperationException(AuditErrors.KeyMismatch(head[0].KeyId!, key.Id));
            var records = head.Count == 0
                ? AuditChain.Seal(key, 0, AuditChain.Genesis, entries)
                : AuditChain.Seal(key, head[0].Sequence, head[0].Hash, entries);
            await InsertAsync(sql, records, executor.AuditRowsPerInsert, cancellationToken).ConfigureAwait(false);
            return StoreResult<IReadOnlyList<AuditRecord>>.Success(records);
        }, null, cancellationToken).ConfigureAwait(false);
        return result.GetValueOrThrow();
    }

    static (long Sequence, string Hash, string? KeyId) ReadHead(DbDataReader r) => (Read.Long(r, 0), Read.Text(r, 1), Read.NullableText(r, 2));

    /// <summary>Inserts <paramref name="records"/>, up to <paramref name="rowsPerStatement"/> a statement; a statement of
    /// the same size is reused with new values (SQLite keeps it prepared).</summary>
    static async Task InsertAsync(SqlContext sql, IReadOnlyList<AuditRecord> records, int rowsPerStatement, CancellationToken cancellationToken)
    {
        DbCommand? insert = null;
        try
        {
            for (var start = 0; start < records.Count; start += rowsPerStatement)
            {
                var rows = Math.Min(rowsPerStatement, records.Count - start);
                if (insert is null || insert.Parameters.Count != rows * ColumnCount)
                {
                    if (insert is not null)
                        await insert.DisposeAsync().ConfigureAwait(false);
                    insert = InsertCommand(sql, rows);
                }
                for (var row = 0; row < rows; row++)
                {
                    var record = records[start + row];
                    var at = row * ColumnCount;
                    var parameters = insert.Parameters;
                    parameters[at].Value = record.Sequence;
                    parameters[at + 1].Value = Read.Micros(record.Time);
                    parameters[at + 2].Value = record.Kind;
                    parameters[at + 3].Value = (object?)record.Actor ?? DBNull.Value;
                    parameters[at + 4].Value = (object?)record.Command ?? DBNull.Value;
                    parameters[at + 5].Value = (object?)record.Outcome ?? DBNull.Value;
                    parameters[at + 6].Value = record.PayloadJson;
                    parameters[at + 7].Value = record.PreviousHash;
                    parameters[at + 8].Value = record.Hash;
                    parameters[at + 9].Value = (object?)record.KeyId ?? DBNull.Value;
                }
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (insert is not null)
                await insert.DisposeAsync().ConfigureAwait(false);
        }
    }

    const int ColumnCount = 10;

    static DbCommand InsertCommand(SqlContext sql, int rows)
    {
        // Parameter names carry their prefix: SQLite then finds each with one lookup instead of trying every prefix.
        var text = new StringBuilder("INSERT INTO audit_records (").Append(Columns).Append(") VALUES ");
        var parameters = new (string Name, object? Value)[rows * ColumnCount];
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < ColumnCount; column++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"@{ParameterPrefixes[column]}{row}");
                text.Append(column == 0 ? "" : ", ").Append(name);
                parameters[(row * ColumnCount) + column] = (name, null);
            }
            text.Append(')');
        }
        return sql.Command(text.ToString(), parameters);
    }

    static readonly string[] ParameterPrefixes = ["s", "t", "k", "a", "c", "o", "p", "ph", "h", "ki"];

    public async Task<AuditRecord?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var head = await executor.ReadAsync(sql => sql.QueryAsync(
            $"SELECT {Columns} FROM audit_records ORDER BY sequence DESC LIMIT 1", [], Map, cancellationToken), cancellationToken).ConfigureAwait(false);
        return head.Count == 0 ? null : head[0];
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
        if (query.Command is { } command)
        {
            // The command column holds the invocation text (`bundle:command args...`): a filter matches it exactly or
            // as the start of an invocation, so `hostnotes:wait` finds `hostnotes:wait 1` but not `hostnotes:waiter`.
            where.Append(" AND (command = @command OR substr(command, 1, @command_length) = @command_prefix)");
            parameters.Add(("command", command));
            parameters.Add(("command_length", command.Length + 1));
            parameters.Add(("command_prefix", command + " "));
        }
        Filter("outcome", "outcome", query.Outcome);
        Filter("kind", "kind", query.Kind);
        Filter("occurred_at", "from", query.From is { } from ? Read.Micros(from) : null);
        Filter("occurred_at", "to", query.To is { } to ? Read.Micros(to) : null);
        if (query.BeforeSequence is { } before)
        {
            where.Append(" AND sequence < @before");
            parameters.Add(("before", before));
        }
        parameters.Add(("limit", (long)query.Limit));
        var order = query.NewestFirst ? "DESC" : "ASC";
        var sqlText = $"SELECT {Columns} FROM audit_records WHERE {where} ORDER BY sequence {order} LIMIT @limit";
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
