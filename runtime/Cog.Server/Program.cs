using Cog.Hosting;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cog.Server;

/// <summary>The <c>cog</c> executable: the Generic Host running a <see cref="CogServer"/>. It reads the configuration,
/// checks it (every problem at once on stderr, exit code 2), starts the server (exit code 1 when that fails, the
/// reason logged), prints how to log in on the first start, and stops cleanly on Ctrl-C or SIGTERM (exit code 0).</summary>
static class Program
{
    /// <summary>How long a clean stop may take before the process exits anyway: the chat's grace period for messages in
    /// flight, the dev relay's own clean stop, the audit writer's last batch.</summary>
    static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(45);

    static async Task<int> Main(string[] args)
    {
        using var host = CreateHostBuilder(args).Build();
        return await CogHost.CheckConfigurationAsync(host.Services).ConfigureAwait(false)
            ? await CogHost.RunAsync(host).ConfigureAwait(false)
            : CogHost.InvalidConfiguration;
    }

    /// <summary>The host: configuration read, later sources winning, from <c>appsettings.json</c> beside the executable,
    /// <c>appsettings.json</c> (and <c>appsettings.{Environment}.json</c>) in the working folder, environment variables
    /// and switches; the <c>Cog</c> section bound to <see cref="ServerOptions"/> and validated at start; the console log
    /// from the <c>Logging</c> section; systemd integration; the server as the host's one hosted service.</summary>
    static HostApplicationBuilder CreateHostBuilder(string[] args)
    {
        var configuration = new ConfigurationManager();
        // The host adds the working folder's file (its content root), the environment and the switches over this one.
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, Configuration = configuration });
        builder.Services.AddCogDefaults(builder.Configuration);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = StopTimeout);
        builder.Services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection(ServerOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidation>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<CogServerService>();
        return builder;
    }
}
