using System.Collections;
using Cog.Hosting;
using Cog.Relay.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cog.Relay;

/// <summary>The relay executable: the Generic Host running a <see cref="RelayService"/>. It reads its options (every
/// problem at once on stderr, exit code 2), chooses the sandbox (exit code 3 when <c>sandbox:require</c> cannot be
/// met), starts the relay (exit code 1 when that fails, the reason logged), and stops it cleanly on Ctrl-C or SIGTERM
/// (exit code 0).</summary>
static class Program
{
    /// <summary>Exit code when <c>sandbox:require</c> is set and the host lacks a confinement mechanism.</summary>
    const int SandboxIncomplete = 3;

    static async Task<int> Main(string[] args)
    {
        var environment = ReadEnvironment();
        var settings = RelayConfiguration.Open(args, environment, AppContext.BaseDirectory);
        if (settings.ShowHelp)
        {
            await Console.Out.WriteLineAsync(RelayConfiguration.Usage()).ConfigureAwait(false);
            return 0;
        }

        using var host = CreateHostBuilder(settings).Build();
        if (!await CogHost.CheckConfigurationAsync(host.Services).ConfigureAwait(false))
        {
            return CogHost.InvalidConfiguration;
        }
        if (!await host.Services.GetRequiredService<RelayService>().PrepareSandboxAsync().ConfigureAwait(false))
        {
            return SandboxIncomplete;
        }
        // Traces are exported (OTLP) only when the standard OTEL_* variables name an endpoint.
        using var tracing = RelayTelemetry.Start(host.Services.GetRequiredService<IOptions<RelayOptions>>().Value.Id!, environment);
        return await CogHost.RunAsync(host).ConfigureAwait(false);
    }

    /// <summary>The host: the relay's own configuration sources only (<see cref="RelayConfiguration"/>: its file,
    /// <c>COG_RELAY_*</c> variables and switches — not the host's defaults, so the working folder's
    /// <c>appsettings.json</c> and unprefixed variables do not leak in); the options bound and validated at start; the
    /// console log from its <c>Logging</c> section; systemd integration; the relay as the one hosted service.</summary>
    static HostApplicationBuilder CreateHostBuilder(RelaySettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        // Under the relay's settings: the host's lifetime messages only when something is wrong (as the server's
        // appsettings.json has it).
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning")]);
        builder.Configuration.AddConfiguration(settings.Configuration);
        builder.Services.AddCogDefaults(builder.Configuration);
        // The relay bounds its own clean stop (RelayService): the host waits for it.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        builder.Services.AddOptions<RelayOptions>().Configure(options => RelayConfiguration.Bind(settings, options)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RelayService>();
        builder.Services.AddHostedService(static services => services.GetRequiredService<RelayService>());
        return builder;
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
