using System.Text.Json.Nodes;
using Cog.Language.Rules;
using Cog.Language.Text;
using Cog.Manifest.Yaml;

namespace Cog.Manifest.Validation;

/// <summary>
/// The checks after the schema: every rule, with its prefix fixed up, parses, names this
/// bundle and its own command, and uses only listed permissions; every listed permission is <c>bundle:name</c>.
/// </summary>
/// <remarks>Works on whatever parts of the document are well-formed, so that schema errors elsewhere do not hide these.</remarks>
static class RuleChecker
{
    public static void Check(JsonObject root, SourceMap map, ErrorList errors)
    {
        if (!TryGetString(root, "name", out var bundle))
        {
            return; // the schema reports the missing name; every rule check depends on it
        }
        var listed = CheckPermissions(root, bundle, map, errors);
        if (root["commands"] is not JsonObject commands)
        {
            return;
        }
        foreach (var (command, definition) in commands)
        {
            if (definition is not JsonObject fields || fields["rules"] is not JsonArray rules)
            {
                continue;
            }
            var rulesPointer = JsonPointers.Append(JsonPointers.Append("/commands", command), "rules");
            for (var i = 0; i < rules.Count; i++)
            {
                if (rules[i] is JsonValue value && value.TryGetValue<string>(out var rule))
                {
                    var fixedUp = RulePrefix.Apply(bundle, command, rule);
                    CheckRule(fixedUp, fixedUp.Length - rule.Length, bundle, command, listed, JsonPointers.Append(rulesPointer, i), map, errors);
                }
            }
        }
    }

    /// <param name="prefixLength">How many characters the fix-up added in front of the rule as written.</param>
    static void CheckRule(string rule, int prefixLength, string bundle, string command, HashSet<string> listed, string pointer, SourceMap map, ErrorList errors)
    {
        var position = map.ValuePosition(pointer);
        var parsed = RuleParser.Parse(rule);
        if (!parsed.Succeeded)
        {
            errors.Add(RuleErrors.Format(RelativeToWrittenRule(parsed.Error, rule, prefixLength)), position, pointer);
            return;
        }
        var syntax = parsed.Value;
        if (syntax.Command.Bundle != bundle)
        {
            errors.Add(ManifestErrors.BundleNameMismatch(bundle, syntax.Command.Bundle), position, pointer);
        }
        if (syntax.Command.Name != command)
        {
            errors.Add(ManifestErrors.CommandNameMismatch(command, syntax.Command.Name), position, pointer);
        }
        foreach (var permission in syntax.Permissions)
        {
            if (!listed.Contains(permission))
            {
                errors.Add(ManifestErrors.PermissionNotListed(permission), position, pointer);
            }
        }
    }

    /// <summary>
    /// Moves the position of a parse error from the fixed-up rule to the rule as the author wrote it, so that
    /// "(Line: 1, Col: 7)" counts in the text of the manifest (errors inside the added prefix keep their position).
    /// </summary>
    static LanguageError RelativeToWrittenRule(LanguageError error, string rule, int prefixLength)
    {
        if (prefixLength == 0 || error.Position.Offset < prefixLength)
        {
            return error;
        }
        return error with { Position = SourcePosition.At(rule[prefixLength..], error.Position.Offset - prefixLength) };
    }

    /// <summary>Checks that each listed permission is <c>&lt;bundle&gt;:&lt;name&gt;</c>; returns the listed names.</summary>
    static HashSet<string> CheckPermissions(JsonObject root, string bundle, SourceMap map, ErrorList errors)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        if (root["permissions"] is not JsonArray permissions)
        {
            return listed;
        }
        for (var i = 0; i < permissions.Count; i++)
        {
            if (permissions[i] is not JsonValue value || !value.TryGetValue<string>(out var permission))
            {
                continue;
            }
            listed.Add(permission);
            var pointer = JsonPointers.Append("/permissions", i);
            var colon = permission.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == permission.Length - 1 || permission.IndexOf(':', colon + 1) >= 0)
            {
                errors.Add(ManifestErrors.PermissionMalformed(permission, bundle), map.ValuePosition(pointer), pointer);
            }
            else if (!permission.AsSpan(0, colon).SequenceEqual(bundle))
            {
                errors.Add(ManifestErrors.PermissionNamespaceMismatch(permission, bundle, permission[(colon + 1)..]),
                    map.ValuePosition(pointer), pointer);
            }
        }
        return listed;
    }

    static bool TryGetString(JsonObject obj, string name, out string text)
    {
        if (obj[name] is JsonValue value && value.TryGetValue<string>(out var found))
        {
            text = found;
            return true;
        }
        text = "";
        return false;
    }
}
