using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cog.Manifest.Yaml;

namespace Cog.Manifest.Validation;

/// <summary>
/// Warns about a template written in the other dialect: Greenbar (<c>~each var=$results~</c>, <c>~$item.name~</c>) in a
/// version 6 manifest, whose templates are Liquid, or Liquid (<c>{% for %}</c>, <c>{{ x }}</c>) in a version 4 or 5
/// manifest, whose templates are Greenbar. Either parses — as literal text — so without this warning the mistake
/// shows only in chat, where the tags appear as written.
/// </summary>
static class TemplateDialectChecker
{
    static readonly Regex GreenbarTag = new(@"~(?:each|if|end|break|count|json|join|attachment|\$)", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    static readonly Regex LiquidTag = new(@"\{%-?\s*[a-z]+|\{\{-?\s*[A-Za-z_]", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static void Check(JsonObject root, int version, SourceMap map, ErrorList warnings)
    {
        if (root["templates"] is not JsonObject templates)
            return;
        var (foreign, dialect, expected) = version >= 6 ? (GreenbarTag, "Greenbar", "Liquid") : (LiquidTag, "Liquid", "Greenbar");
        foreach (var (name, template) in templates)
        {
            if (template is not JsonObject fields || fields["body"] is not JsonValue value || !value.TryGetValue<string>(out var body))
                continue;
            var match = foreign.Match(body);
            if (!match.Success)
                continue;
            var pointer = JsonPointers.Append(JsonPointers.Append("/templates", name), "body");
            var lineInTemplate = body.AsSpan(0, match.Index).Count('\n') + 1;
            warnings.Add(ManifestErrors.TemplateInOtherDialect(name, dialect, match.Value, lineInTemplate, version, expected),
                map.ValuePosition(pointer), pointer);
        }
    }
}
