using System.CommandLine;
using System.Text.Json.Nodes;
using Cog.Cli.Api;

namespace Cog.Cli.Remote;

/// <summary><c>cogctl rule list/create/delete</c>: the server's rules (next to the offline <c>rule parse/check</c>).</summary>
static class RuleRemoteCommands
{
    public static void AddTo(Command rule, CliContext context)
    {
        var command = new Argument<string>("COMMAND") { Description = "bundle:command" };
        var list = new Command("list", "List the rules of a command.") { command };
        context.SetRemoteAction(list, async (s, r, ct) =>
        {
            var result = await s.Api.GetAsync($"/v1/rules?for-command={Uri.EscapeDataString(r.GetValue(command)!)}", "rules", ct);
            return result.Ok ? s.Write(result.Content, () => Table.List(["id", "rule"], Table.Records(result.Array, "id", "rule"))) : s.Fail(result);
        });

        var words = new Argument<string[]>("RULE")
        {
            Description = "The rule text (words are joined with spaces), or the shorthand COMMAND PERMISSION.",
            Arity = ArgumentArity.OneOrMore,
        };
        var create = new Command("create", "Create a rule. Quote complex rules as one argument.") { words };
        context.SetRemoteAction(create, async (s, r, ct) =>
        {
            var result = await s.Api.PostAsync("/v1/rules", new JsonObject { ["rule"] = RuleText(r.GetValue(words)!) }, null, ct);
            return result.Ok
                ? s.Write(result.Content, () => Table.Rows(("ID", Fields.Str(result.Content, "id") ?? ""), ("Rule", Fields.Str(result.Content, "rule") ?? "")))
                : s.Fail(result);
        });

        var id = new Argument<string>("RULE_ID");
        var delete = new Command("delete", "Delete a rule.") { id };
        context.SetRemoteAction(delete, async (s, r, ct) =>
        {
            var result = await s.Api.DeleteAsync($"/v1/rules/{ApiClient.Segment(r.GetValue(id)!)}", ct);
            return result.Ok ? ExitCodes.Success : s.Fail(result);
        });

        rule.Add(list);
        rule.Add(create);
        rule.Add(delete);
    }

    /// <summary>The words joined; <c>bundle:cmd bundle:perm</c> is short for
    /// <c>when command is bundle:cmd must have bundle:perm</c>.</summary>
    public static string RuleText(string[] words)
    {
        if (words.Length == 2 && words[0].Contains(':', StringComparison.Ordinal) && words[1].Contains(':', StringComparison.Ordinal)
            && !words[0].Contains(' ', StringComparison.Ordinal) && !words[1].Contains(' ', StringComparison.Ordinal))
        {
            return $"when command is {words[0]} must have {words[1]}";
        }
        return string.Join(' ', words);
    }
}
