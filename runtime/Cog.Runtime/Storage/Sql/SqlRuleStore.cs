using System.Data.Common;
using Cog.Runtime.Authorization;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlRuleStore(SqlExecutor executor) : IRuleStore
{
    const string Columns = "id, command_id, rule_text, enabled, site";

    static (string Id, string CommandId, string Text, bool Enabled, bool Site) MapRow(DbDataReader r) =>
        (Read.Text(r, 0), Read.Text(r, 1), Read.Text(r, 2), Read.Bool(r, 3), Read.Bool(r, 4));

    /// <summary>The id of the rule (command, text), created enabled and not site when missing.</summary>
    internal static async Task<string> FindOrCreateAsync(SqlContext sql, string commandId, string text, CancellationToken cancellationToken)
    {
        var id = (string?)await sql.ScalarAsync("SELECT id FROM rules WHERE command_id = @c AND rule_text = @t",
            [("c", commandId), ("t", text)], cancellationToken).ConfigureAwait(false);
        if (id is not null)
            return id;
        id = StoreId.New();
        await sql.ExecuteAsync("INSERT INTO rules (id, command_id, rule_text, enabled, site) VALUES (@id, @c, @t, @e, @s)",
            [("id", id), ("c", commandId), ("t", text), ("e", true), ("s", false)], cancellationToken).ConfigureAwait(false);
        return id;
    }

    static async Task<List<RuleRecord>> LoadAsync(SqlContext sql, string where, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        var rows = await sql.QueryAsync($"SELECT {Columns} FROM rules r WHERE {where} ORDER BY r.command_id, r.id", parameters, MapRow, cancellationToken).ConfigureAwait(false);
        var links = await sql.QueryAsync(
            $"SELECT rv.rule_id, rv.bundle_version_id FROM rule_versions rv WHERE rv.rule_id IN (SELECT r.id FROM rules r WHERE {where}) ORDER BY rv.bundle_version_id",
            parameters, r => (Rule: Read.Text(r, 0), Version: Read.Text(r, 1)), cancellationToken).ConfigureAwait(false);
        var byRule = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (rule, version) in links)
        {
            if (!byRule.TryGetValue(rule, out var list))
                byRule[rule] = list = [];
            list.Add(version);
        }
        var records = new List<RuleRecord>(rows.Count);
        foreach (var row in rows)
            records.Add(new RuleRecord(row.Id, row.CommandId, row.Text, row.Enabled, row.Site, byRule.TryGetValue(row.Id, out var v) ? v : []));
        return records;
    }

    public Task<StoreResult<RuleRecord>> IngestSiteRuleAsync(string commandId, string text, CancellationToken cancellationToken) =>
        executor.WriteAsync<RuleRecord>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM commands WHERE id = @id", [("id", commandId)], cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Command, commandId));
            var id = await FindOrCreateAsync(sql, commandId, text, cancellationToken).ConfigureAwait(false);
            await sql.ExecuteAsync("UPDATE rules SET enabled = @t, site = @t WHERE id = @id", [("t", true), ("id", id)], cancellationToken).ConfigureAwait(false);
            return (await LoadAsync(sql, "r.id = @id", [("id", id)], cancellationToken).ConfigureAwait(false))[0];
        }, null, cancellationToken);

    public Task<RuleRecord?> GetAsync(string id, CancellationToken cancellationToken) =>
        executor.ReadAsync(async sql => (await LoadAsync(sql, "r.id = @id", [("id", id)], cancellationToken).ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    public async Task<IReadOnlyList<RuleRecord>> ListForCommandAsync(string commandId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => LoadAsync(sql, "r.command_id = @c", [("c", commandId)], cancellationToken), cancellationToken).ConfigureAwait(false);

    const string Applicable =
        "r.enabled = @t AND (r.site = @t OR EXISTS (SELECT 1 FROM rule_versions rv JOIN bundle_versions v ON v.id = rv.bundle_version_id " +
        "WHERE rv.rule_id = r.id AND v.enabled = @t))";

    public async Task<IReadOnlyList<RuleRecord>> ListApplicableAsync(string? commandId, CancellationToken cancellationToken) =>
        await executor.ReadAsync(sql => commandId is null
            ? LoadAsync(sql, Applicable, [("t", true)], cancellationToken)
            : LoadAsync(sql, "r.command_id = @c AND " + Applicable, [("c", commandId), ("t", true)], cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<StoreResult<RuleDeletion>> DeleteAsync(string id, CancellationToken cancellationToken) =>
        executor.WriteAsync<RuleDeletion>(async sql =>
        {
            if (!await sql.ExistsAsync("SELECT 1 FROM rules WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false))
                return new StoreError(StoreErrorKind.NotFound, StoreErrors.NotFound(StoreEntities.Rule, id));
            if (await sql.ExistsAsync("SELECT 1 FROM rule_versions WHERE rule_id = @id", [("id", id)], cancellationToken).ConfigureAwait(false))
            {
                await sql.ExecuteAsync("UPDATE rules SET enabled = @f, site = @f WHERE id = @id", [("f", false), ("id", id)], cancellationToken).ConfigureAwait(false);
                return RuleDeletion.Disabled;
            }
            await sql.ExecuteAsync("DELETE FROM rules WHERE id = @id", [("id", id)], cancellationToken).ConfigureAwait(false);
            return RuleDeletion.Deleted;
        }, null, cancellationToken);
}
