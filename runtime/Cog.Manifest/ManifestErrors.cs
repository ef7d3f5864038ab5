using System.Globalization;

namespace Cog.Manifest;

/// <summary>Every message that manifest loading and validation can produce (the tests pin each text).</summary>
/// <remarks>
/// The version and rule messages keep Cog 1.0's wording (spanner's validators), including its "it's"; the others are new
/// and end with a full stop like those. Values are quoted with single quotes.
/// </remarks>
public static class ManifestErrors
{
    /// <summary>The manifest format version this release writes and recommends.</summary>
    public const int CurrentVersion = 6;

    // ---- Files --------------------------------------------------------------------------------------------

    /// <summary>The manifest file does not exist.</summary>
    public static string FileNotFound(string path) => $"The manifest file '{path}' does not exist.";

    /// <summary>The manifest file exists but cannot be read.</summary>
    public static string FileUnreadable(string path, string reason) => $"The manifest file '{path}' cannot be read: {reason}";

    /// <summary>The file name does not end with one of the accepted extensions.</summary>
    public static string UnsupportedExtension(string path) =>
        $"The manifest file '{path}' must end with .yaml, .yml or .json.";

    /// <summary>The folder does not exist.</summary>
    public static string DirectoryNotFound(string path) => $"The bundle folder '{path}' does not exist.";

    /// <summary>The folder has no manifest.</summary>
    public static string NoManifestInDirectory(string path) =>
        $"The bundle folder '{path}' has no config.yaml, config.yml or config.json.";

    /// <summary>The folder has more than one manifest, so which one counts would be a guess.</summary>
    public static string SeveralManifestsInDirectory(string path, string names) =>
        $"The bundle folder '{path}' has more than one manifest ({names}); keep one.";

    // ---- YAML ---------------------------------------------------------------------------------------------

    /// <summary>The text is not valid YAML (or JSON); <paramref name="detail"/> is the YAML parser's explanation.</summary>
    public static string YamlSyntax(string detail) => $"YAML syntax error: {detail}";

    /// <summary>The YAML parser gave up without an explanation.</summary>
    public const string YamlUnreadable = "YAML syntax error: the text cannot be parsed from here on.";

    /// <summary>A map of a version 6 manifest gives the same key more than once, on <paramref name="lines"/>.</summary>
    public static string DuplicateKey(string key, IReadOnlyList<int> lines) =>
        $"Duplicate key '{key}' on lines {Lines(lines)}: give each key once.";

    /// <summary>A map of a version 4 or 5 manifest gives the same key more than once: accepted, the last value counts.</summary>
    public static string DuplicateKeyLastWins(string key, IReadOnlyList<int> lines) =>
        $"Duplicate key '{key}' on lines {Lines(lines)}: the value on line {lines[^1].ToString(CultureInfo.InvariantCulture)} is used, " +
        "as Cog 1.0 did; remove the others.";

    /// <summary>"5 and 12", "5, 12 and 20".</summary>
    static string Lines(IReadOnlyList<int> lines) =>
        lines.Count == 1 ? lines[0].ToString(CultureInfo.InvariantCulture)
            : string.Join(", ", lines.Take(lines.Count - 1).Select(l => l.ToString(CultureInfo.InvariantCulture))) +
              " and " + lines[^1].ToString(CultureInfo.InvariantCulture);

    /// <summary>A template looks written in the other dialect (Greenbar in version 6, Liquid in versions 4 and 5).</summary>
    public static string TemplateInOtherDialect(string template, string dialect, string tag, int lineInTemplate, int version, string expected) =>
        $"Template '{template}' looks like {dialect} ('{tag}' on its line {lineInTemplate.ToString(CultureInfo.InvariantCulture)}), " +
        $"which a version {version.ToString(CultureInfo.InvariantCulture)} bundle shows as written: its templates are {expected}.";

    /// <summary>A map key is a list or a map.</summary>
    public const string ComplexKey = "A key must be a single value, not a list or a map.";

    /// <summary>An alias names no anchor defined before it.</summary>
    public static string UnknownAlias(string name) => $"The alias '*{name}' refers to no anchor '&{name}' defined before it.";

    /// <summary>The document nests deeper than the loader accepts.</summary>
    public static string TooDeep(int limit) =>
        $"The manifest nests lists and maps more than {limit.ToString(CultureInfo.InvariantCulture)} levels deep.";

    /// <summary>The document (after expanding aliases) has more values than the loader accepts.</summary>
    public static string TooLarge(int limit) =>
        $"The manifest has more than {limit.ToString(CultureInfo.InvariantCulture)} values (after expanding aliases).";

    /// <summary>The text holds several YAML documents.</summary>
    public const string MultipleDocuments = "A manifest must be a single YAML document.";

    /// <summary>The text holds no fields.</summary>
    public const string Empty = "The manifest is empty.";

    /// <summary>The document is not a map of fields.</summary>
    public static string NotAMap(string kind) => $"The manifest must be a map of fields (key: value), not {kind}.";

    // ---- Version (Cog 1.0 wording, current version 6) -----------------------------------------------------

