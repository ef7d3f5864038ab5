using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl pipeline run/explain/list/info/kill</c>: pipelines on the server (next to the offline
/// <c>pipeline parse</c>).</summary>
static class PipelineRemoteCommands
{
    public static void AddTo(Command pipeline, CliContext context)
    {
        var runText = Text();
        var run = new Command("run", "Run a pipeline as the logged-in user and print its reply; exit code 1 when it fails.") { runText };
        context.SetRemoteAction(run, async (s, r, ct) =>
        {
            var result = await Progress.ShowAsync(
                s.Api.PostAsync("/v1/pipelines", new JsonObject { ["pipeline"] = string.Join(' ', r.GetValue(runText)!) }, "pipeline", ct),
                context.Environment, "running the pipeline", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            var rendered = Fields.Str(result.Content, "rendered") ?? "";
            s.Write(result.Content, () => rendered.Length == 0 || rendered.EndsWith('\n') ? rendered : rendered + "\n");
            return Succeeded(result.Content) ? ExitCodes.Success : ExitCodes.Failure;
        });

        var explainText = Text();
        var asUser = new Option<string?>("--as") { Description = "Explain for this user (needs operable:manage_commands); default: yourself." };
        var explain = new Command("explain", "Show, without running anything, whether a pipeline would be allowed and which rule decides each stage; exit code 1 unless allowed.")
        {
            explainText, asUser,
        };
        context.SetRemoteAction(explain, async (s, r, ct) =>
        {
            var body = new JsonObject { ["pipeline"] = string.Join(' ', r.GetValue(explainText)!) };
            if (r.GetValue(asUser) is { } user)
            {
                body["as_user"] = user;
            }
            var result = await s.Api.PostAsync("/v1/pipelines/explain", body, "explanation", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            s.Write(result.Content, () => Explanation(result.Content));
            return Fields.Str(result.Content, "decision") == "allowed" ? ExitCodes.Success : ExitCodes.Failure;
        });

        var owner = new Option<string?>("--user") { Description = "Whose pipelines: a username, or 'all' (default: yourself; use -U for the login user)." };
        var state = new Option<string?>("--state") { Description = "running or finished" };
        state.AcceptOnlyFromAmong("running", "finished");
        var limit = new Option<int?>("--limit") { Description = "At most this many pipelines." };
        var list = new Command("list", "List pipelines, most recent first.") { owner, state, limit };
        context.SetRemoteAction(list, async (s, r, ct) =>
        {
            var query = AuditCommands.Query(("user", r.GetValue(owner)), ("state", r.GetValue(state)), ("limit", r.GetValue(limit)?.ToString(CultureInfo.InvariantCulture)));
            var result = await s.Api.GetAsync($"/v1/pipelines{query}", "pipelines", ct);
            return result.Ok
                ? s.Write(result.Content, () => Table.List(["id", "user", "server", "state", "started_at", "processed", "text"], Table.Records(result.Array, "id", "user", "server", "state", "started_at", "processed", "text")))
                : s.Fail(result);
        });

        var infoId = new Argument<string>("ID");
        var info = new Command("info", "Show one pipeline.") { infoId };
        context.SetRemoteAction(info, async (s, r, ct) =>
        {
            var result = await s.Api.GetAsync(Path(r.GetValue(infoId)!), "pipeline", ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            return s.Write(result.Content, () =>
            {
                var rows = new List<string[]>();
                foreach (var field in new[] { "id", "user", "text", "room", "provider", "server", "state", "started_at", "finished_at", "processed" })
                {
                    rows.Add([Table.Title(field), Fields.IsTime(field) ? Fields.Time(result.Content, field) : Fields.Str(result.Content, field) ?? ""]);
                }
                return Table.Render(rows);
            });
        });

        var killId = new Argument<string>("ID");
        var kill = new Command("kill", "Stop a running pipeline (cancels the command that is running).") { killId };
        context.SetRemoteAction(kill, async (s, r, ct) =>
        {
            var id = r.GetValue(killId)!;
            var result = await s.Api.DeleteAsync(Path(id), ct);
            if (!result.Ok)
            {
                return s.Fail(result);
            }
            if (!s.Json)
            {
                s.Output.WriteLine($"Killed pipeline {id}");
            }
            return ExitCodes.Success;
        });

        pipeline.Add(run);
        pipeline.Add(explain);
        pipeline.Add(list);
        pipeline.Add(info);
        pipeline.Add(kill);
    }

    /// <summary>Whether a pipeline run ended well: it succeeded (or returned nothing) and its reply is not an error
    /// reply. A command whose output's template fails still "succeeds", but its reply is the template error.</summary>
    static bool Succeeded(JsonNode? pipeline) =>
        Fields.Str(pipeline, "status") is "succeeded" or "no_output" && Fields.Str(pipeline, "reply") != "error";

    static Argument<string[]> Text() => new("TEXT")
    {
        Description = "The pipeline text; several words are joined with spaces. Put '--' first if it starts with '-'.",
        Arity = ArgumentArity.OneOrMore,
    };

    static string Path(string id) => $"/v1/pipelines/{ApiClient.Segment(id)}";

    static string Explanation(JsonNode? explanation)
    {
        var head = new List<(string, string)>
        {
            ("User:", Fields.Str(explanation, "user") ?? ""),
            ("Pipeline:", Fields.Str(explanation, "pipeline") ?? ""),
            ("Decision:", Fields.Str(explanation, "decision") ?? ""),
        };
        var rows = new List<string[]>();
        foreach (var stage in Fields.Objects(explanation, "stages"))
        {
            var missing = new List<string>();
            foreach (var item in Fields.Arr(stage, "missing"))
            {
                missing.Add(Fields.Text(item) ?? "");
            }
            // The aliases the command came from, as alias references: site:deploy > user:mine (a user alias is the explained user's).
            var aliases = new List<string>();
            foreach (var alias in Fields.Objects(stage, "aliases"))
            {
                aliases.Add($"{Fields.Str(alias, "visibility")}:{Fields.Str(alias, "name")}");
            }
            rows.Add([Fields.Str(stage, "stage") ?? "", Fields.Str(stage, "command") ?? "", string.Join(" > ", aliases), Fields.Str(stage, "decision") ?? "",
                Fields.Str(stage, "rule") ?? "", string.Join(", ", missing)]);
        }
        var text = Table.Rows([.. head]) + "\n" + Table.List(["stage", "command", "alias", "decision", "rule", "missing"], rows);
        if (Fields.Str(explanation, "message") is { Length: > 0 } message)
        {
            text += "\n" + message + "\n";
        }
        return Fields.Str(explanation, "advice") is { Length: > 0 } advice ? text + "\n" + advice + "\n" : text;
    }
}
