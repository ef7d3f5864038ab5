using Cog.Runtime.Chat;
using Cog.Runtime.Slack;
using Cog.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>Registers the Slack chat provider when <c>Cog:Chat:Slack:Enabled</c> (docs/slack.md); the chat service starts
/// every registered <see cref="IChatProvider"/>. The options were validated at start-up (ServerOptionsValidator).</summary>
static class SlackComposition
{
    public static void AddSlack(IServiceCollection services, SlackChatOptions slack, TimeProvider time, ILoggerFactory loggers)
    {
        if (!slack.Enabled)
            return;
        services.AddSlackChatProvider(Options(slack), time, loggers);
        services.AddSingleton<IChatProvider>(provider => provider.GetRequiredService<SlackChatProvider>());
    }

    /// <summary>The provider's options from the configuration: each token from its value or its file (trimmed).</summary>
    public static SlackOptions Options(SlackChatOptions slack) => new()
    {
        AppToken = Token(slack.AppToken, slack.AppTokenFile),
        BotToken = Token(slack.BotToken, slack.BotTokenFile),
        ApiUrl = new Uri(slack.ApiUrl),
    };

    static string Token(string? value, string? file) =>
        !string.IsNullOrWhiteSpace(value) ? value.Trim() : File.ReadAllText(file!).Trim();
}
