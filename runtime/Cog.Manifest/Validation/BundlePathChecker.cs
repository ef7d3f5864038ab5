using System.Text.Json.Nodes;
using Cog.Manifest.Yaml;

namespace Cog.Manifest.Validation;

/// <summary>
/// Version 6 <c>script</c> and <c>assembly</c> paths: relative, inside the bundle folder, and (when the manifest is read
/// from a folder) existing there.
/// </summary>
static class BundlePathChecker
{
    public static void Check(JsonObject root, string? bundleDirectory, SourceMap map, ErrorList errors)
    {
        if (root["assembly"] is JsonValue assembly && assembly.TryGetValue<string>(out var assemblyPath))
        {
            CheckPath("assembly", assemblyPath, "/assembly", bundleDirectory, map, errors);
        }
        if (root["commands"] is not JsonObject commands)
        {
            return;
        }
        foreach (var (command, definition) in commands)
        {
            if (definition is JsonObject fields && fields["script"] is JsonValue script && script.TryGetValue<string>(out var scriptPath))
            {
                var pointer = JsonPointers.Append(JsonPointers.Append("/commands", command), "script");
                CheckPath("script", scriptPath, pointer, bundleDirectory, map, errors);
            }
        }
    }

    static void CheckPath(string field, string path, string pointer, string? bundleDirectory, SourceMap map, ErrorList errors)
    {
        var position = map.ValuePosition(pointer);
        if (IsAbsolute(path))
        {
            errors.Add(ManifestErrors.PathNotRelative(field, path), position, pointer);
        }
        else if (LeavesFolder(path))
        {
            errors.Add(ManifestErrors.PathOutsideBundle(field, path), position, pointer);
        }
        else if (bundleDirectory is not null && !File.Exists(Path.Combine(bundleDirectory, path.Replace('\\', '/'))))
        {
            errors.Add(ManifestErrors.PathNotFound(field, path), position, pointer);
        }
    }

    // Both separators and drive letters count on every platform: a bundle written on one runs on relays of any kind.
    static bool IsAbsolute(string path) =>
        path.StartsWith('/') || path.StartsWith('\\') || path.StartsWith('~')
        || (path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]))
        || Path.IsPathRooted(path);

    static bool LeavesFolder(string path)
    {
        var depth = 0;
        foreach (var segment in path.Split('/', '\\'))
        {
            if (segment == "..")
            {
                if (--depth < 0)
                {
                    return true;
                }
            }
            else if (segment.Length > 0 && segment != ".")
            {
                depth++;
            }
        }
        return false;
    }
}
