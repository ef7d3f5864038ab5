using System.Collections.Immutable;
using System.CommandLine;
using System.Text.Json;
using Cog.Cli.Output;
using Cog.Language.Rules;

namespace Cog.Cli.Offline;

/// <summary><c>cogctl rule parse</c> and <c>cogctl rule check</c>.</summary>
static class RuleCommands
{
    public static Command Create(TextWriter output, TextWriter error, Option<bool> json)
    {
        var ruleText = new Argument<string[]>("RULE")
        {
            Description = "The rule text; several words are joined with spaces.",
            Arity = ArgumentArity.OneOrMore,
        };
        
        var parse = new Command("parse", "Parse a rule and print its canonical form and the permissions it names.") { ruleText };
        parse.SetAction(r => Parse(string.Join(' ', r.GetValue(ruleText)!), r.GetValue(json), output, error));

        var bundle = new Option<string>("--bundle", "-b") { Description = "A bundle folder or manifest file.", Required = true };
        var rules = new Option<string[]>("--rule", "-r") { Description = "An operator (site) rule to add; repeatable.", AllowMultipleArgumentsPerToken = false };
        var permissions = new Option<string[]>("--permission", "-p") { Description = "A permission the user holds; repeatable." };
        var input = new Option<string?>("--input") { Description = "The JSON object the invocation's variables bind against (default {})." };
        
        var invocation = new Argument<string[]>("INVOCATION")
        {
            Description = "Pipeline text for one stage, after '--' (e.g. -- s3:delete --force prod-bucket).",
            Arity = ArgumentArity.OneOrMore,
        };
        var check = new Command("check", "Decide whether a user with the given permissions may run an invocation, and which rule decides.")
        {
            bundle, rules, permissions, input, invocation,
        };
        check.SetAction(r =>
        {
            var request = new RuleCheck.Request(
                r.GetValue(bundle)!,
                r.GetValue(rules) ?? [],
                r.GetValue(permissions) ?? [],
                r.GetValue(input),
                string.Join(' ', r.GetValue(invocation)!));
            return RuleCheck.Run(request, r.GetValue(json), output, error);
        });

        return new Command("rule", "Work with access rules.") { parse, check };
    }

    internal static int Parse(string text, bool json, TextWriter output, TextWriter error)
    {
        var parsed = RuleParser.Parse(text);
        if (!parsed.TryGetValue(out var rule))
        {
            if (json)
            {
                JsonOutput.WriteFailure(output, parsed.Error!);
            }
            else
            {
                SourceExcerpt.Write(error, text, RuleErrors.Format(parsed.Error!), parsed.Error!.Position.Line, parsed.Error.Position.Column);
            }
            return ExitCodes.Failure;
        }
        if (json)
        {
            JsonOutput.Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteBoolean("ok", true);
                w.WriteString("command", rule.Command.ToString());
                WriteStrings(w, "permissions", rule.Permissions);
                w.WriteString("canonical", RulePrinter.Print(rule));
                w.WriteEndObject();
            });
        }
        else
        {
            output.WriteLine(RulePrinter.Print(rule));
            output.WriteLine($"  command:     {rule.Command}");
            output.WriteLine($"  permissions: {(rule.IsAllow ? "none (allow)" : string.Join(", ", rule.Permissions))}");
        }
        return ExitCodes.Success;
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, ImmutableArray<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }
}
