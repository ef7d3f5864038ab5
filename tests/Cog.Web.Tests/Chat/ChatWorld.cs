using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Chat;
using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Testing;
using Cog.Web.Chat;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Web.Tests.Chat;

/// <summary>A web chat provider on a real SQLite store with two users (alice, bob) and an API token each, a fake clock
/// and a recording inbox; sessions are connected with in-memory senders.</summary>
sealed class ChatWorld : IAsyncDisposable
{
    readonly string _folder;

    ChatWorld(string folder, IStore store, WebConsoleOptions options, IServerBus? bus)
    {
        _folder = folder;
        Store = store;
        Options = options;
        Audit = new AuditWriter(store.Audit, TestAuditKeys.Default);
        Provider = NewProvider(bus);
    }

    public WebConsoleOptions Options { get; }

    /// <summary>Runs one SQL statement on the store's database, as an operator (or an outage) would.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, SqliteStoreOptions.DefaultFileName)};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Another provider on the same store and clock: the same server restarted, or (with a bus) another server.</summary>
    public WebChatProvider NewProvider(IServerBus? bus = null) =>
        new(Options, Store, new AdminAudit(Audit, Time), Time, NullLogger<WebChatProvider>.Instance, bus);

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));

    public IStore Store { get; }

    public AuditWriter Audit { get; }

    public WebChatProvider Provider { get; }

    public RecordingInbox Inbox { get; } = new();

    public ChatUser Alice { get; } = new("alice", "alice", "Alice", null, "alice@example.com");

    public ChatUser Bob { get; } = new("bob", "bob", null, null, "bob@example.com");

    public const string AliceToken = "alice-token-0123456789";

    public const string BobToken = "bob-token-0123456789";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ChatWorld> OpenAsync(WebConsoleOptions? options = null, bool start = true, IServerBus? bus = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-web-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        await store.MigrateAsync(Ct);
        var world = new ChatWorld(folder, store, options ?? new WebConsoleOptions { Rooms = ["general", "#Ops"], HistoryLimit = 3 }, bus);
        foreach (var (name, token, active) in new[] { ("alice", AliceToken, true), ("bob", BobToken, true), ("carol", "carol-token-0123456789", false) })
        {
            var user = (await store.Users.CreateAsync(new User(StoreId.New(), name, name + "@example.com", name == "alice" ? "Alice" : null, null, "x", active), Ct)).Value!;
            var now = world.Time.GetUtcNow();
            await store.Tokens.CreateAsync(new ApiToken(StoreId.New(), user.Id, ApiTokenHash.Compute(token), now, now.AddDays(7)), Ct);
        }
        if (start)
            await world.Provider.StartAsync(world.Inbox, Ct);
        return world;
    }

    /// <summary>Connects a session whose frames are collected (and, with a gate, held until it opens).</summary>
    public Task<FakeBrowser> ConnectAsync(ChatUser user, TaskCompletionSource? gate = null) => ConnectAsync(Provider, user, gate);

    /// <summary>Connects a session to <paramref name="provider"/>.</summary>
    public async Task<FakeBrowser> ConnectAsync(WebChatProvider provider, ChatUser user, TaskCompletionSource? gate = null)
    {
        var browser = new FakeBrowser(gate);
        browser.Session = await provider.ConnectAsync(user, Time.GetUtcNow().AddDays(7), browser.SendAsync, browser.Abort, Ct);
        return browser;
    }

    public async ValueTask DisposeAsync()
    {
        await Audit.DisposeAsync();
        await Store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The browser end of a session: the frames it received, as JSON.</summary>
sealed class FakeBrowser(TaskCompletionSource? gate)
{
    readonly ConcurrentQueue<JsonElement> _frames = new();

    public WebChatSession Session { get; set; } = null!;

    public bool Aborted { get; private set; }

    public IReadOnlyList<JsonElement> Frames => [.. _frames];

    public async Task SendAsync(byte[] frame, CancellationToken cancellationToken)
    {
        if (gate is not null)
            await gate.Task.WaitAsync(cancellationToken);
        _frames.Enqueue(JsonDocument.Parse(Encoding.UTF8.GetString(frame)).RootElement.Clone());
    }

    public void Abort() => Aborted = true;

    List<JsonElement> Of(string type) => [.. Frames.Where(f => f.GetProperty("type").GetString() == type)];

    /// <summary>The frames of one type, waiting until there are at least <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<JsonElement>> WaitForAsync(string type, int count = 1)
    {
        await Eventually.TrueAsync(() => Of(type).Count >= count, $"{count} '{type}' frames");
        return Of(type);
    }
}

/// <summary>An inbox that keeps what it is given.</summary>
sealed class RecordingInbox : IChatInbox
{
    readonly ConcurrentQueue<ChatMessage> _messages = new();

    public IReadOnlyList<ChatMessage> Messages => [.. _messages];

    public ValueTask ReceiveAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }
}
