using Cog.Manifest.Packages;

namespace Cog.Runtime.Bundles;

/// <summary>Settings of the <see cref="BundleRegistry"/>, validated when it is built.</summary>
public sealed class BundleRegistryOptions
{
    /// <summary>The server's base URL as relays reach it (absolute http or https, e.g. <c>https://cog.example.com</c>);
    /// package URLs are this plus <c>/v1/relays/{relay id}/packages/{bundle}/{version}</c>. Required.</summary>
    public Uri? ServerUrl { get; set; }

    /// <summary>Where uploaded packages are unpacked for validation (a fresh folder per upload, deleted afterwards).
    /// Default: the system's temporary folder.</summary>
    public string ScratchDirectory { get; set; } = Path.GetTempPath();

    /// <summary>Bounds on uploaded packages (zip bomb protection). Default <see cref="PackageLimits.Default"/>.</summary>
    public PackageLimits PackageLimits { get; set; } = PackageLimits.Default;

    internal void Validate()
    {
        if (ServerUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException("BundleRegistryOptions.ServerUrl must be an absolute http or https URL.", nameof(ServerUrl));
        if (string.IsNullOrWhiteSpace(ScratchDirectory))
            throw new ArgumentException("BundleRegistryOptions.ScratchDirectory must be set.", nameof(ScratchDirectory));
        ArgumentNullException.ThrowIfNull(PackageLimits);
    }
}
