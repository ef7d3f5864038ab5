using System.Collections.Immutable;
using System.Text.Json;
using Cog.Cli.Output;
using Cog.Language.Binding;
using Cog.Language.Options;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Language.Text;
using Cog.Language.Values;
using Cog.Manifest;

namespace Cog.Cli.Offline;

/// <summary>
/// <c>cogctl rule check</c>: decides one invocation offline through the same steps the server takes —
/// parse, resolve against the bundle's commands, bind, interpret options, evaluate the rules.
/// </summary>
static class RuleCheck
{
    public sealed record Request(string BundlePath, string[] SiteRules, string[] Permissions, string? InputJson, string Invocation);

    public static int Run(Request request, bool json, TextWriter output, TextWriter error)
    {
        if (!ManifestInput.TryLoad(request.BundlePath, error, out var loaded))
        {
            return ExitCodes.Usage;
        }
        if (loaded.Manifest is not { } manifest)
        {
            BundleCommands.WriteErrors(loaded, json, output, error);
            return ExitCodes.Failure;
        }
        if (!TryReadInput(request.InputJson, error, out var item))
        {
            return ExitCodes.Usage;
        }

        var text = request.Invocation;
        var parsed = PipelineParser.Parse(text);
        if (!parsed.TryGetValue(out var pipeline))
        {
            return Fail(parsed.Error!, text, json, output, error);
        }
        if (pipeline.Stages.Length != 1)
        {
            error.WriteLine($"error: rule check decides one invocation, but the text has {pipeline.Stages.Length} stages.");
            return ExitCodes.Usage;
        }

        var catalog = new CommandCatalog([ToInstalledBundle(manifest)]);
        var resolved = CommandResolver.Resolve(pipeline, catalog, AliasCatalog.Empty, AliasCatalog.Empty);
        if (!resolved.TryGetValue(out var resolution))
        {
            return Fail(resolved.Error!, text, json, output, error);
        }
        var stage = resolution.Stages[0];

        var bound = VariableBinder.Bind(stage.Arguments, item);
        if (!bound.TryGetValue(out var arguments))
        {
            return Fail(bound.Error!, text, json, output, error);
        }
        var interpreted = OptionInterpreter.Interpret(OptionTable.Create(stage.QualifiedName, stage.Options), arguments, stage.Span.Start);
        if (!interpreted.TryGetValue(out var commandInput))
        {
            return Fail(interpreted.Error!, text, json, output, error);
        }

        var rules = ImmutableArray.CreateBuilder<RuleSyntax>();
        foreach (var ruleText in manifest.Commands.Single(c => c.Name == stage.Command.Name).Rules)
        {
            // The manifest validated, so its rules parse.
            rules.Add(RuleParser.Parse(ruleText).Value);
        }
        foreach (var siteRule in request.SiteRules)
        {
            var fixedUp = RulePrefix.Apply(manifest.Name, stage.Command.Name, siteRule);
            var rule = RuleParser.Parse(fixedUp);
            if (!rule.TryGetValue(out var siteSyntax))
            {
                return Fail(rule.Error!, fixedUp, json, output, error, RuleErrors.Format(rule.Error!));
            }
            rules.Add(siteSyntax);
        }
        // Like the server, only the rules written for this command apply.
        var applicable = rules.Where(r => r.Command.Bundle == manifest.Name && r.Command.Name == stage.Command.Name).ToImmutableArray();

        var invocationText = InvocationText.Format(stage.QualifiedName, arguments);
        var decision = RuleEvaluator.Evaluate(invocationText, applicable, request.Permissions.ToHashSet(StringComparer.Ordinal), commandInput);
        WriteDecision(decision, invocationText, json, output);
        return decision.Outcome == RuleOutcome.Allowed ? ExitCodes.Success : ExitCodes.Failure;
    }

    static InstalledBundle ToInstalledBundle(BundleManifest manifest) =>
        new(manifest.Name, manifest.Version, manifest.Commands.Select(c => new BundleCommand(c.Name, c.Options)));

    static bool TryReadInput(string? inputJson, TextWriter error, out Value item)
    {
        item = new ObjectValue([]);
        if (inputJson is null)
        {
            return true;
        }
        try
        {
            using var document = JsonDocument.Parse(inputJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error.WriteLine("error: --input must be a JSON object.");
                return false;
            }
            item = Value.FromJson(document.RootElement);
            return true;
        }
        catch (JsonException e)
        {
            error.WriteLine($"error: --input is not valid JSON: {e.Message}");
            return false;
        }
    }

    static int Fail(LanguageError problem, string source, bool json, TextWriter output, TextWriter error, string? display = null)
    {
        if (json)
        {
            JsonOutput.WriteFailure(output, problem);
        }
        else
        {
            SourceExcerpt.Write(error, source, display ?? problem.Message, problem.Position.Line, problem.Position.Column);
        }
        return ExitCodes.Failure;
    }

    static void WriteDecision(RuleDecision decision, string invocationText, bool json, TextWriter output)
    {
        var outcome = decision.Outcome switch
        {
            RuleOutcome.Allowed => "allowed",
            RuleOutcome.Denied => "denied",
            RuleOutcome.EvaluationFailed => "evaluation_failed",
            _ => "no_rule",
        };
        var rule = decision.DecidingRule is null ? null : RulePrinter.Print(decision.DecidingRule);
        var message = decision.Message ?? $"Allowed: '{invocationText}'.";
        if (json)
        {
            JsonOutput.Write(output, w =>
            {
                w.WriteStartObject();
                w.WriteString("decision", outcome);
                w.WriteString("rule", rule);
                RuleCommands.WriteStrings(w, "missing", decision.Missing);
                w.WriteString("message", message);
                w.WriteEndObject();
            });
            return;
        }
        output.WriteLine($"{outcome}: {invocationText}");
        output.WriteLine($"  deciding rule: {rule ?? "none"}");
        if (!decision.Missing.IsEmpty)
        {
            output.WriteLine($"  missing:       {string.Join(", ", decision.Missing)}");
        }
        if (decision.Message is not null)
        {
            output.WriteLine();
            output.WriteLine(decision.Message);
        }
    }
}
