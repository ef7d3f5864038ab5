using System.Collections.Immutable;
using Cog.Manifest;

namespace Cog.Relay.Bundles;

/// <summary>Every message a relay announces for a bundle version it could not make ready (protocol §6.3
/// <c>failures</c>, shown to operators). The tests pin each text.</summary>
static class BundleErrors
{
    /// <summary>How many manifest errors a failure lists before it only counts the rest.</summary>
    const int MaxListedErrors = 5;

    /// <summary>The relay was started without a server (dev mode only), so it downloads nothing.</summary>
    public static string NoServer(Uri url) =>
        $"The relay has no server configured (--server or COG_RELAY_SERVER), so it cannot download {url}.";

    /// <summary>The package URL is not on the server the relay was configured with: the relay does not send its
    /// credentials there (protocol §7).</summary>
    public static string ForeignOrigin(Uri url, Uri origin) =>
        $"The package URL {url} is not on the relay's server {Origin(origin)}; the relay sends its credentials only there and did not download it.";

    /// <summary>HTTP 401.</summary>
    public const string Unauthorized =
        "The server refused the relay's credentials when it downloaded the package (HTTP 401): check the relay id and token.";

    /// <summary>HTTP 403.</summary>
    public const string Forbidden =
        "The server refused the package download (HTTP 403): this bundle version is not assigned to this relay.";

    /// <summary>HTTP 404.</summary>
    public const string NotFound = "The server has no package for this bundle version (HTTP 404).";

    /// <summary>Any other HTTP status but 200.</summary>
    public static string HttpStatus(int status, string? reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? $"The package download failed: the server answered HTTP {status}."
            : $"The package download failed: the server answered HTTP {status} {reason}.";

    /// <summary>No answer: connection refused, DNS, TLS, a broken connection.</summary>
    public static string Network(string reason) => $"The package download failed: {reason}";

    /// <summary>The download took longer than the HTTP client's timeout.</summary>
    public const string TimedOut = "The package download failed: the server did not answer in time.";

    /// <summary>The package has another size than its assignment says.</summary>
    public static string SizeMismatch(long expected, long actual) =>
        $"The package is {actual} bytes, but its assignment says {expected} bytes.";

    /// <summary>The package is longer than its assignment says (the download was stopped there).</summary>
    public static string TooLong(long expected) =>
        $"The package is larger than the {expected} bytes its assignment says; the download was stopped.";

    /// <summary>The package's SHA-256 differs from its assignment's digest (protocol §6.3's example message, with the
    /// digests).</summary>
    public static string DigestMismatch(string expected, string actual) =>
        $"The package's digest does not match its assignment: expected {expected}, received {actual}.";

    /// <summary>The package could not be written to, or read from, the relay's cache.</summary>
    public static string CacheFailed(string reason) => $"The package could not be kept in the relay's cache: {reason}";

    /// <summary>The package holds another bundle version than the one assigned.</summary>
    public static string WrongBundle(string assignedName, string assignedVersion, string name, string version) =>
        $"The package holds bundle '{name}' version '{version}', not the assigned '{assignedName}' version '{assignedVersion}'.";

    /// <summary>The package's manifest is of another version than its assignment says.</summary>
    public static string WrongManifestVersion(int assigned, int actual) =>
        $"The package's manifest is cog_bundle_version {actual}, but its assignment says {assigned}.";

    /// <summary>The manifest is invalid: its located errors (<c>file:line:column: message</c>).</summary>
    public static string InvalidManifest(ImmutableArray<ManifestError> errors)
    {
        if (errors.IsDefaultOrEmpty)
        {
            return "The bundle's manifest is invalid.";
        }
        var listed = errors.Length <= MaxListedErrors ? errors : errors[..MaxListedErrors];
        var text = "The bundle's manifest is invalid:\n" + string.Join('\n', listed);
        return errors.Length > MaxListedErrors ? text + $"\n... and {errors.Length - MaxListedErrors} more error(s)." : text;
    }

    /// <summary>Dev mode: a second folder holds a bundle version that another folder already serves.</summary>
    public static string DevDuplicate(string name, string version, string otherFolder) =>
        $"The bundle '{name}' version '{version}' is already served from the dev folder '{otherFolder}'.";

    /// <summary>A relay bug while the version was being made ready.</summary>
    public static string Unexpected(string type, string message) =>
        $"The bundle version could not be made ready because of a relay error: {type}: {message}";

    /// <summary>The origin of <paramref name="uri"/> as a browser writes it: <c>scheme://host:port</c>.</summary>
    static string Origin(Uri uri) => uri.GetLeftPart(UriPartial.Authority);
}
