using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Cog.Hosting;

/// <summary>
/// What the relay and the server (which compiles this same file) add to the Generic Host: systemd integration, Cog's
/// console log defaults, and the check of every option validated at start with the errors listed at once.
/// </summary>
static class CogHost
{
    /// <summary>Exit code for a failed start (the host logs the reason: "Hosting failed to start").</summary>
    public const int StartFailed = 1;

    /// <summary>Exit code for invalid configuration (both executables).</summary>
    public const int InvalidConfiguration = 2;

    /// <summary>The console provider's configuration section.</summary>
    const string ConsoleSection = "Logging:Console";

    /// <summary>Where the console formats read their options.</summary>
    const string FormatterSection = ConsoleSection + ":FormatterOptions";

    /// <summary>Adds systemd integration and Cog's console log defaults to a host builder's services.</summary>
    /// <remarks>
    /// <para>Under systemd (<c>Type=notify</c>), the host tells systemd when it is ready (<c>READY=1</c>) and when it
    /// stops (<c>STOPPING=1</c>); elsewhere this is a no-op.</para>
    /// <para>The console log, each default overridden by the <c>Logging</c> section: the <c>simple</c> format, one line
    /// per entry with a UTC ISO 8601 timestamp (<c>2026-01-31T12:00:00.000Z info: Category[id] message</c>); the
    /// <c>json</c> format (<c>Logging:Console:FormatterName=json</c>: one JSON object per line) with the same timestamp
    /// in its <c>Timestamp</c> field. Under systemd the host picks the <c>systemd</c> format (syslog priority prefixes,
    /// no timestamp: the journal adds its own), unless <c>Logging:Console:FormatterName</c> names another.</para>
    /// </remarks>
    public static void AddCogDefaults(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSystemd();
        // Registered after the host's own console setup (and systemd's), each of these runs last: it sets Cog's default,
        // then applies the configuration over it again, so a configured value always wins.
        services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            // The simple format writes the level right after the timestamp: the space separates them.
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            configuration.GetSection(FormatterSection).Bind(options);
        });
        services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            configuration.GetSection(FormatterSection).Bind(options);
        });
        services.Configure<ConsoleLoggerOptions>(options =>
        {
            // Named, so that the simple format reads its options above (without a name the console logger builds one
            // from its own obsolete settings instead); systemd's choice, when made, is kept.
            options.FormatterName ??= ConsoleFormatterNames.Simple;
            configuration.GetSection(ConsoleSection).Bind(options);
        });
    }

    /// <summary>Writes every configuration error (<see cref="ConfigurationErrors"/>) to stderr, one per line; false when
    /// there were any (the process then exits with <see cref="InvalidConfiguration"/>).</summary>
    public static async Task<bool> CheckConfigurationAsync(IServiceProvider services)
    {
        var errors = ConfigurationErrors(services);
        foreach (var error in errors)
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
        return errors.Count == 0;
    }

    /// <summary>Starts the host and waits until it stops (SIGTERM, Ctrl-C); returns the exit code: 0 after a clean stop,
    /// <see cref="StartFailed"/> when starting failed (the host has logged why and stopped what had started).</summary>
    public static async Task<int> RunAsync(IHost host)
    {
        try
        {
            await host.StartAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure to start ends the process with its exit code; the host logged the reason.
        catch (Exception)
#pragma warning restore CA1031
        {
            return StartFailed;
        }
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Runs every validation registered with <c>ValidateOnStart</c> (what the host runs when it starts) and
    /// returns every failure, one message each; empty when the options are valid. A value that cannot be converted to
    /// its setting's type is reported alone, naming the setting.</summary>
    /// <remarks>Called before the host starts, so that invalid configuration is reported as a plain list on stderr
    /// (exit code <see cref="InvalidConfiguration"/>) rather than as the host's start failure.</remarks>
    public static IReadOnlyList<string> ConfigurationErrors(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e) when (e.InnerExceptions.All(static inner => inner is OptionsValidationException))
        {
            return [.. e.InnerExceptions.Cast<OptionsValidationException>().SelectMany(static inner => inner.Failures)];
        }
        catch (InvalidOperationException e) when (e.TargetSite?.DeclaringType == typeof(ConfigurationBinder))
        {
            // A value the binder cannot convert ("Failed to convert configuration value 'abc' at 'Cog:Broker:Port' to
            // type 'System.Int32'."): the binder stops at the first one, so the rules never ran.
            return [e.Message];
        }
    }

    /// <summary>True when the console log is JSON: text meant for a person (a banner) must then go through the log, so
    /// that every line a log shipper reads stays one JSON object.</summary>
    public static bool LogsJson(ConsoleLoggerOptions console) =>
        string.Equals(console.FormatterName, ConsoleFormatterNames.Json, StringComparison.OrdinalIgnoreCase);
}
