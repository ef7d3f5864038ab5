using Cog.Relay.Bundles;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Isolation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cog.Relay.Hosting;

/// <summary>The relay as the Generic Host's hosted service: at start, the sandbox chosen from what the host offers,
/// the bundle host and the <see cref="RelayHost"/> started; at stop (SIGTERM, Ctrl-C), a clean stop: running commands
/// finish (up to the shutdown grace), their results are published, the relay goes offline.</summary>
/// <remarks>The relay bounds its own stop: <see cref="RelayOptions.ShutdownGrace"/> for the running commands plus
/// <see cref="StopMargin"/> to publish their results and the offline status (Program lets the host wait for it).</remarks>
sealed class RelayService(IOptions<RelayOptions> options, ILoggerFactory loggers, TimeProvider time) : IHostedService, IAsyncDisposable
{
    /// <summary>What a clean stop may take beyond the shutdown grace: publishing results, going offline.</summary>
    static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);

    ISandbox? _sandbox;
    bool _sandboxComplete;
    IBundleHost? _bundles;
    RelayHost? _relay;

    /// <summary>Chooses the sandbox from what the host offers and logs every mechanism it lacks (once); false when
    /// <c>sandbox:require</c> is set and a required one is missing: the relay must not start. Program calls it before
    /// starting the host, to exit with its own code; <see cref="StartAsync"/> calls it otherwise.</summary>
    public async Task<bool> PrepareSandboxAsync()
    {
        if (_sandbox is null)
        {
            var relay = options.Value;
            var sandbox = Sandbox.Create(relay.Sandbox, await HostIsolation.DetectAsync(relay.Sandbox).ConfigureAwait(false));
            _sandboxComplete = Sandbox.Announce(sandbox.Report, relay.Sandbox.Require, loggers.CreateLogger(typeof(Sandbox)));
            _sandbox = sandbox;
        }
        return _sandboxComplete;
    }

    /// <summary>Starts the bundle host and the relay (which connects in the background).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await PrepareSandboxAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException("The host lacks a confinement mechanism that sandbox:require insists on.");
        }
        var relay = options.Value;
        _bundles = CreateBundleHost(relay, _sandbox!);
        _relay = await RelayHost.StartAsync(relay, _bundles, loggers, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops cleanly, within the shutdown grace and <see cref="StopMargin"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_relay is { } relay)
        {
            using var limit = new CancellationTokenSource(options.Value.ShutdownGrace + StopMargin, time);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
            await relay.StopAsync(stop.Token).ConfigureAwait(false);
        }
    }

    /// <summary>Releases what was started (also after a failed start, when the host does not call
    /// <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_relay is { } relay)
        {
            _relay = null;
            await relay.DisposeAsync().ConfigureAwait(false);
        }
        if (_bundles is { } bundles)
        {
            _bundles = null;
            await bundles.DisposeAsync().ConfigureAwait(false);
        }
    }

    IBundleHost CreateBundleHost(RelayOptions relay, ISandbox sandbox)
    {
        var bundleOptions = new BundleHostOptions(relay.Id!, relay.Token!, relay.Server, relay.CacheDirectory)
        {
            DevDirectory = relay.DevDirectory,
            Workers = relay.Workers,
            Sandbox = sandbox,
            Containers = relay.Sandbox.ContainerEngine is { } engine ? new ContainerOptions(engine, relay.Sandbox) : null,
        };
        // The host owns the client for its lifetime; packages are fetched one request at a time per version.
#pragma warning disable CA2000 // Disposed with the process: the bundle host lives as long as the relay.
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
#pragma warning restore CA2000
        return new BundleHost(bundleOptions, http, loggers.CreateLogger<BundleHost>(), time);
    }
}
