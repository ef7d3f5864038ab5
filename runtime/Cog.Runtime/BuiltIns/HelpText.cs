using System.Text;
using Cog.Language.Options;

namespace Cog.Runtime.BuiltIns;

/// <summary>The texts of <c>help</c>, laid out as Cog 1.0's help formatters did: sections with an upper-case title and
/// a two-space indented body, in one fenced block.</summary>
static class HelpText
{
    /// <summary>Optional options beyond this many show as <c>[options]</c> in a synopsis.</summary>
    const int MaxSynopsisOptions = 5;

    public static string Bundles(IEnumerable<BundleDocs> bundles)
    {
        var ordered = bundles.OrderBy(static b => b.Name, StringComparer.Ordinal).ToArray();
        var sections = new List<string>();
        AddBundleSection(sections, "ENABLED BUNDLES", ordered.Where(static b => b.IsEnabled));
        AddBundleSection(sections, "DISABLED BUNDLES", ordered.Where(static b => !b.IsEnabled));
        sections.Add(BuiltInMessages.HelpLearnMore);
        return Fence(sections);
    }

    /// <param name="bundle">The bundle.</param>
    /// <param name="markOf">The mark of a command the caller may not run, or <see langword="null"/>.</param>
    public static string Bundle(BundleDocs bundle, Func<CommandDocs, string?> markOf)
    {
        var sections = new List<string> { Section("NAME", Joined(bundle.Name, bundle.Description)) };
        AddOptional(sections, "DESCRIPTION", bundle.LongDescription);
        if (!bundle.Commands.IsEmpty)
        {
            var lines = bundle.Commands
                .OrderBy(static c => c.Name, StringComparer.Ordinal)
                .Select(c => "* " + Joined($"{bundle.Name}:{c.Name}", c.Description) + (markOf(c) is { } mark ? $" ({mark})" : ""));
            var example = $"{bundle.Name}:{bundle.Commands[0].Name}";
            sections.Add(Section("COMMANDS", string.Join('\n', lines) + "\n\n" + BuiltInMessages.HelpCommandHint(example)));
        }
        AddOptional(sections, "AUTHOR", bundle.Author);
        AddOptional(sections, "HOMEPAGE", bundle.Homepage);
        return Fence(sections);
    }

    /// <param name="bundle">The command's bundle.</param>
    /// <param name="command">The command.</param>
    /// <param name="withOutput">Whether to show the output documentation (<c>--output</c>).</param>
    /// <param name="mark">Why the caller may not run it, or <see langword="null"/>.</param>
    public static string Command(BundleDocs bundle, CommandDocs command, bool withOutput, string? mark)
    {
        var fullName = $"{bundle.Name}:{command.Name}";
        var sections = new List<string> { Section("NAME", Joined(fullName, command.Description)) };
        AddOptional(sections, "DESCRIPTION", command.LongDescription);
        sections.Add(Section("SYNOPSIS", Synopsis(fullName, command)));
        AddOptions(sections, "REQUIRED OPTIONS", command.Options.Where(static o => o.Required));
        AddOptions(sections, "OPTIONS", command.Options.Where(static o => !o.Required));
        AddOptional(sections, "EXAMPLES", command.Examples);
        AddOptional(sections, "NOTES", command.Notes);
        if (withOutput && (command.OutputDescription is not null || command.OutputExample is not null))
        {
            var output = command.OutputExample is null
                ? command.OutputDescription!
                : (command.OutputDescription is null ? "" : command.OutputDescription.TrimEnd() + "\n\n") + "Example:\n" + command.OutputExample;
            sections.Add(Section("OUTPUT", output));
        }
        if (mark is not null)
        {
            sections.Add(Section("ACCESS", char.ToUpperInvariant(mark[0]) + mark[1..] + "."));
        }
        AddOptional(sections, "AUTHOR", bundle.Author);
        AddOptional(sections, "HOMEPAGE", bundle.Homepage);
        return Fence(sections);
    }

    static string Synopsis(string fullName, CommandDocs command)
    {
        var parts = new List<string> { fullName };
        parts.AddRange(command.Options.Where(static o => o.Required).Select(Flag));
        var optional = command.Options.Where(static o => !o.Required).ToArray();
        if (optional.Length > MaxSynopsisOptions)
        {
            parts.Add("[options]");
        }
        else
        {
            parts.AddRange(optional.Select(static o => $"[{Flag(o)}]"));
        }
        if (!string.IsNullOrWhiteSpace(command.Arguments))
        {
            parts.Add(command.Arguments.Trim());
        }
        return string.Join(' ', parts);
    }

    static string Flag(OptionDocs option) => option.Type == OptionType.Bool ? $"--{option.Name}" : $"--{option.Name} <{option.Name}>";

    static void AddOptions(List<string> sections, string title, IEnumerable<OptionDocs> options)
    {
        var entries = options.Select(static o =>
        {
            var flag = Flag(o) + (o.ShortFlag is null ? "" : $", -{o.ShortFlag}");
            return o.Description is null ? flag : flag + "\n" + Indent(o.Description.TrimEnd());
        }).ToArray();
        if (entries.Length > 0)
        {
            sections.Add(Section(title, string.Join("\n\n", entries)));
        }
    }

    static void AddBundleSection(List<string> sections, string title, IEnumerable<BundleDocs> bundles)
    {
        var bullets = bundles.Select(static b => "* " + Joined(b.Name, b.Description)).ToArray();
        if (bullets.Length > 0)
        {
            sections.Add(Section(title, string.Join('\n', bullets)));
        }
    }

    static void AddOptional(List<string> sections, string title, string? body)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            sections.Add(Section(title, body));
        }
    }

    static string Joined(string name, string? description) => string.IsNullOrWhiteSpace(description) ? name : $"{name} - {description.Trim()}";

    static string Section(string title, string body) => title + "\n" + Indent(body.TrimEnd());

    static string Indent(string text)
    {
        var builder = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }
            builder.Append(line.Length == 0 ? "" : "  " + line.TrimEnd('\r'));
        }
        return builder.ToString();
    }

    static string Fence(List<string> sections) => "```\n" + string.Join("\n\n", sections) + "\n```";
}
