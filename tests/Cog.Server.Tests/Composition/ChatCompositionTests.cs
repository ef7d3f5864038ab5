using Cog.Runtime.Administration;
using Cog.Runtime.Chat;
using Cog.Server.Composition;
using Cog.Server.Configuration;
using Cog.Testing;
using Cog.Testing.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Server.Tests.Composition;

/// <summary>The chat part of the composed server: providers from the container, a handle resolver per provider, the
/// administrator's web handle, messages answered end to end (built-in commands run in the server, no relay needed).</summary>
public sealed class ChatCompositionTests : IAsyncLifetime
{
    readonly string _root = Directory.CreateTempSubdirectory("cog-chat-").FullName;
    readonly FakeChatProvider _slack = new("slack");
    CogServer _server = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var options = new ServerOptions
        {
            DataDirectory = Path.Combine(_root, "data"),
            Api = { Urls = "http://127.0.0.1:0" },
            Broker = { Port = 0 },
        };
        _server = await CogServer.StartAsync(options, new CollectingLoggerFactory(), TimeProvider.System, Ct,
            services => services.AddSingleton<IChatProvider>(_slack));
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void The_providers_in_the_container_are_started_with_the_chat_service()
    {
        Assert.True(_slack.IsStarted);
        Assert.Same(_slack, _server.ChatProviders.Find("slack"));
        Assert.Same(_slack, _server.ChatProviders.Default);
        Assert.Same(_server.Chat, _server.Services.GetRequiredService<ChatService>());
    }

    [Fact]
    public void The_web_consoles_chat_history_is_kept_in_the_data_directory()
    {
        var options = _server.Services.GetRequiredService<Web.WebConsoleOptions>();

        Assert.Equal(Path.Combine(_root, "data", "web-chat-history.jsonl"), Path.GetFullPath(options.HistoryFile!));
    }

    [Fact]
    public async Task The_first_start_administrator_holds_a_web_handle_named_after_them()
    {
        var handles = await _server.Services.GetRequiredService<UserAdministration>().ListChatHandlesAsync(_server.CreatedAdmin!.Username, Ct);

        var handle = Assert.Single(handles.Value!);
        Assert.Equal(("web", "admin", "admin"), (handle.Provider, handle.Handle, handle.ProviderUserId));
    }

    [Fact]
    public async Task A_chat_handle_is_resolved_by_the_running_provider_and_the_person_is_then_answered()
    {
        var bob = _slack.AddUser("bob", id: "U0BOB");
        var users = _server.Services.GetRequiredService<UserAdministration>();
        var handle = await users.AttachChatHandleAsync(AdminActor.System, "admin", "slack", "bob", null, Ct);
        var room = _slack.AddRoom("ops");

        await _slack.SayAsync(bob, room, "!echo hello from chat");

        Assert.Equal("U0BOB", handle.Value!.ProviderUserId);
        var reply = Assert.Single(await _slack.WaitForRepliesAsync());
        Assert.Equal((room, "hello from chat"), (reply.Room, reply.Text));
    }
}
