using System.Reflection;
using System.Security.Cryptography;
using Cog.Relay.Bundles;
using Cog.Relay.Execution;
using Cog.Relay.Transport;
using Cog.Resilience;
using Microsoft.Extensions.Logging;

namespace Cog.Relay.Hosting;

/// <summary>
/// One running relay: the MQTT session and the invocation runner over a bundle host. What <c>Program</c> runs, and
/// what tests start in-process.
/// </summary>
/// <remarks>The bundle host is the caller's: the relay host starts it but does not dispose it.</remarks>
sealed class RelayHost : IAsyncDisposable
{
    readonly RelayOptions _options;
    readonly ILogger _logger;
    int _stopped;

    RelayHost(RelayOptions options, RelaySession session, InvocationRunner runner, ILogger logger)
    {
        _options = options;
        Session = session;
        Runner = runner;
        _logger = logger;
    }

    /// <summary>The MQTT session (its state, instance id and announce sequence).</summary>
    internal RelaySession Session { get; }

    /// <summary>The invocation runner (its load and queue).</summary>
    internal InvocationRunner Runner { get; }

    /// <summary>This process's instance id.</summary>
    public string InstanceId => Session.InstanceId;

    /// <summary>The relay software's version (the assembly's informational version, without build metadata).</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>Starts a relay: starts the bundle host, then connects in the background (a broker that is down is
    /// retried with back-off) and serves invocations.</summary>
    /// <param name="options">Valid options (<see cref="RelayOptionsValidator"/>); throws when they are not.</param>
    public static Task<RelayHost> StartAsync(RelayOptions options, IBundleHost bundles, ILoggerFactory loggers, TimeProvider time,
        CancellationToken cancellationToken = default) =>
        StartAsync(options, bundles, loggers, time, reconnect: null, cancellationToken);

    /// <summary>As <see cref="StartAsync(RelayOptions, IBundleHost, ILoggerFactory, TimeProvider, CancellationToken)"/>,
    /// with the reconnect back-off (tests).</summary>
    internal static async Task<RelayHost> StartAsync(RelayOptions options, IBundleHost bundles, ILoggerFactory loggers, TimeProvider time,
        BackoffOptions? reconnect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        var errors = RelayOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), nameof(options));
        }

        await bundles.StartAsync(cancellationToken).ConfigureAwait(false);
        var session = new RelaySession(options, bundles, loggers, time, NewInstanceId(), Version, reconnect);
        var runner = new InvocationRunner(options.Id!, bundles, session, new PipelineStores(time), loggers, time,
            options.Concurrency, options.RememberedRequests);
        session.Start(runner);
        var logger = loggers.CreateLogger<RelayHost>();
        RelayHostLog.Started(logger, options.Id!, Version, session.InstanceId, options.Concurrency, string.Join(",", options.Tags));
        return new RelayHost(options, session, runner, logger);
    }

    /// <summary>Stops cleanly: takes no new invocations, lets running ones finish (up to the shutdown grace, then
    /// cancels them) and publishes their results, publishes the offline status and disconnects.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        RelayHostLog.Stopping(_logger);
        await Runner.StopAsync(_options.ShutdownGrace, cancellationToken).ConfigureAwait(false);
        await Session.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Drops the broker connection as if the process had died (no offline status; the broker publishes the
    /// last will) and cancels running commands. For tests.</summary>
    internal async Task AbortAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        await Session.AbortAsync().ConfigureAwait(false);
        await Runner.StopAsync(TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        await Session.DisposeAsync().ConfigureAwait(false);
    }

    static string NewInstanceId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    static string ReadVersion()
    {
        var version = typeof(RelayHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? version[..plus] : version;
    }
}
