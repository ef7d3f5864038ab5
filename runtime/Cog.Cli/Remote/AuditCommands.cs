using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl audit list</c> and <c>cogctl audit verify</c>: the hash-chained audit log (needs
/// <c>operable:view_audit</c>).</summary>
static class AuditCommands
{
    public static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Only records of this actor (use -U for the login user)." };
        var command = new Option<string?>("--command") { Description = "Only records about this command (bundle:command)." };
        var outcome = new Option<string?>("--outcome") { Description = "Only records with this outcome (e.g. allowed, denied, succeeded, failed)." };
        var kind = new Option<string?>("--kind") { Description = "Only records of this kind (e.g. pipeline.started, user.created)." };
        var since = new Option<string?>("--since") { Description = "Only records at or after this ISO-8601 time." };
        var until = new Option<string?>("--until") { Description = "Only records before this ISO-8601 time." };
        var limit = new Option<int?>("--limit") { Description = "At most this many records (1..1000; the server's default otherwise)." };
        var after = new Option<long?>("--after") { Description = "Only records after this sequence number (for paging)." };
        var list = new Command("list", "List audit records, oldest first.") { user, command, outcome, kind, since, until, limit, after };
        context.SetRemoteAction(list, async (s, r, ct) =>
        {
            var query = new StringBuilder();
            Add(query, "user", r.GetValue(user));
            Add(query, "command", r.GetValue(command));
            Add(query, "outcome", r.GetValue(outcome));
            Add(query, "kind", r.GetValue(kind));
            foreach (var (option, name, value) in new[] { ("--since", "from", r.GetValue(since)), ("--until", "to", r.GetValue(until)) })
            {
                if (value is not null && !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                {
                    return s.Usage(RemoteErrors.BadTime(option, value));
                }
                Add(query, name, value);
            }
            Add(query, "after", r.GetValue(after)?.ToString(CultureInfo.InvariantCulture));
            Add(query, "limit", r.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            var result = await s.Api.GetAsync($"/v1/audit{query}", "audit_records", ct);
            return result.Ok
                ? s.Write(result.Content, () => Table.List(["sequence", "time", "kind", "actor", "command", "outcome"], Table.Records(result.Array, "sequence", "time", "kind", "actor", "command", "outcome")))
                : s.Fail(result);
        });

        var verify = new Command("verify",
            "Check the audit log's keyed chain and its checkpoints: exit code 0 when intact, 1 when not (every finding is printed: its kind and records).");
        context.SetRemoteAction(verify, async (s, _, ct) =>
        {
            var result = await s.Api.GetAsync("/v1/audit/verify", "audit_verification", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var intact = Fields.Bool(result.Content, "intact");
            s.Write(result.Content, () => VerificationText(result.Content));
            return intact ? ExitCodes.Success : ExitCodes.Failure;
        });

        return new Command("audit", "Read and verify the audit log.") { list, verify };
    }

    static void Add(StringBuilder query, string name, string? value)
    {
        if (value is null)
        {
            return;
        }
        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
    }

    /// <summary>The query string for the given pairs (null values left out), or "".</summary>
    public static string Query(params (string Name, string? Value)[] pairs)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in pairs)
        {
            Add(query, name, value);
        }
        return query.ToString();
    }

    /// <summary>The human form of <c>audit verify</c>: one line when intact; otherwise a line per finding, e.g.
    /// <c>forged      records 5–9: Audit records 5–9 are forged: …</c>.</summary>
    internal static string VerificationText(JsonNode? verification)
    {
        var records = Fields.Str(verification, "records") ?? "0";
        var checkpoints = Fields.Str(verification, "checkpoints") ?? "0";
        if (Fields.Bool(verification, "intact"))
            return $"Audit log intact: {records} records verified against {checkpoints} checkpoints.\n";
        var text = new StringBuilder();
        var findings = Fields.Objects(verification, "findings");
        text.Append(CultureInfo.InvariantCulture, $"Audit log NOT INTACT: {findings.Count} finding(s) in {records} records, {checkpoints} checkpoints.\n");
        foreach (var finding in findings)
        {
            var first = Fields.Str(finding, "sequence");
            var last = Fields.Str(finding, "last_sequence");
            var where = first == "0" ? "checkpoints" : first == last ? $"record {first}" : $"records {first}–{last}";
            text.Append(CultureInfo.InvariantCulture, $"{Fields.Str(finding, "kind"),-20} {where}: {Fields.Str(finding, "message")}\n");
        }
        if (Fields.Str(verification, "findings_omitted") is { } omitted && omitted != "0")
            text.Append(CultureInfo.InvariantCulture, $"… and {omitted} more finding(s).\n");
        return text.ToString();
    }
}
