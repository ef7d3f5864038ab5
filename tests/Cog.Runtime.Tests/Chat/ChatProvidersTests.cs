using Cog.Runtime.Chat;
using Cog.Testing.Chat;

namespace Cog.Runtime.Tests.Chat;

public sealed class ChatProvidersTests
{
    [Fact]
    public void The_default_is_slack_when_it_runs_else_web_else_the_first()
    {
        var (slack, web, irc) = (new FakeChatProvider("slack"), new FakeChatProvider("web"), new FakeChatProvider("irc"));

        Assert.Same(slack, new ChatProviders([irc, web, slack]).Default);
        Assert.Same(web, new ChatProviders([irc, web]).Default);
        Assert.Same(irc, new ChatProviders([irc]).Default);
        Assert.Null(new ChatProviders([]).Default);
    }

    [Fact]
    public void A_configured_default_wins_and_must_be_running()
    {
        var (slack, web) = (new FakeChatProvider("slack"), new FakeChatProvider("web"));

        Assert.Same(web, new ChatProviders([slack, web], "Web").Default);
        Assert.Throws<ArgumentException>(() => new ChatProviders([slack], "web"));
    }

    [Fact]
    public void Providers_are_found_by_name_ignoring_case_and_names_are_unique()
    {
        var slack = new FakeChatProvider("slack");

        Assert.Same(slack, new ChatProviders([slack]).Find("SLACK"));
        Assert.Null(new ChatProviders([slack]).Find("web"));
        Assert.Throws<ArgumentException>(() => new ChatProviders([slack, new FakeChatProvider("slack")]));
    }

    [Fact]
    public async Task The_handle_resolver_asks_the_provider_for_the_persons_id()
    {
        var slack = new FakeChatProvider("slack");
        slack.AddUser("bob", id: "U42");
        var resolver = new ChatProviderHandleResolver(slack);

        var found = await resolver.ResolveAsync("@bob", TestContext.Current.CancellationToken);
        var missing = await resolver.ResolveAsync("ghost", TestContext.Current.CancellationToken);

        Assert.Equal(("slack", "U42"), (resolver.Provider, found.ProviderUserId));
        Assert.Equal("User with handle 'ghost' not found", missing.Message);
    }
}
