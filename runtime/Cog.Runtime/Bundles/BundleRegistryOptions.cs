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

    /// <summary>The bundle checker executable (Cog.BundleChecker.dll) that checks every installed bundle's scripts,
    /// plug-in types, templates and executables in a child process (<see cref="BundleChecker"/>). Without it (and without
    /// <see cref="SkipChecks"/>) every install is refused with a message saying so.</summary>
    public string? CheckerExecutable { get; set; }

    /// <summary>Installs bundles without those checks: a script that does not compile or a template that does not
    /// parse is then found only when someone runs the command. Off by default.</summary>
    public bool SkipChecks { get; set; }

    /// <summary>How long the checker may run on one bundle before it is killed and the install refused. Default 60 s.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The checker's GC heap limit, in bytes. Default 1 GiB.</summary>
    public long CheckMemoryLimitBytes { get; set; } = 1L << 30;

    internal void Validate()
    {
        if (ServerUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException("BundleRegistryOptions.ServerUrl must be an absolute http or https URL.", nameof(ServerUrl));
        if (string.IsNullOrWhiteSpace(ScratchDirectory))
            throw new ArgumentException("BundleRegistryOptions.ScratchDirectory must be set.", nameof(ScratchDirectory));
        ArgumentNullException.ThrowIfNull(PackageLimits);
        if (CheckTimeout <= TimeSpan.Zero)
            throw new ArgumentException("BundleRegistryOptions.CheckTimeout must be positive.", nameof(CheckTimeout));
        if (CheckMemoryLimitBytes <= 0)
            throw new ArgumentException("BundleRegistryOptions.CheckMemoryLimitBytes must be positive.", nameof(CheckMemoryLimitBytes));
    }
}
