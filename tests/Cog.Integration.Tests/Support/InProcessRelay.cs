using Cog.Relay.Bundles;
using Cog.Relay.Hosting;
using Cog.Relay.Isolation;
using Cog.Resilience;
using Cog.Testing;

namespace Cog.Integration.Tests.Support;

/// <summary>A relay running in the test process: the real <see cref="RelayHost"/> over a real <see cref="BundleHost"/>
/// that downloads from the server's package endpoint.</summary>
sealed class InProcessRelay : IAsyncDisposable
{
    readonly HttpClient _http;
    int _stopped;

    InProcessRelay(string id, string cacheDirectory, RelayHost host, BundleHost bundles, HttpClient http, CollectingLoggerFactory log)
    {
        Id = id;
        CacheDirectory = cacheDirectory;
        Host = host;
        Bundles = bundles;
        _http = http;
        Log = log;
    }

    public string Id { get; }

    public string CacheDirectory { get; }

    public RelayHost Host { get; }

    public BundleHost Bundles { get; }

    public CollectingLoggerFactory Log { get; }

    public string InstanceId => Host.InstanceId;

    public static async Task<InProcessRelay> StartAsync(RelayOptions options)
    {
        var log = new CollectingLoggerFactory();
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sandbox = Sandbox.Create(options.Sandbox, await HostIsolation.DetectAsync(options.Sandbox));
        var bundleOptions = new BundleHostOptions(options.Id!, options.Token!, options.Server, options.CacheDirectory)
        {
            WarmUpScripts = false,
            Sandbox = sandbox,
        };
        var bundles = new BundleHost(bundleOptions, http, log.CreateLogger<BundleHost>(), TimeProvider.System);
        // A short back-off: a test that drops a connection should not wait for the production 1 s first retry.
        var host = await RelayHost.StartAsync(options, bundles, log, TimeProvider.System,
            new BackoffOptions { Delay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) }, TestContext.Current.CancellationToken);
        return new InProcessRelay(options.Id!, options.CacheDirectory, host, bundles, http, log);
    }

    /// <summary>Stops cleanly (offline status, no last will) and releases the bundle host.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        await Host.DisposeAsync();
        await Bundles.DisposeAsync();
        _http.Dispose();
    }

    /// <summary>Drops the connection as if the process had died: the broker publishes the last will.</summary>
    public async Task AbortAsync()
    {
        await Host.AbortAsync();
        await StopAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
