using System.Globalization;
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

    /// <summary>The bundle's code, templates or executables did not pass the checks before run time.</summary>
    public static string ChecksFailed(int count) =>
        string.Create(CultureInfo.InvariantCulture, $"The bundle does not pass its checks ({count} {(count == 1 ? "error" : "errors")}): nothing was installed.");

    /// <summary>Installs are refused because no bundle checker is configured.</summary>
    public const string CheckerNotConfigured =
        "Bundle installs are refused: the bundle checker (Cog.BundleChecker.dll) was not found. Build it (dotnet build runtime/Cog.BundleChecker), " +
        "set Cog:Bundles:CheckerExecutable, or turn the checks off with Cog:Bundles:SkipChecks (bundles are then installed unchecked).";

    /// <summary>The configured bundle checker does not exist.</summary>
    public static string CheckerNotFound(string path) =>
        $"Bundle installs are refused: the bundle checker '{path}' does not exist (Cog:Bundles:CheckerExecutable).";

    /// <summary>The checker ran out of time and was killed.</summary>
    public static string CheckerTimedOut(TimeSpan timeout) =>
        string.Create(CultureInfo.InvariantCulture,
            $"The bundle checks did not finish within {timeout.TotalSeconds:0.#} s and were stopped: nothing was installed (Cog:Bundles:CheckTimeoutSeconds).");

    /// <summary>The checker failed without a report.</summary>
    public static string CheckerFailed(string reason) => $"The bundle checker failed, so nothing was installed: {reason}";
}