    /// <summary><c>cog_bundle_version</c> is missing.</summary>
    public static readonly string VersionNotSpecified =
        "cog_bundle_version not specified. You must specify a valid bundle version. The current version is "
        + CurrentVersion.ToString(CultureInfo.InvariantCulture) + ".";

    /// <summary><c>cog_bundle_version</c> is not 4, 5 or 6.</summary>
    public static string VersionNotSupported(string version) =>
        $"cog_bundle_version {version} is not supported. Please update your bundle config to version {CurrentVersion.ToString(CultureInfo.InvariantCulture)}.";

    // ---- Schema -------------------------------------------------------------------------------------------

    /// <summary>A required field is absent.</summary>
    public static string RequiredProperty(string name) => $"Required property '{name}' is missing.";

    /// <summary>A field is not allowed here (version 6 knows every key; option definitions and templates are closed).</summary>
    public static string PropertyNotAllowed(string name) => $"Property '{name}' is not allowed.";

    /// <summary>A value has the wrong type.</summary>
    public static string WrongType(string expected, string actual) => $"Value should be {expected}, not {actual}.";

    /// <summary>A plain YAML scalar was typed as a number, boolean or null where text is expected.</summary>
    public static string WrongTypeQuote(string expected, string actual, string text) =>
        $"Value should be {expected}, not {actual}; write it in quotes: '{text}'.";

    /// <summary>A string does not match the schema's pattern.</summary>
    public static string PatternMismatch(string value, string pattern) =>
        $"Value '{value}' should match the pattern '{pattern}'.";

    /// <summary>A value is not one of an enumeration.</summary>
    public static string NotOneOf(string value, string allowed) => $"Value '{value}' should be one of: {allowed}.";

    /// <summary>A value differs from the only allowed one.</summary>
    public static string NotEqual(string value, string expected) => $"Value '{value}' should be {expected}.";

    /// <summary>A string is shorter than allowed.</summary>
    public static string TooShort(long minimum) => minimum == 1
        ? "Value should not be empty."
        : $"Value should be at least {minimum.ToString(CultureInfo.InvariantCulture)} characters long.";

    /// <summary>A number is below the minimum.</summary>
    public static string BelowMinimum(string value, string minimum) => $"Value {value} should be at least {minimum}.";

    /// <summary>A value matches a schema it must not match.</summary>
    public const string ValueNotAllowed = "Value is not allowed here.";

    /// <summary>Any other schema failure, with the validator's own text.</summary>
    public static string SchemaViolation(string keyword, string detail) => $"{detail} ({keyword}).";

    // ---- Rules (Cog 1.0 wording) --------------------------------------------------------------------------

    /// <summary>A rule names another bundle than the manifest's.</summary>
    public static string BundleNameMismatch(string bundle, string ruleBundle) =>
        $"The bundle name '{bundle}' does not match the name in the bundle, '{ruleBundle}'.";

    /// <summary>A rule names another command than the one it is listed under (Cog 1.0's "it's" kept).</summary>
    public static string CommandNameMismatch(string command, string ruleCommand) =>
        $"The command name '{command}' does not match the name in it's rule, '{ruleCommand}'.";

    /// <summary>A rule references a permission the manifest does not list.</summary>
    public static string PermissionNotListed(string permission) =>
        $"The permission '{permission}' is not in the list of permissions.";

    // ---- Permissions --------------------------------------------------------------------------------------

    /// <summary>A listed permission is not <c>namespace:name</c> with one colon.</summary>
    public static string PermissionMalformed(string permission, string bundle) =>
        $"The permission '{permission}' must be written as '{bundle}:<name>', with exactly one colon.";

    /// <summary>A listed permission is in another namespace than the bundle's.</summary>
    public static string PermissionNamespaceMismatch(string permission, string bundle, string name) =>
        $"The permission '{permission}' must be in the bundle's namespace: '{bundle}:{name}'.";

    // ---- Built-in commands (version 6, the operable bundle only) -------------------------------------------

    /// <summary>The name of Cog's own bundle, the only one whose commands may be <c>builtin</c>.</summary>
    public const string BuiltInBundle = "operable";

    /// <summary>A bundle other than <c>operable</c> has a <c>builtin</c> command.</summary>
    public const string BuiltInOutsideOperable =
        "'builtin' is reserved for Cog's own 'operable' bundle; a bundle's commands run on a relay as 'executable', 'script' or 'type'.";

    // ---- Files referenced by version 6 manifests ----------------------------------------------------------

    /// <summary>A <c>script</c> or <c>assembly</c> path is absolute.</summary>
    public static string PathNotRelative(string field, string path) =>
        $"'{field}' must be a path relative to the bundle folder, not '{path}'.";

    /// <summary>A <c>script</c> or <c>assembly</c> path leaves the bundle folder.</summary>
    public static string PathOutsideBundle(string field, string path) =>
        $"'{field}' path '{path}' leads outside the bundle folder.";

    /// <summary>A <c>script</c> or <c>assembly</c> file is not in the bundle folder.</summary>
    public static string PathNotFound(string field, string path) =>
        $"'{field}' file '{path}' does not exist in the bundle folder.";
}
