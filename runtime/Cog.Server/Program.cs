using System.Runtime.InteropServices;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Cog.Server;

/// <summary>The <c>cog</c> executable: reads the configuration, checks it (every problem at once, exit code 2), starts
/// a <see cref="CogServer"/>, prints how to log in on the first start, and stops cleanly on Ctrl-C or SIGTERM.</summary>
static class Program
{
    /// <summary>Exit code for invalid configuration.</summary>
    const int InvalidConfiguration = 2;

    /// <summary>Exit code for a failed start (the reason is logged).</summary>
    const int StartFailed = 1;

    static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        var errors = ServerOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
                await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return InvalidConfiguration;
        }

        using var loggers = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                console.UseUtcTimestamp = true;
            }));
        var logger = loggers.CreateLogger("Cog.Server");
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        CogServer server;
        try
        {
            server = await CogServer.StartAsync(options, loggers, TimeProvider.System, stop.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure to start is reported with its reason and ends the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ProgramLog.StartFailed(logger, e.Message, e);
            return StartFailed;
        }

        await using (server.ConfigureAwait(false))
        {
            await Console.Out.WriteLineAsync(Welcome.Text(server)).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            ProgramLog.Stopping(logger);
        }
        return 0;

        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}

static partial class ProgramLog
{
    [LoggerMessage(1, LogLevel.Critical, "Cog could not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(2, LogLevel.Information, "Stopping.")]
    public static partial void Stopping(ILogger logger);
}
