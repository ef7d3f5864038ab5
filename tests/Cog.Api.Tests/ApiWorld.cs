using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Bundles;
using Cog.Runtime.Chat;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Triggers;
using Cog.Testing;
using Cog.Testing.Chat;
using Cog.Testing.Rendering;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Api.Tests;

/// <summary>The REST API on an in-memory server (TestHost) over a real SQLite store on a temporary file, composed as the
/// server composes it: the built-in <c>operable</c> bundle installed and enabled through the bundle registry, a real
/// audit writer, the real pipeline engine and runner, the catalog, identity and trigger administrations, and one fake
/// clock (<see cref="Time"/>) for everything. Test stand-ins: relays are a <see cref="RecordingTransport"/>, the
/// <c>slack</c> chat provider knows only <c>bob</c> (U0BOB), password hashing uses the minimum work factor, and
/// explanations are scripted (<see cref="TestRunner.Explanation"/>).</summary>
sealed class ApiWorld : IAsyncDisposable
{
    /// <summary>The fake clock's starting time.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly string _folder;
    WebApplication? _app;

    ApiWorld(string folder, IStore store, Action<BundleRegistryOptions>? bundles)
    {
        (_folder, Store) = (folder, store);
        Time = new FakeTimeProvider(Start);
        Writer = new AuditWriter(store.Audit, TestAuditKeys.Default);
        Directory = new StorePipelineDirectory(store, new StorePipelineDirectoryOptions(), Time, NullLogger<StorePipelineDirectory>.Instance);
        var options = new BundleRegistryOptions
        {
            ServerUrl = new Uri("https://cog.example.com/"),
            ScratchDirectory = Path.Combine(folder, "scratch"),
            CheckerExecutable = RepositoryPaths.BundleChecker,
        };
        bundles?.Invoke(options);
        Registry = new BundleRegistry(store, Transport, Directory, options, Time, RegistryLogs.CreateLogger<BundleRegistry>());
        var commands = new BuiltInCommands(Directory, new StoreBundleDocumentation(store), new InMemoryNamedDataStore(), Time, BuiltInOptions.Default);
        var engine = new PipelineEngine(Directory, commands, new PipelineAuditLog(Writer), Time, PipelineEngineOptions.Default);
        Running = new RunningPipelines(Time);
        Runner = new TestRunner(new PipelineRunner(engine, Running, store.History, Time, NullLogger<PipelineRunner>.Instance, PipelineRunnerOptions.Default));
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public IStore Store { get; }

    public AuditWriter Writer { get; }

    public FakeTimeProvider Time { get; }

    public StorePipelineDirectory Directory { get; }

    public BundleRegistry Registry { get; }

    /// <summary>What the bundle registry logged.</summary>
    public CollectingLoggerFactory RegistryLogs { get; } = new();

    public RecordingTransport Transport { get; } = new();

    public RunningPipelines Running { get; }

    public TestRunner Runner { get; }

    /// <summary>The chat provider <c>chat://</c> targets reach (a fake <c>slack</c> with room <c>ops</c>).</summary>
    public FakeChatProvider Chat { get; } = NewChat();

    static FakeChatProvider NewChat()
    {
        var chat = new FakeChatProvider("slack");
        chat.AddRoom("ops");
        return chat;
    }

    public string DatabasePath => Path.Combine(_folder, SqliteStoreOptions.DefaultFileName);

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The API host's services (its endpoints, through <c>EndpointDataSource</c>).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The API is not started.");

    /// <summary>Opens the store, installs the built-in bundle and starts the API; <paramref name="configure"/> adds or
    /// replaces services after the world's own; <paramref name="bundles"/> changes the bundle registry's settings (by
    /// default installs run the bundle checker of the repository's build output).</summary>
    public static async Task<ApiWorld> StartAsync(Action<IServiceCollection>? configure = null, Action<BundleRegistryOptions>? bundles = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-api-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        var world = new ApiWorld(folder, store, bundles);
        try
        {
            await store.MigrateAsync(Ct);
            var manifest = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "bundles", "operable", "config.yaml"), Ct);
            (await world.Registry.InstallBuiltInAsync(manifest, Ct)).GetValueOrThrow();
            await world.StartHostAsync(configure);
            return world;
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }
    }

    async Task StartHostAsync(Action<IServiceCollection>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        // What the server registers (Cog.Server's CogServer.BuildApi) ...
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Store);
        services.AddSingleton<IPipelineDirectory>(Directory);
        services.AddSingleton<IStoredObjectProblems>(Directory);
        services.AddSingleton<IDirectoryChanges>(Directory);
        services.AddSingleton(Writer);
        services.AddSingleton(new AuditVerifier(TestAuditKeys.Ring, new AuditCheckpointFiles([Path.Combine(_folder, "audit-checkpoints.jsonl")])));
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<IRelayCredentialStore>(new StoredRelayCredentials(Store.Relays));
        services.AddSingleton<IRelayPackageSource>(new StoreRelayPackageSource(Store));
        services.AddSingleton(Registry);
        // ... and what each area's endpoints name as their services (see CogApi's remarks).
        services.AddSingleton<BundleAdministration>();
        services.AddSingleton<RuleAdministration>();
        services.AddSingleton<RelayAdministration>();
        services.AddSingleton<RelayGroupAdministration>();
        services.AddSingleton<ConfigAdministration>();
        services.AddSingleton<IPipelineRunner>(sp => new MeteredPipelineRunner(Runner, sp.GetRequiredService<CogMetrics>(), Time));
        services.AddSingleton<IPipelineMonitor>(new Runtime.Cluster.ClusterPipelines(Running, new Runtime.Cluster.LocalServerBus("test"), Time, NullLogger<Runtime.Cluster.ClusterPipelines>.Instance));
        services.AddSingleton<TriggerAdministration>();
        services.AddSingleton(new TriggerInvokerOptions());
        services.AddSingleton(new ChatDestinations(new ChatProviders([Chat]), Store.Users, TestComposers.Over(Store), NullLogger<ChatDestinations>.Instance));
        services.AddSingleton(sp => new TriggerInvoker(Store, sp.GetRequiredService<IPipelineRunner>(), sp.GetRequiredService<ChatDestinations>(), Time,
            sp.GetRequiredService<TriggerInvokerOptions>(), NullLogger<TriggerInvoker>.Instance));
        services.AddSingleton(new PasswordHasherOptions { WorkFactor = PasswordHasherOptions.MinimumWorkFactor });
        services.AddSingleton<IChatHandleResolver, WebChatHandleResolver>();
        services.AddSingleton<IChatHandleResolver, SlackResolver>();
        services.AddCogApi();
        configure?.Invoke(services);
        _app = builder.Build();
        _app.UseCogApi();
        _app.MapCogApi();
        await _app.StartAsync(Ct);
        Http = _app.GetTestClient();
    }

    /// <summary>A user made in the store, holding <paramref name="permissions"/> (<c>bundle:name</c>) through a group
    /// (<c>group-</c>name) and role (<c>role-</c>name) of their own, and an API token for them.</summary>
    public async Task<(User User, string Token)> UserAsync(string username, params string[] permissions)
    {
        var user = (await Store.Users.CreateAsync(new User(StoreId.New(), username, username + "@example.com", null, null, "hash"), Ct)).GetValueOrThrow();
        if (permissions.Length > 0)
        {
            var role = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "role-" + username), Ct)).GetValueOrThrow();
            foreach (var permission in permissions)
            {
                var colon = permission.IndexOf(':', StringComparison.Ordinal);
                var found = await Store.Permissions.FindAsync(permission[..colon], permission[(colon + 1)..], Ct)
                    ?? throw new InvalidOperationException($"No permission {permission}.");
                (await Store.Roles.GrantPermissionAsync(role.Id, found.Id, Ct)).GetValueOrThrow();
            }
            var group = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "group-" + username), Ct)).GetValueOrThrow();
            (await Store.Groups.GrantRoleAsync(group.Id, role.Id, Ct)).GetValueOrThrow();
            (await Store.Groups.AddMemberAsync(group.Id, user.Id, Ct)).GetValueOrThrow();
            Directory.GrantsChanged();
        }
        return (user, await TokenAsync(user, TimeSpan.FromHours(1)));
    }

    /// <summary>A token for <paramref name="user"/> that expires after <paramref name="lifetime"/> (negative: already expired).</summary>
    public async Task<string> TokenAsync(User user, TimeSpan lifetime)
    {
        var token = RelayToken.Generate();
        var now = Time.GetUtcNow();
        (await Store.Tokens.CreateAsync(new ApiToken(StoreId.New(), user.Id, ApiTokenHash.Compute(token), now, now + lifetime), Ct)).GetValueOrThrow();
        return token;
    }

    /// <summary>Bootstraps admin/secret through the API and returns a token of the admin.</summary>
    public async Task<string> AdminTokenAsync()
    {
        var (status, _) = await TextAsync(HttpMethod.Post, "/v1/bootstrap", json: """{"user":{"username":"admin","password":"secret","email_address":"admin@example.com"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return await TokenAsync("admin", "secret");
    }

    /// <summary>A token for <paramref name="username"/> from <c>POST /v1/token</c>.</summary>
    public async Task<string> TokenAsync(string username, string password)
    {
        var (status, body) = await JsonAsync(HttpMethod.Post, "/v1/token", json: new { username, password });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("token").GetProperty("value").GetString()!;
    }

    /// <summary>Creates a user through the API (as <paramref name="token"/>'s owner).</summary>
    public async Task<JsonElement> CreateUserAsync(string token, string username, string password = "pw")
    {
        var (status, body) = await JsonAsync(HttpMethod.Post, "/v1/users", token, new { user = new { username, password, email_address = username + "@example.com" } });
        Assert.Equal(HttpStatusCode.Created, status);
        return body.GetProperty("user");
    }

    /// <summary>Sends a request with <paramref name="json"/> as an <c>application/json</c> body: a string as it is,
    /// anything else serialized.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, object? json = null) =>
        SendAsync(method, path, token, json switch
        {
            null => null,
            string text => new StringContent(text, Encoding.UTF8, "application/json"),
            _ => new StringContent(JsonSerializer.Serialize(json), Encoding.UTF8, "application/json"),
        });

    /// <summary>Sends a request with any content and extra headers.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return Http.SendAsync(request, Ct);
    }

    /// <summary><see cref="SendAsync(HttpMethod, string, string?, object?)"/>, then <see cref="ReadAsync"/>.</summary>
    public async Task<(HttpStatusCode Status, string Body)> TextAsync(HttpMethod method, string path, string? token = null, object? json = null) =>
        await ReadAsync(await SendAsync(method, path, token, json));

    /// <summary><see cref="SendAsync(HttpMethod, string, string?, object?)"/>, then <see cref="ReadJsonAsync"/>.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> JsonAsync(HttpMethod method, string path, string? token = null, object? json = null) =>
        await ReadJsonAsync(await SendAsync(method, path, token, json));

    /// <summary>The status and the body: JSON compact and with only the escapes JSON needs (so tests pin the text as a
    /// person would write it), any other body as it is ("" when empty).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (text.Length == 0 || response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) != true)
                return (response.StatusCode, text);
            using var document = JsonDocument.Parse(text);
            return (response.StatusCode, JsonSerializer.Serialize(document.RootElement, Readable));
        }
    }

    /// <summary>The status and the parsed body (a JSON <c>null</c> when empty).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ReadJsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
            return (response.StatusCode, document.RootElement.Clone());
        }
    }

    /// <summary>The audit records of one kind, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string kind) => await Store.Audit.ListAsync(new AuditQuery(Kind: kind, Limit: 1000), Ct);

    /// <summary>A version 5 manifest of <paramref name="name"/> with one command <c>release</c> (rule: must have
    /// <c>name:release</c>).</summary>
    public static string Manifest(string name = "deploy", string version = "1.0.0") => $"""
        cog_bundle_version: 5
        name: {name}
        description: Deploys things
        version: "{version}"
        permissions:
          - {name}:release
        commands:
          release:
            executable: /opt/{name}/release
            description: Releases a host
            rules:
              - must have {name}:release
        """;

    /// <summary>Stops the host, then closes the store and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
        await Writer.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    /// <summary>Runs with the real <see cref="PipelineRunner"/> (so list/kill and history see it) and explains with
    /// <see cref="Explanation"/>.</summary>
    public sealed class TestRunner(IPipelineRunner runner) : IPipelineRunner
    {
        public Func<PipelineRequest, PipelineExplanation>? Explanation { get; set; }

        public List<PipelineRequest> Explained { get; } = [];

        public Task<PipelineOutcome> RunAsync(PipelineRequest request, CancellationToken cancellationToken) => runner.RunAsync(request, cancellationToken);

        public Task<PipelineExplanation> ExplainAsync(PipelineRequest request, CancellationToken cancellationToken)
        {
            Explained.Add(request);
            return Task.FromResult((Explanation ?? throw new InvalidOperationException("No explanation scripted."))(request));
        }
    }

    /// <summary>Records published assignments; invocations go nowhere (no relays here).</summary>
    public sealed class RecordingTransport : IRelayTransport
    {
        public ConcurrentQueue<BundleAssignments> Assignments { get; } = new();

        public ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask SendReceiptAsync(string relayId, InvocationReceipt receipt, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken)
        {
            Assignments.Enqueue(assignments);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A <c>slack</c> provider that knows <c>bob</c>.</summary>
    sealed class SlackResolver : IChatHandleResolver
    {
        public string Provider => "slack";

        public Task<ChatHandleLookup> ResolveAsync(string handle, CancellationToken cancellationToken) =>
            Task.FromResult(handle == "bob" ? ChatHandleLookup.Found("U0BOB") : ChatHandleLookup.NotFound($"User with handle '{handle}' not found"));
    }
}
