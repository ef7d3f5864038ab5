using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl audit list</c> (newest first, relative times, <c>--follow</c>) and <c>cogctl audit verify</c>: the
/// hash-chained audit log (needs <c>operable:view_audit</c>).</summary>
static class AuditCommands
{
    static readonly string[] Columns = ["sequence", "time", "kind", "actor", "command", "outcome"];

    public static Command Create(CliContext context)
    {
        var user = new Option<string?>("--user") { Description = "Only records of this actor (use -U for the login user)." };
        var command = new Option<string?>("--command") { Description = "Only records about this command (bundle:command)." };
        var outcome = new Option<string?>("--outcome") { Description = "Only records with this outcome (e.g. allowed, denied, succeeded, failed)." };
        var kind = new Option<string?>("--kind") { Description = "Only records of this kind (e.g. pipeline.started, user.created)." };
        var since = new Option<string?>("--since") { Description = "Only records at or after this time: ISO 8601 (2026-05-01T12:00Z) or a time ago (90s, 30m, 1h, 2d, 1w)." };
        var until = new Option<string?>("--until") { Description = "Only records before this time: ISO 8601 or a time ago (90s, 30m, 1h, 2d, 1w)." };
        var limit = new Option<int?>("--limit") { Description = "At most this many records (1..1000; the server's default, 100, otherwise)." };
        var after = new Option<long?>("--after") { Description = "Only records after this sequence number." };
        var before = new Option<long?>("--before") { Description = "Only records before this sequence number (the next page of older records)." };
        var oldestFirst = new Option<bool>("--oldest-first") { Description = "List the oldest matching records first (with --after: page forward through the log)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Print the newest records oldest first, then each new one as it is written, until interrupted (Ctrl-C)." };
        var list = new Command("list", "List audit records, newest first.") { user, command, outcome, kind, since, until, limit, after, before, oldestFirst, follow };
        context.SetRemoteAction(list, async (s, r, ct) =>
        {
            var query = new StringBuilder();
            Add(query, "user", r.GetValue(user));
            Add(query, "command", r.GetValue(command));
            Add(query, "outcome", r.GetValue(outcome));
            Add(query, "kind", r.GetValue(kind));
            foreach (var (option, name, value) in new[] { ("--since", "from", r.GetValue(since)), ("--until", "to", r.GetValue(until)) })
            {
                if (value is null)
                {
                    continue;
                }
                if (RelativeTime.Parse(value, context.Environment.Time.GetUtcNow()) is not { } time)
                {
                    return s.Usage(RemoteErrors.BadTime(option, value));
                }
                Add(query, name, time);
            }
            // What a follower keeps asking for; the page options below apply to the first answer only.
            var filters = query.ToString();
            Add(query, "before", r.GetValue(before)?.ToString(CultureInfo.InvariantCulture));
            Add(query, "limit", r.GetValue(limit)?.ToString(CultureInfo.InvariantCulture));
            Add(query, "after", r.GetValue(after)?.ToString(CultureInfo.InvariantCulture));
            // Newest first unless asked otherwise; a follower starts from the newest page, printed in the order it happened.
            Add(query, "order", r.GetValue(oldestFirst) ? "oldest" : "newest");
            var result = await s.Api.GetAsync($"/v1/audit{query}", "audit_records", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            if (!r.GetValue(follow))
            {
                return s.Write(result.Content, () => Table.List(Columns, Table.Records(result.Array, Columns)));
            }
            var records = Fields.Objects(result.Array);
            if (!r.GetValue(oldestFirst))
            {
                records.Reverse();
            }
            return await FollowAsync(s, context.Environment, filters, records, ct);
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

    /// <summary><c>audit list --follow</c>: prints <paramref name="first"/> (oldest first), then asks every
    /// <see cref="CogCtlEnvironment.FollowInterval"/> for records after the last one printed and prints them, until
    /// cancelled (Ctrl-C), which ends it with exit code 0. One line per record (its columns do not depend on records not
    /// yet written), or one JSON object per line with <c>--json</c>.</summary>
    static async Task<int> FollowAsync(Session s, CogCtlEnvironment environment, string filters, List<JsonObject> first, CancellationToken ct)
    {
        var last = 0L;
        void Print(List<JsonObject> records)
        {
            foreach (var record in records)
            {
                if (s.Json)
                {
                    s.WriteJson(record);
                }
                else
                {
                    s.Output.Write(FollowLine(record));
                }
                last = long.TryParse(Fields.Str(record, "sequence"), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : last;
            }
            s.Output.Flush();
        }
        Print(first);
        var separator = filters.Length == 0 ? '?' : '&';
        try
        {
            while (true)
            {
                await Task.Delay(environment.FollowInterval, environment.Time, ct);
                var next = await s.Api.GetAsync(
                    string.Create(CultureInfo.InvariantCulture, $"/v1/audit{filters}{separator}after={last}&order=oldest&limit=1000"), "audit_records", ct);
                if (!next.Ok)
                {
                    return s.Fail(next);
                }
                Print(Fields.Objects(next.Array));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
    }

    /// <summary>One followed record: <c>time  #sequence  kind  actor  command  outcome</c>, empty fields left out.</summary>
    internal static string FollowLine(JsonNode? record)
    {
        var parts = new List<string> { Fields.Time(record, "time"), "#" + Fields.Str(record, "sequence") };
        foreach (var field in (string[])["kind", "actor", "command", "outcome"])
        {
            if (Fields.Str(record, field) is { Length: > 0 } value)
            {
                parts.Add(value);
            }
        }
        return string.Join("  ", parts) + "\n";
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
