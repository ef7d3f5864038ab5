using Cog.Runtime.Storage;

namespace Cog.Runtime.Bundles;

/// <summary>The bundle registry's messages for users (tests pin these texts). Package and manifest
/// problems use Cog.Manifest's own texts (<c>PackageErrors</c>, <c>ManifestErrors</c>); store refusals the store's
/// (<see cref="StoreErrors"/>).</summary>
public static class BundleRegistryErrors
{
    /// <summary>An uploaded package or manifest has no bytes.</summary>
    public const string EmptyUpload = "The uploaded bundle is empty.";

    /// <summary>An upload is neither a ZIP archive nor UTF-8 text.</summary>
    public const string NotArchiveOrManifest = "The uploaded bundle is neither a package (a ZIP archive) nor a manifest (UTF-8 YAML or JSON text).";

    /// <summary>No bundle of that name is installed.</summary>
    public static string BundleNotFound(string bundle) => StoreErrors.NotFound(StoreEntities.Bundle, bundle);

    /// <summary>The bundle has no such version.</summary>
    public static string VersionNotFound(string bundle, string version) => $"Version {version} of bundle '{bundle}' does not exist";

    /// <summary>No relay group of that name exists.</summary>
    public static string RelayGroupNotFound(string group) => StoreErrors.NotFound(StoreEntities.RelayGroup, group);

    /// <summary>No relay of that name exists.</summary>
    public static string RelayNotFound(string relay) => StoreErrors.NotFound(StoreEntities.Relay, relay);

    /// <summary><see cref="BundleRegistry.InstallBuiltInAsync"/> was given another bundle.</summary>
    public static string NotBuiltIn(string bundle) => $"Bundle '{bundle}' is not the built-in bundle '{Bundle.BuiltInName}'.";
}
