using Cog.Runtime.Chat;
using Cog.Runtime.Identity;
using Cog.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Server.Composition;

/// <summary>The chat part of the composition: the chat providers (several at once), a handle resolver per provider, the
/// reply composer. The chat service itself is made by <see cref="CogServer"/> once the pipeline runner exists.</summary>
static class ChatComposition
{
    /// <summary>One <see cref="IChatHandleResolver"/> per <see cref="IChatProvider"/> registered before this call (so
    /// <c>chat-handle create</c> asks the live provider for the person's id). Providers register themselves first, each
    /// when enabled (<see cref="SlackComposition"/>, the web console). The reply composer is the API's templated one
    /// (<c>AddCogApi</c>).</summary>
    public static void AddChat(IServiceCollection services) => AddHandleResolvers(services);

    /// <summary>One <see cref="ChatProviderHandleResolver"/> per <see cref="IChatProvider"/> registered so far.</summary>
    static void AddHandleResolvers(IServiceCollection services)
    {
        var count = 0;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(IChatProvider))
                count++;
        }
        for (var i = 0; i < count; i++)
        {
            var index = i;
            services.AddSingleton<IChatHandleResolver>(sp => new ChatProviderHandleResolver(sp.GetServices<IChatProvider>().ElementAt(index)));
        }
    }

    /// <summary>The chat service's settings from <c>Cog:Chat</c>.</summary>
    public static ChatServiceOptions ServiceOptions(ChatOptions options) => new()
    {
        CommandPrefix = options.CommandPrefix,
        PreviousCommandToken = options.PreviousCommandToken,
        AllowSelfRegistration = options.AllowSelfRegistration,
    };
}
