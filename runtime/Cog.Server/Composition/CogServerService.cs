using Cog.Hosting;
using Cog.Server.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Cog.Server.Composition;

/// <summary>The <see cref="CogServer"/> as the Generic Host's hosted service: started (in its own dependency order)
/// when the host starts, then the welcome text; stopped (in reverse order) when the host stops, on SIGTERM or Ctrl-C.
/// </summary>
/// <remarks>The welcome text is printed for the person at the terminal; when the console log is JSON it is logged
/// instead, so that every line of the output stays one JSON object.</remarks>
sealed class CogServerService(IOptions<ServerOptions> options, ILoggerFactory loggers, TimeProvider time,
    IOptionsMonitor<ConsoleLoggerOptions> console) : IHostedService
{
    readonly ILogger _logger = loggers.CreateLogger("Cog.Server");
    CogServer? _server;

    /// <summary>Starts the server; a failure stops what was started and is rethrown (the host's start fails).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _server = await CogServer.StartAsync(options.Value, loggers, time, cancellationToken).ConfigureAwait(false);
        var welcome = Welcome.Text(_server);
        if (CogHost.LogsJson(console.CurrentValue))
            HostLog.Welcome(_logger, welcome.Trim());
        else
            await Console.Out.WriteLineAsync(welcome).ConfigureAwait(false);
    }

    /// <summary>Stops the server. When the host's stop timeout ends first, the process exits without waiting further.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not { } server)
            return;
        _server = null;
        HostLog.Stopping(_logger);
        try
        {
            await server.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            HostLog.StopTimedOut(_logger);
        }
    }
}

/// <summary>What the hosted service logs (category <c>Cog.Server</c>).</summary>
static partial class HostLog
{
    [LoggerMessage(2, LogLevel.Information, "Stopping.")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(3, LogLevel.Information, "{Welcome}")]
    public static partial void Welcome(ILogger logger, string welcome);

    [LoggerMessage(4, LogLevel.Warning, "The clean stop did not end in time; exiting without waiting further.")]
    public static partial void StopTimedOut(ILogger logger);
}
