using System.Text.Json;
using Cog.Contracts.Relays;

namespace Cog.Runtime.Bundles;

/// <summary>What the registry stores as a version's package: a ZIP archive (<c>cogctl bundle package</c>), or the
/// manifest file itself for a manifest-only install (format <c>manifest</c>, docs/protocol.md §6.2).</summary>
static class StoredPackages
{
    /// <summary>An archive starts with a ZIP local file header (<c>PK\x03\x04</c>); a manifest is text and never does.</summary>
    public static PackageFormat FormatOf(ReadOnlySpan<byte> package) =>
        package.Length >= 4 && package[0] == (byte)'P' && package[1] == (byte)'K' && package[2] == 3 && package[3] == 4
            ? PackageFormat.Archive
            : PackageFormat.Manifest;

    /// <summary>The <c>cog_bundle_version</c> of a stored manifest, or 0 when it cannot be read.</summary>
    public static int ManifestVersionOf(string manifestJson)
    {
        try
        {
            using var document = JsonDocument.Parse(manifestJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cog_bundle_version", out var version)
                && version.TryGetInt32(out var number)
                ? number
                : 0;
        }
        catch (JsonException)
        {
            return 0;
        }
    }
}
