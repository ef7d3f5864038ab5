using Cog.Runtime.Chat;
using Cog.Runtime.Identity;
using Cog.Server.Configuration;
using Cog.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>The chat part of the composition: the chat providers (several at once), a handle resolver per provider, the
/// reply composer. The chat service itself is made by <see cref="CogServer"/> once the pipeline runner exists.</summary>
static class ChatComposition
{
    /// <summary>The web console's chat history file of a server from before the history was in the store, in the data
    /// directory: imported once, then renamed.</summary>
    public const string WebChatHistoryFileName = "web-chat-history.jsonl";

    /// <summary>Registers the enabled chat providers as <see cref="IChatProvider"/> singletons, then one
    /// <see cref="IChatHandleResolver"/> per provider (so <c>chat-handle create</c> asks the live provider for the
    /// person's id). (The reply composer is the API's templated one, <c>AddCogApi</c>.) Every provider must be registered before the resolvers are counted: a
    /// provider added later has no resolver, and its chat handles are refused as an unknown chat provider.</summary>
    /// <remarks>The web console keeps its rooms' recent messages in the store; a <c>web-chat-history.jsonl</c> left in
    /// <paramref name="dataDirectory"/> by an earlier version is imported at start.</remarks>
    public static void AddChat(IServiceCollection services, ChatOptions options, string dataDirectory, TimeProvider time, ILoggerFactory loggers)
    {
        // Providers register here, each when enabled in options (Slack: options.Slack; the web console: options.Web).
        SlackComposition.AddSlack(services, options.Slack, time, loggers);
        if (options.Web.Enabled)
        {
            services.AddWebConsole(new WebConsoleOptions
            {
                Rooms = [.. options.Web.Rooms],
                HistoryFile = Path.Combine(dataDirectory, WebChatHistoryFileName),
            });
        }

        AddHandleResolvers(services);
    }

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
