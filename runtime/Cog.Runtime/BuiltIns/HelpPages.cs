using Cog.Language.Options;
using Cog.Language.Values;

namespace Cog.Runtime.BuiltIns;

/// <summary>The items of <c>help</c>, shaped as Cog 1.0's help views (its <c>help-bundles</c>, <c>help-bundle</c> and
/// <c>help-command</c> templates read the same fields), plus <c>access</c>: why the caller may not run a command.</summary>
static class HelpPages
{
    /// <summary>Optional options beyond this many show as <c>[options]</c> in a synopsis.</summary>
    const int MaxSynopsisOptions = 5;

    /// <summary><c>{"enabled": [{"name", "description"}], "disabled": [...]}</c>, each sorted by name.</summary>
    public static ObjectValue Bundles(IEnumerable<BundleDocs> bundles)
    {
        var ordered = bundles.OrderBy(static b => b.Name, StringComparer.Ordinal).ToArray();
        return Output.Object(
            ("enabled", List(ordered.Where(static b => b.IsEnabled), Summary)),
            ("disabled", List(ordered.Where(static b => !b.IsEnabled), Summary)));
    }

    /// <summary><c>{"name", "description", "long_description", "commands": [{"name": "bundle:command", "description",
    /// "access"}], "config": {"notes", "env": [{"var", "description"}]}, "author", "homepage"}</c>.</summary>
    /// <param name="bundle">The bundle.</param>
    /// <param name="accessOf">Why the caller may not run a command, or <see langword="null"/>.</param>
    public static ObjectValue Bundle(BundleDocs bundle, Func<CommandDocs, string?> accessOf) => Output.Object(
        ("name", Text(bundle.Name)),
        ("description", Text(bundle.Description)),
        ("long_description", Text(bundle.LongDescription)),
        ("commands", List(bundle.Commands.OrderBy(static c => c.Name, StringComparer.Ordinal), c => Output.Object(
            ("name", Text($"{bundle.Name}:{c.Name}")),
            ("description", Text(c.Description)),
            ("access", Text(accessOf(c)))))),
        ("config", bundle.Config is { } config
            ? Output.Object(
                ("notes", Text(config.Notes)),
                ("env", List(config.Environment, static e => Output.Object(("var", Text(e.Name)), ("description", Text(e.Description))))))
            : NullValue.Instance),
        ("author", Text(bundle.Author)),
        ("homepage", Text(bundle.Homepage)));

    /// <summary><c>{"name": "bundle:command", "description", "long_description", "synopsis", "required_options":
    /// [{"flag", "description"}], "options": [...], "examples", "output": {"description", "example"} (with
    /// <paramref name="withOutput"/>), "notes", "access", "bundle": {"name", "author", "homepage"}}</c>.</summary>
    public static ObjectValue Command(BundleDocs bundle, CommandDocs command, bool withOutput, string? access)
    {
        var fullName = $"{bundle.Name}:{command.Name}";
        var hasOutput = withOutput && (command.OutputDescription is not null || command.OutputExample is not null);
        return Output.Object(
            ("name", Text(fullName)),
            ("description", Text(command.Description)),
            ("long_description", Text(command.LongDescription)),
            ("synopsis", Text(Synopsis(fullName, command))),
            ("required_options", List(command.Options.Where(static o => o.Required), Option)),
            ("options", List(command.Options.Where(static o => !o.Required), Option)),
            ("examples", Text(command.Examples?.TrimEnd())),
            ("output", hasOutput
                ? Output.Object(("description", Text(command.OutputDescription)), ("example", Text(command.OutputExample)))
                : NullValue.Instance),
            ("notes", Text(command.Notes)),
            ("access", access is null ? NullValue.Instance : Text(char.ToUpperInvariant(access[0]) + access[1..] + ".")),
            ("bundle", Output.Object(("name", Text(bundle.Name)), ("author", Text(bundle.Author)), ("homepage", Text(bundle.Homepage)))));
    }

    static ObjectValue Summary(BundleDocs bundle) => Output.Object(("name", Text(bundle.Name)), ("description", Text(bundle.Description)));

    static ObjectValue Option(OptionDocs option) => Output.Object(
        ("flag", Text(Flag(option) + (option.ShortFlag is null ? "" : $", -{option.ShortFlag}"))),
        ("description", Text(option.Description?.TrimEnd())));

    static string Synopsis(string fullName, CommandDocs command)
    {
        var parts = new List<string> { fullName };
        parts.AddRange(command.Options.Where(static o => o.Required).Select(Flag));
        var optional = command.Options.Where(static o => !o.Required).ToArray();
        if (optional.Length > MaxSynopsisOptions)
            parts.Add("[options]");
        else
            parts.AddRange(optional.Select(static o => $"[{Flag(o)}]"));
        if (!string.IsNullOrWhiteSpace(command.Arguments))
            parts.Add(command.Arguments.Trim());
        return string.Join(' ', parts);
    }

    static string Flag(OptionDocs option) => option.Type == OptionType.Bool ? $"--{option.Name}" : $"--{option.Name} <{option.Name}>";

    static Value Text(string? text) => string.IsNullOrWhiteSpace(text) ? NullValue.Instance : new StringValue(text);

    static ListValue List<T>(IEnumerable<T> items, Func<T, Value> map) => new([.. items.Select(map)]);
}
