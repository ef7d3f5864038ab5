using System.Text.Json.Nodes;
using Cog.Manifest.Yaml;

namespace Cog.Manifest.Validation;

/// <summary>
/// The check after the schema for <c>builtin</c> commands (version 6): only Cog's own bundle, <c>operable</c>, has them.
/// The schema cannot say this without a message that would tell every bundle author about <c>builtin</c>.
/// </summary>
static class BuiltInChecker
{
    public static void Check(JsonObject root, SourceMap map, ErrorList errors)
    {
        if (root["name"] is JsonValue name && name.TryGetValue<string>(out var bundle) && bundle == ManifestErrors.BuiltInBundle)
        {
            return;
        }
        if (root["commands"] is not JsonObject commands)
        {
            return;
        }
        foreach (var (command, definition) in commands)
        {
            if (definition is JsonObject fields && fields.ContainsKey("builtin"))
            {
                var pointer = JsonPointers.Append(JsonPointers.Append("/commands", command), "builtin");
                errors.Add(ManifestErrors.BuiltInOutsideOperable, map.KeyPosition(pointer), pointer);
            }
        }
    }
}
