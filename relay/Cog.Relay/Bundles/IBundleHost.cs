using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Isolation;

namespace Cog.Relay.Bundles;

/// <summary>
/// The bundle versions this relay can run: the ones assigned by the server (downloaded, verified and unpacked) and, in
/// dev mode, the ones in the dev folder. The seam between the relay's MQTT session (which reports
/// <see cref="Current"/> in its <c>announce</c> messages and runs invocations) and bundle management.
/// </summary>
/// <remarks>
/// <para>Contract: thread-safe. <see cref="ApplyAsync"/> replaces the assigned set with a full snapshot (protocol
/// §6.2); versions no longer assigned are taken out of service at once and unloaded when their last lease is disposed.
/// Failures (download, digest, manifest, load) never throw: they appear in <see cref="BundleSnapshot.Failures"/> and
/// are retried with back-off while the assignment stands. <see cref="Changed"/> is raised after every change of
/// <see cref="Current"/>, on any thread; handlers must not block.</para>
/// </remarks>
interface IBundleHost : IBundleLeases, IAsyncDisposable
{
    /// <summary>What is ready now and what failed: the content of the next <c>announce</c>.</summary>
    BundleSnapshot Current { get; }

    /// <summary>Raised after <see cref="Current"/> changed.</summary>
    event EventHandler<BundleSnapshot>? Changed;

    /// <summary>Makes the dev folder's bundles ready and starts background work (dev-folder watching, script compiler
    /// warm-up). Cached packages are used (re-verified) when the assignments naming them arrive.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Serves exactly the given assignments from now on. Returns when every assigned version is ready or has
    /// failed once (a failed one keeps being retried in the background). A revision lower than the one applied is
    /// ignored.</summary>
    Task ApplyAsync(BundleAssignments assignments, CancellationToken cancellationToken);

    /// <summary>How the engines confine bundle code (the sandbox's report), for the relay's <c>status</c>.</summary>
    IsolationReport Isolation { get; }
}

/// <summary>What the <see cref="InvocationRunner"/> needs of the bundles it runs: a ready version to hold for one
/// invocation, and the engine for each kind of command. <see cref="IBundleHost"/> is the relay's; the bundle test kit
/// (Cog.Sdk.Testing) serves one bundle version from a folder without a server.</summary>
/// <remarks>Thread-safe.</remarks>
interface IBundleLeases
{
    /// <summary>Takes a ready bundle version for one invocation: it stays loaded until the lease is disposed.</summary>
    /// <returns>The lease, or <see langword="null"/> when that version is not ready here.</returns>
    BundleLease? TryAcquire(string bundle, string version);

    /// <summary>The engine that runs <paramref name="bundle"/>'s commands of <paramref name="kind"/>: a Docker bundle's
    /// executables run in containers, every other executable as a process here.</summary>
    ICommandEngine EngineFor(ReadyBundle bundle, CommandKind kind);
}

/// <summary>A bundle version ready to run.</summary>
/// <param name="Name">The bundle's name.</param>
/// <param name="Version">The bundle's version.</param>
/// <param name="Digest">The <c>sha256:</c> digest of its package (in dev mode: of the package its folder would make).</param>
/// <param name="Manifest">Its manifest.</param>
/// <param name="Directory">The folder its files are in.</param>
sealed record ReadyBundle(string Name, string Version, string Digest, BundleManifest Manifest, string Directory);

/// <summary>What is ready and what failed, as announced (protocol §6.3).</summary>
/// <param name="Ready">Every ready bundle version.</param>
/// <param name="Failures">Assigned versions that could not be made ready, with a message for operators.</param>
sealed record BundleSnapshot(ImmutableArray<ReadyBundle> Ready, ImmutableArray<BundleFailure> Failures)
{
    /// <summary>Nothing ready, nothing failed.</summary>
    public static BundleSnapshot Empty { get; } = new([], []);
}

/// <summary>One invocation's hold on a ready bundle version; dispose it when the invocation has ended.</summary>
sealed class BundleLease(ReadyBundle bundle, Action release) : IDisposable
{
    int _released;

    /// <summary>The bundle version held.</summary>
    public ReadyBundle Bundle => bundle;

    /// <summary>Releases the hold (once; later calls do nothing).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            release();
        }
    }
}
