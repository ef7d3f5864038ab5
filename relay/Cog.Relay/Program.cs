using System.Collections;
using System.Runtime.InteropServices;
using Cog.Relay.Bundles;
using Cog.Relay.Execution.Containers;
using Cog.Relay.Hosting;
using Cog.Relay.Isolation;
using Microsoft.Extensions.Logging;

namespace Cog.Relay;

/// <summary>The relay executable: reads its options, starts a <see cref="RelayHost"/>, and stops it cleanly on
/// Ctrl-C or SIGTERM.</summary>
static class Program
{
    /// <summary>Exit code for invalid configuration.</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>Exit code when <c>sandbox:require</c> is set and the host lacks a confinement mechanism.</summary>
    public const int SandboxIncomplete = 3;

    static async Task<int> Main(string[] args)
    {
        var configuration = RelayConfiguration.Load(args, ReadEnvironment(), AppContext.BaseDirectory);
        if (configuration.ShowHelp)
        {
            await Console.Out.WriteLineAsync(RelayConfiguration.Usage()).ConfigureAwait(false);
            return 0;
        }
        if (configuration.Options is not { } options)
        {
            foreach (var error in configuration.Errors)
            {
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            }
            return InvalidConfiguration;
        }

        using var loggers = LoggerFactory.Create(logging => logging
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            })
            .SetMinimumLevel(LogLevel.Information));
        var time = TimeProvider.System;
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        var host = await HostIsolation.DetectAsync(options.Sandbox).ConfigureAwait(false);
        var sandbox = Sandbox.Create(options.Sandbox, host);
        if (!Sandbox.Announce(sandbox.Report, options.Sandbox.Require, loggers.CreateLogger(typeof(Sandbox))))
        {
            return SandboxIncomplete;
        }

        await using var bundles = CreateBundleHost(options, sandbox, loggers, time);
        await using var relay = await RelayHost.StartAsync(options, bundles, loggers, time, stop.Token).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await relay.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;

        void OnSignal(PosixSignalContext context)
        {
            // A clean stop instead of the default termination: running commands finish, the relay goes offline.
            context.Cancel = true;
            stop.Cancel();
        }
    }

    /// <summary>The bundle host Program runs the relay with.</summary>
    static IBundleHost CreateBundleHost(RelayOptions options, ISandbox sandbox, ILoggerFactory loggers, TimeProvider time)
    {
        var bundleOptions = new BundleHostOptions(options.Id!, options.Token!, options.Server, options.CacheDirectory)
        {
            DevDirectory = options.DevDirectory,
            Workers = options.Workers,
            Sandbox = sandbox,
            Containers = options.Sandbox.ContainerEngine is { } engine ? new ContainerOptions(engine, options.Sandbox) : null,
        };
        // The host owns the client for its lifetime; packages are fetched one request at a time per version.
#pragma warning disable CA2000 // Disposed with the process: the bundle host lives as long as the relay.
        var http = ServerHttpClient.Create(options, TimeSpan.FromMinutes(5));
#pragma warning restore CA2000
        return new BundleHost(bundleOptions, http, loggers.CreateLogger<BundleHost>(), time);
    }

    static Dictionary<string, string> ReadEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                environment[name] = value;
            }
        }
        return environment;
    }
}
