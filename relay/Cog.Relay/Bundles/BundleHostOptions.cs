using Cog.Manifest.Packages;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;

namespace Cog.Relay.Bundles;

/// <summary>How a <see cref="BundleHost"/> fetches, keeps and serves bundle versions.</summary>
/// <param name="RelayId">The relay's id: the user name of the package download's basic authentication (protocol §7).</param>
/// <param name="Token">The relay's token: the password of the package download. Never logged, never shown by
/// <see cref="ToString"/>.</param>
/// <param name="ServerOrigin">The server the relay was configured with. Only package URLs with this origin (scheme, host,
/// port) are downloaded: the relay's credentials go nowhere else. <see langword="null"/> (a dev-mode relay without a
/// server) downloads nothing.</param>
/// <param name="CacheDirectory">The relay's own cache folder (one per relay process): verified packages
/// (<c>packages/</c>), unpacked bundle versions (<c>bundles/</c>), dev-mode snapshots (<c>dev/</c>) and compiled
/// scripts (<c>scripts/</c>).</param>
sealed record BundleHostOptions(string RelayId, string Token, Uri? ServerOrigin, string CacheDirectory)
{
    /// <summary>Dev mode: a folder whose bundles are served as they are and reloaded when their files change (every
    /// subfolder holding a manifest, or the folder itself when it holds one); <see langword="null"/> for none.</summary>
    public string? DevDirectory { get; init; }

    /// <summary>Where bundle code runs (required): every executable command starts confined through it.</summary>
    public ISandbox? Sandbox { get; init; }

    /// <summary>The container engine Docker bundles run on, or <see langword="null"/>: then Docker bundles are refused
    /// (announced as failures), never run on this host.</summary>
    public ContainerOptions? Containers { get; init; }

    /// <summary>The bounds put on a package while it is unpacked.</summary>
    public PackageLimits Limits { get; init; } = PackageLimits.Default;

    /// <summary>How long the dev folder must be quiet after a change before the bundle is reloaded (an editor or a build
    /// writes several files).</summary>
    public TimeSpan DevReloadDelay { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The wait before the first retry of a failed bundle version; it doubles with every failure
    /// (protocol §7: 1 s doubling to 5 minutes).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two retries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether <see cref="BundleHost.StartAsync"/> compiles a tiny script in the background, so that the first
    /// real script compile does not pay for loading the compiler.</summary>
    public bool WarmUpScripts { get; init; } = true;

    /// <summary>How the worker processes of scripts and plug-in assemblies are pooled and limited.</summary>
    public WorkerOptions Workers { get; init; } = WorkerOptions.Default;

    /// <summary>The options without the token.</summary>
    public override string ToString() =>
        $"BundleHostOptions {{ RelayId = {RelayId}, ServerOrigin = {ServerOrigin}, CacheDirectory = {CacheDirectory}, DevDirectory = {DevDirectory} }}";
}
