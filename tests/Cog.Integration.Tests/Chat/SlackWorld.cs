using System.Net;
using Cog.Integration.Tests.Server;
using Cog.Runtime.Chat;
using Cog.Testing.Chat;
using Cog.Testing.Slack;
using Microsoft.Extensions.DependencyInjection;

namespace Cog.Integration.Tests.Chat;

/// <summary>
/// A fake Slack on loopback and a whole Cog server talking to it (Socket Mode and the Web API, as in production), with
/// the dev relay serving <c>bundles/examples</c> (<see cref="ServerEnvironment"/>) and a second chat provider named
/// <c>web</c> (a <see cref="FakeChatProvider"/>), for the round trip Slack → Cog → relay → Slack.
/// </summary>
/// <remarks>
/// <para>SQLite only: the store is not what these tests are about (the server suite runs on both stores).</para>
/// <para>The web console's own provider is switched off (<c>Cog:Chat:Web:Enabled=false</c>) and a fake takes its
/// name, so what reaches the second provider can be read exactly and the world does not depend on the console.</para>
/// <para>The workspace: the bot in <c>#general</c> (<see cref="General"/>), <c>#ops</c> (<see cref="Ops"/>) and
/// <c>#barrier</c> (<see cref="Barrier"/>, where the tests' barrier commands go); alice and bob have Cog accounts with
/// slack handles (bob has no permissions beyond the default rules); stranger has none. The fake redelivers an
/// unacknowledged envelope after 1 s (Slack: 3 s), so a lost acknowledgement costs a test one second.</para>
/// </remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the examples' executables are shell scripts
public sealed class SlackWorld : IAsyncLifetime
{
    public const string General = "C0GENERAL", Ops = "C0OPS", Barrier = "C0BARRIER";

    public const string AliceId = "U0ALICE", BobId = "U0BOB", StrangerId = "U0STRANGER";

    /// <summary>The direct conversation between the bot and alice (the fake's id for it, once opened).</summary>
    public const string AliceDirect = "D0ALICE";

    FakeSlackServer? _slack;
    ServerEnvironment? _environment;

    public FakeSlackServer Slack => _slack ?? throw new InvalidOperationException("The world is not started.");

    internal ServerEnvironment Env => _environment ?? throw new InvalidOperationException("The world is not started.");

    /// <summary>The second chat provider, named <c>web</c>.</summary>
    public FakeChatProvider Web { get; } = new("web");

    /// <summary>The chat service of the server (its in-flight count is the tests' barrier).</summary>
    public ChatService Chat => Env.Server.Chat ?? throw new InvalidOperationException("The chat service is not started.");

    public async ValueTask InitializeAsync()
    {
        _slack = await FakeSlackServer.StartAsync(new FakeSlackOptions { AckDeadline = TimeSpan.FromSeconds(1) });
        _slack.AddUser(AliceId, "alice", "alice@example.com", "Alice", "Archer");
        _slack.AddUser(BobId, "bob", "bob@example.com", "Bob", "Baker");
        _slack.AddUser(StrangerId, "stranger", "stranger@example.com", "Sam", "Stranger");
        _slack.AddChannel(Ops, "ops");
        _slack.AddChannel(Barrier, "barrier");
        Web.AddUser("admin");

        _environment = await ServerEnvironment.StartAsync((options, _) =>
        {
            options.Database.Provider = "sqlite";
            options.Chat.Slack.Enabled = true;
            options.Chat.Slack.AppToken = FakeSlackServer.AppToken;
            options.Chat.Slack.BotToken = FakeSlackServer.BotToken;
            options.Chat.Slack.ApiUrl = _slack.ApiUrl.ToString();
            options.Chat.Web.Enabled = false;
        }, services => services.AddSingleton<IChatProvider>(Web));

        await UserWithSlackHandleAsync("alice");
        await UserWithSlackHandleAsync("bob");
    }

    /// <summary>A Cog user named after their Slack handle, the handle attached through the REST API (resolved to the
    /// Slack user id by the running provider, which asks the fake).</summary>
    async Task UserWithSlackHandleAsync(string name)
    {
        var (created, user) = await Env.SendAsync(HttpMethod.Post, "/v1/users",
            new { user = new { username = name, email_address = $"{name}@example.com", password = "pa55-word" } });
        Assert.True(created == HttpStatusCode.Created, user.ToString());
        var (attached, handle) = await Env.SendAsync(HttpMethod.Post, $"/v1/users/{name}/chat_handles",
            new { chat_handle = new { chat_provider = "slack", handle = name } });
        Assert.True(attached == HttpStatusCode.Created, handle.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_environment is not null)
            await _environment.DisposeAsync();
        if (_slack is not null)
            await _slack.DisposeAsync();
    }
}
