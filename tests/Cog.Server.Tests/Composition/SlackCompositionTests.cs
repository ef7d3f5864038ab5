using Cog.Runtime.Chat;
using Cog.Runtime.Identity;
using Cog.Runtime.Slack;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Server.Tests.Composition;

public sealed class SlackCompositionTests
{
    [Fact]
    public void Tokens_come_from_their_values_or_their_files_trimmed()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "  xoxb-from-file\n");
            var options = SlackComposition.Options(new SlackChatOptions { Enabled = true, AppToken = " xapp-value ", BotTokenFile = file, ApiUrl = "http://127.0.0.1:9/api" });

            Assert.Equal(("xapp-value", "xoxb-from-file", "http://127.0.0.1:9/api"), (options.AppToken, options.BotToken, options.ApiUrl.ToString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task The_slack_provider_is_registered_only_when_enabled(bool enabled, int providers)
    {
        var services = new ServiceCollection();

        SlackComposition.AddSlack(services, new SlackChatOptions { Enabled = enabled, AppToken = "xapp-1", BotToken = "xoxb-1" }, TimeProvider.System, NullLoggerFactory.Instance);

        await using var container = services.BuildServiceProvider();
        var registered = container.GetServices<IChatProvider>().ToList();
        Assert.Equal(providers, registered.Count);
        Assert.All(registered, p => Assert.IsType<SlackChatProvider>(p));
    }

    [Fact]
    public async Task Composing_chat_with_slack_enabled_gives_slack_a_handle_resolver()
    {
        // Found by the Slack round trip: Slack was registered after the resolvers were counted, so `chat-handle create
        // alice slack alice` answered "Unknown chat provider 'slack'".
        var services = new ServiceCollection();
        // The web console is off here: its provider needs the store, which this composition test does not build.
        var chat = new ChatOptions { Slack = { Enabled = true, AppToken = "xapp-1", BotToken = "xoxb-1" }, Web = { Enabled = false } };

        ChatComposition.AddChat(services, chat, Path.GetTempPath(), TimeProvider.System, NullLoggerFactory.Instance);

        await using var container = services.BuildServiceProvider();
        var resolvers = container.GetServices<IChatHandleResolver>().Select(static r => r.Provider).ToList();
        Assert.Equal(["slack"], resolvers);
        Assert.IsType<SlackChatProvider>(Assert.Single(container.GetServices<IChatProvider>()));
    }
}
