using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Cog.Integration.Tests.Server;
using Cog.Integration.Tests.Support;
using Cog.Runtime.Pipeline;
using Cog.Testing;

namespace Cog.Integration.Tests.Cluster;

/// <summary>Two servers on one database and one broker: pipelines are listed, shown and killed through either server
/// wherever they run; the web console's chat reaches a person's socket whichever server it is connected to, and its
/// history is the same on both; a command reaches the pipeline services of the server that runs its pipeline even when
/// the public URL names the other one.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PipelinesAcrossServersTests(PostgresCluster postgres, PipelinesAcrossServersTests.Pair shared)
    : IClassFixture<PipelinesAcrossServersTests.Pair>
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>The pair most tests of the class share (starting one takes seconds); each test uses its own texts.</summary>
    public sealed class Pair(PostgresCluster postgres) : IAsyncLifetime
    {
        ServerPair? _pair;

        internal ServerPair Servers => _pair ?? throw new InvalidOperationException("The pair is not started.");

        public async ValueTask InitializeAsync() => _pair = await ServerPair.StartAsync(postgres);

        public async ValueTask DisposeAsync()
        {
            if (_pair is not null)
                await _pair.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_pipeline_running_on_one_server_is_listed_shown_and_killed_through_the_other()
    {
        var pair = shared.Servers;
        var running = pair.First.RunAsync("sleep 30");
        var id = await RunningIdAsync(pair.Second, "sleep 30");

        var (shownStatus, shown) = await pair.Second.SendAsync(HttpMethod.Get, "/v1/pipelines/" + id, null);
        Assert.Equal((HttpStatusCode.OK, "pair-1", "running"),
            (shownStatus, shown.GetProperty("pipeline").GetProperty("server").GetString(), shown.GetProperty("pipeline").GetProperty("state").GetString()));
        var info = await pair.Second.RunAsync("pipeline-info " + id[..8]);
        Assert.Contains("pair-1", info.GetProperty("output").ToString(), StringComparison.Ordinal);

        var (killStatus, _) = await pair.Second.SendAsync(HttpMethod.Delete, "/v1/pipelines/" + id, null);
        Assert.Equal(HttpStatusCode.NoContent, killStatus);
        var ended = await running.WaitAsync(TimeSpan.FromSeconds(30), Token);
        Assert.Equal(("execution_failed", PipelineMessages.Killed(id)), (ended.GetProperty("status").GetString(), ended.GetProperty("message").GetString()));

        // The chat command reaches the other server too.
        var second = pair.First.RunAsync("sleep 30");
        var secondId = await RunningIdAsync(pair.Second, "sleep 30");
        var killed = await pair.Second.RunAsync("pipeline-kill " + secondId);
        Assert.Contains(secondId, killed.GetProperty("output").ToString(), StringComparison.Ordinal);
        Assert.Equal("execution_failed", (await second.WaitAsync(TimeSpan.FromSeconds(30), Token)).GetProperty("status").GetString());
        var verify = await pair.Second.CogctlAsync("audit", "verify");
        Assert.True(verify.Code == 0, verify.ToString());
    }

    [Fact]
    public async Task Killing_a_pipeline_whose_server_is_gone_says_so()
    {
        var pair = shared.Servers;
        var store = pair.First.Server.Store;
        var admin = (await store.Users.FindByUsernameAsync(pair.First.Admin.Username, Token))!;
        var id = Guid.NewGuid().ToString("D");
        (await store.History.AddAsync(new PipelineHistoryEntry(id, admin.Id, 0, "sleep 29", null, "http", 0, PipelineState.Running,
            pair.First.Server.Time.GetUtcNow(), null) { Instance = "pair-gone" }, Token)).GetValueOrThrow();

        var (status, body) = await pair.Second.SendAsync(HttpMethod.Delete, "/v1/pipelines/" + id, null);
        var chat = await pair.Second.RunAsync("pipeline-kill " + id);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, PipelineMessages.OwnerSilent(id, "pair-gone")), (status, body.GetProperty("errors").GetString()));
        Assert.Equal(("execution_failed", $"Pipelines killed: none. {PipelineMessages.OwnerSilent(id, "pair-gone")}"),
            (chat.GetProperty("status").GetString(), chat.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_web_chat_message_through_one_server_reaches_a_socket_on_the_other_with_cogs_reply_and_history()
    {
        var pair = shared.Servers;
        using var onFirst = await ChatSocket.ConnectAsync(pair.First);
        using var onSecond = await ChatSocket.ConnectAsync(pair.Second);
        var direct = "dm:" + pair.First.Admin.Username;

        await onSecond.SendAsync(new { type = "send", room = "general", text = "hello from the second server", client_id = "c1" });
        await onSecond.SendAsync(new { type = "send", room = direct, text = "!echo across servers", client_id = "c2" });

        var seen = await onFirst.MessagesUntilAsync(m => m.GetProperty("from_cog").GetBoolean());
        Assert.Equal(["<p>hello from the second server</p>", "<p>!echo across servers</p>"],
            seen.Where(m => !m.GetProperty("from_cog").GetBoolean()).Select(m => m.GetProperty("html").GetString()));
        Assert.Contains("across servers", seen[^1].GetProperty("html").GetString(), StringComparison.Ordinal);
        Assert.Equal(direct, seen[^1].GetProperty("room").GetString());

        // The history is the store's: a new connection to the first server sees what went through the second.
        using var later = await ChatSocket.ConnectAsync(pair.First);
        var general = later.Ready.GetProperty("rooms").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "general");
        Assert.Contains("<p>hello from the second server</p>", general.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("html").GetString()));
    }

    [Fact]
    public async Task A_command_reaches_the_memory_of_the_server_that_runs_its_pipeline_not_the_public_url()
    {
        const string networkBundles = "COG_RELAY_SANDBOX__NETWORK_BUNDLES";
        var firstUrl = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        var secondUrl = $"http://127.0.0.1:{LoopbackPorts.Free()}";
        // The dev relay process inherits this process's environment: memo may reach a server over the loopback network.
        Environment.SetEnvironmentVariable(networkBundles, "memo");
        ServerPair pair;
        try
        {
            pair = await ServerPair.StartAsync(postgres, (options, root) =>
            {
                if (options.InstanceName == "pair-1")
                {
                    options.Api.Urls = firstUrl;
                    ServerEnvironment.CopyBundle(Repository.TestBundle("memo"), Path.Combine(root, "bundles", "memo"));
                }
                else
                {
                    // Its public URL is the load balancer's, which here always picks the first server.
                    options.Api.Urls = secondUrl;
                    options.Api.PublicUrl = firstUrl;
                }
            });
        }
        finally
        {
            Environment.SetEnvironmentVariable(networkBundles, null);
        }
        await using (pair)
        {
            await pair.First.WaitForRelayAsync("memo:remember ready");
            using var second = new HttpClient { BaseAddress = new Uri(secondUrl), Timeout = TimeSpan.FromSeconds(60) };

            var (status, body) = await ApiRequests.SendAsync(second, HttpMethod.Post, "/v1/pipelines", new { pipeline = "memo:remember hello | memo:recall" },
                pair.Second.AdminToken, Token);

            var run = body.GetProperty("pipeline");
            Assert.True(status == HttpStatusCode.OK && run.GetProperty("status").GetString() == "succeeded", $"{(int)status} {body}");
            Assert.Equal("""[{"recalled":"hello"}]""", JsonSerializer.Serialize(run.GetProperty("output")));
            var (_, shown) = await pair.Second.SendAsync(HttpMethod.Get, "/v1/pipelines/" + run.GetProperty("id").GetString(), null);
            Assert.Equal("pair-2", shown.GetProperty("pipeline").GetProperty("server").GetString());
        }
    }

    /// <summary>The id of the running pipeline with this text, as <paramref name="server"/> lists everybody's.</summary>
    static async Task<string> RunningIdAsync(ServerEnvironment server, string text)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (status, body) = await server.SendAsync(HttpMethod.Get, "/v1/pipelines?state=running&user=all", null);
            Assert.Equal(HttpStatusCode.OK, status);
            var listed = body.GetProperty("pipelines").EnumerateArray().FirstOrDefault(p => p.GetProperty("text").GetString() == text);
            if (listed.ValueKind == JsonValueKind.Object)
            {
                Assert.Equal("pair-1", listed.GetProperty("server").GetString());
                return listed.GetProperty("id").GetString()!;
            }
            Assert.True(watch.Elapsed < Eventually.Limit, $"'{text}' was not listed as running through {server.Server.Options.InstanceName}: {body}");
            await Task.Delay(50, Token);
        }
    }

    /// <summary>A browser's chat connection: signed in as the administrator, its <c>ready</c> frame read.</summary>
    sealed class ChatSocket : IDisposable
    {
        readonly ClientWebSocket _socket = new();

        public JsonElement Ready { get; private set; }

        public static async Task<ChatSocket> ConnectAsync(ServerEnvironment server)
        {
            var chat = new ChatSocket();
            chat._socket.Options.SetRequestHeader("Origin", server.Server.ApiUrl.GetLeftPart(UriPartial.Authority));
            await chat._socket.ConnectAsync(new UriBuilder(server.Server.ApiUrl) { Scheme = "ws", Path = "/console/chat" }.Uri, Token);
            await chat.SendAsync(new { type = "auth", token = server.AdminToken });
            chat.Ready = await chat.ReceiveAsync();
            Assert.Equal("ready", chat.Ready.GetProperty("type").GetString());
            return chat;
        }

        public Task SendAsync(object frame) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(frame)), WebSocketMessageType.Text, endOfMessage: true, Token);

        /// <summary>The <c>message</c> frames received until one matches <paramref name="last"/> (included).</summary>
        public async Task<List<JsonElement>> MessagesUntilAsync(Func<JsonElement, bool> last)
        {
            var messages = new List<JsonElement>();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Token);
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            while (true)
            {
                var frame = await ReceiveAsync(limit.Token);
                Assert.True(frame.GetProperty("type").GetString() == "message", frame.ToString());
                messages.Add(frame);
                if (last(frame))
                    return messages;
            }
        }

        async Task<JsonElement> ReceiveAsync(CancellationToken cancellationToken = default)
        {
            var buffer = new byte[256 * 1024];
            var count = 0;
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken == default ? Token : cancellationToken);
                count += result.Count;
                if (result.EndOfMessage)
                    return JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone();
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
