using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cog.Manifest.Validation;
using Cog.Language.Text;
using Cog.Manifest.Yaml;

namespace Cog.Manifest;

/// <summary>Reads and validates bundle manifests (<c>config.yaml</c>, <c>config.yml</c> or <c>config.json</c>).</summary>
/// <remarks>
/// <para>
/// Checks run in this order and every error found is reported at once, each with file, line, column and JSON pointer:
/// the text is read as YAML (JSON is YAML too); <c>cog_bundle_version</c> must be 4, 5 or 6 (otherwise that is the
/// only error); the document is validated against the embedded <c>bundle-schema.yaml</c>; each rule, after Cog's prefix
/// fix-up, must parse, name this bundle and command, and use only listed permissions; listed permissions must be
/// <c>bundle:name</c>; version 6 <c>script</c> and <c>assembly</c> paths must stay inside the bundle folder and, when a
/// folder is known, exist; only the <c>operable</c> bundle has <c>builtin</c> commands.
/// </para>
/// <para>Warnings (<see cref="ManifestResult.Warnings"/>) do not make a manifest invalid: a key given twice in a version
/// 4 or 5 manifest (the last value counts), a template that looks written in the other dialect.</para>
/// <para>Bad input never throws: it yields errors. All members are thread-safe.</para>
/// </remarks>
public static class ManifestLoader
{
    /// <summary>The manifest file names looked for in a bundle folder, in order.</summary>
    public static ImmutableArray<string> FileNames { get; } = ["config.yaml", "config.yml", "config.json"];

    /// <summary>The manifest versions accepted.</summary>
    public static ImmutableArray<int> SupportedVersions { get; } = [4, 5, 6];

    /// <summary>Loads the manifest of the bundle in <paramref name="directory"/>.</summary>
    /// <remarks>Exactly one of <see cref="FileNames"/> must exist there; script and assembly files are looked for there.</remarks>
    public static ManifestResult LoadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            return FileFailure(directory, ManifestErrors.DirectoryNotFound(directory));
        }
        var found = new List<string>();
        foreach (var name in FileNames)
        {
            if (File.Exists(Path.Combine(directory, name)))
            {
                found.Add(name);
            }
        }
        return found.Count switch
        {
            0 => FileFailure(directory, ManifestErrors.NoManifestInDirectory(directory)),
            1 => LoadFile(Path.Combine(directory, found[0])),
            _ => FileFailure(directory, ManifestErrors.SeveralManifestsInDirectory(directory, string.Join(", ", found))),
        };
    }

    /// <summary>Loads the manifest file at <paramref name="path"/>; script and assembly files are looked for beside it.</summary>
    public static ManifestResult LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!HasManifestExtension(path))
        {
            return FileFailure(path, ManifestErrors.UnsupportedExtension(path));
        }
        if (!File.Exists(path))
        {
            return FileFailure(path, ManifestErrors.FileNotFound(path));
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileFailure(path, ManifestErrors.FileUnreadable(path, e.Message));
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return Parse(text, path, directory);
    }

    /// <summary>Validates manifest text.</summary>
    /// <param name="text">The YAML or JSON text.</param>
    /// <param name="fileName">The name the errors carry (it is not opened).</param>
    /// <param name="bundleDirectory">
    /// The bundle folder, to check that version 6 <c>script</c> and <c>assembly</c> files exist; <see langword="null"/>
    /// skips that check (the paths must still be relative and stay inside the bundle).
    /// </param>
    public static ManifestResult Parse(string text, string fileName, string? bundleDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new ErrorList(fileName);
        var tree = YamlTreeReader.Read(text, errors);
        if (tree is null)
        {
            return Failure(errors);
        }
        var map = tree.Map;
        switch (tree.Root)
        {
            case null or JsonObject { Count: 0 }:
                errors.Add(ManifestErrors.Empty, map.ValuePosition(""), "");
                return Failure(errors);
            case not JsonObject:
                errors.Add(ManifestErrors.NotAMap(KindOf(tree.Root)), map.ValuePosition(""), "");
                return Failure(errors);
        }
        var root = (JsonObject)tree.Root;
        if (!CheckVersion(root, map, errors, out var version))
        {
            return Failure(errors);
        }
        // Cog 1.0's tools read YAML with PyYAML, which keeps the last of a key given twice; published version 4/5
        // manifests rely on that, so they are accepted with a warning. Version 6 is ours: there, it is an error.
        var warnings = new ErrorList(fileName);
        foreach (var (pointer, key, lines, last) in DuplicateKeys(tree.Duplicates))
        {
            if (version >= 6)
                errors.Add(ManifestErrors.DuplicateKey(key, lines), last, pointer);
            else
                warnings.Add(ManifestErrors.DuplicateKeyLastWins(key, lines), last, pointer);
        }
        BundleSchema.Instance.Validate(root, map, errors);
        TemplateDialectChecker.Check(root, version, map, warnings);
        RuleChecker.Check(root, map, errors);
        if (version >= 6)
        {
            BundlePathChecker.Check(root, bundleDirectory, map, errors);
            BuiltInChecker.Check(root, map, errors);
        }
        return errors.Count > 0
            ? Failure(errors)
            : new ManifestResult(ManifestBuilder.Build(root, version), [], warnings.ToSortedArray());
    }

    /// <summary>Each member given more than once, once: its pointer, key, every line it is given on, and the last place.</summary>
    static IEnumerable<(string Pointer, string Key, IReadOnlyList<int> Lines, SourcePosition Last)> DuplicateKeys(IReadOnlyList<DuplicateKey> duplicates) =>
        duplicates
            .GroupBy(d => d.Pointer, StringComparer.Ordinal)
            .Select(g => (g.Key, g.First().Key,
                (IReadOnlyList<int>)[g.First().First.Line, .. g.Select(d => d.Again.Line)], g.Last().Again));

    /// <summary>Whether <paramref name="path"/> ends with an accepted manifest extension (<c>.yaml</c>, <c>.yml</c>, <c>.json</c>).</summary>
    public static bool HasManifestExtension(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path);
        return extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The version pre-check, with Cog 1.0's messages: nothing else is checked without a supported version.</summary>
    static bool CheckVersion(JsonObject root, SourceMap map, ErrorList errors, out int version)
    {
        version = 0;
        const string pointer = "/cog_bundle_version";
        if (!root.TryGetPropertyValue("cog_bundle_version", out var value) || value is null)
        {
            errors.Add(ManifestErrors.VersionNotSpecified, map.KeyPosition(value is null && root.ContainsKey("cog_bundle_version") ? pointer : ""), pointer);
            return false;
        }
        if (value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.Number)
        {
            var number = scalar.TryGetValue<long>(out var integer) ? integer : scalar.GetValue<double>();
            foreach (var supported in SupportedVersions)
            {
                if (number == supported)
                {
                    version = supported;
                    return true;
                }
            }
        }
        var shown = map.Find(pointer).PlainText ?? BundleSchema.Display(value);
        errors.Add(ManifestErrors.VersionNotSupported(shown), map.ValuePosition(pointer), pointer);
        return false;
    }

    static string KindOf(JsonNode? node) => node switch
    {
        JsonArray => "a list",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => "a boolean",
        },
        _ => "a map",
    };

    static ManifestResult Failure(ErrorList errors) => new(null, errors.ToSortedArray());

    static ManifestResult FileFailure(string file, string message)
    {
        var errors = new ErrorList(file);
        errors.AddAboutFile(message);
        return Failure(errors);
    }
}
