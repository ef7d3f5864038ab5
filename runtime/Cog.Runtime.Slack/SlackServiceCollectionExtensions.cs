using Cog.Runtime.Chat;
using Cog.Runtime.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Slack;

/// <summary>Registers the Slack chat provider in a service collection.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SlackChatProvider"/> as a singleton, with its Web API client as a typed
    /// <see cref="HttpClient"/> of <see cref="IHttpClientFactory"/> and that client's resilience pipeline (rate limits
    /// after <c>Retry-After</c>, transport failures with back-off, a timeout per attempt). Deliveries are claimed in the
    /// container's <see cref="IChatDeliveryClaims"/> when it has one (a server: the store shared by every server), in
    /// memory otherwise.</summary>
    /// <param name="services">Where to register.</param>
    /// <param name="options">The tokens and timings; validated now.</param>
    /// <param name="time">The clock for caches, back-offs and timeouts.</param>
    /// <param name="loggers">Where connection changes, retries and dropped frames are logged.</param>
    public static IServiceCollection AddSlackChatProvider(this IServiceCollection services, SlackOptions options, TimeProvider time,
        ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        var logger = loggers.CreateLogger<SlackChatProvider>();
        services.AddSlackApiClient(options, time, logger);
        services.AddSingleton(provider => new SlackChatProvider(options, provider.GetRequiredService<SlackApiClient>(), time, logger,
            provider.GetService<IChatDeliveryClaims>()));
        return services;
    }
}
