using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Api.Tests;

/// <summary>The REST API on a test server over a real SQLite store in a temporary folder, with an administrator
/// (<see cref="AdminToken"/>: every <c>operable</c> permission this area needs) and a user without permissions
/// (<see cref="NobodyToken"/>).</summary>
sealed class CatalogApiWorld : IAsyncDisposable
{
    public const string AdminToken = "admin-token-for-tests";
    public const string NobodyToken = "nobody-token-for-tests";

    readonly string _folder;
    readonly WebApplication _app;

    CatalogApiWorld(string folder, IStore store, WebApplication app, AuditWriter writer)
    {
        (_folder, Store, _app, Writer) = (folder, store, app, writer);
        Client = app.GetTestClient();
    }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public IStore Store { get; }

    public AuditWriter Writer { get; }

    public HttpClient Client { get; }

    public RecordingTransport Transport => _app.Services.GetRequiredService<RecordingTransport>();

    public static async Task<CatalogApiWorld> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-api-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        await store.MigrateAsync(Ct);
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));
        await SeedAsync(store, time.GetUtcNow());

        var writer = new AuditWriter(store.Audit);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton<IStore>(store);
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(sp => new StorePipelineDirectory(store, new StorePipelineDirectoryOptions(), time));
        services.AddSingleton<IPipelineDirectory>(sp => sp.GetRequiredService<StorePipelineDirectory>());
        services.AddSingleton<IDirectoryChanges>(sp => sp.GetRequiredService<StorePipelineDirectory>());
        services.AddSingleton(writer);
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<RecordingTransport>();
        services.AddSingleton(sp => new BundleRegistry(store, sp.GetRequiredService<RecordingTransport>(), sp.GetRequiredService<IDirectoryChanges>(),
            new BundleRegistryOptions { ServerUrl = new Uri("https://cog.example.com/"), ScratchDirectory = Path.Combine(folder, "scratch") },
            time, NullLogger<BundleRegistry>.Instance));
        services.AddSingleton<BundleAdministration>();
        services.AddSingleton<RuleAdministration>();
        services.AddSingleton<RelayAdministration>();
        services.AddSingleton<RelayGroupAdministration>();
        services.AddSingleton<ConfigAdministration>();
        services.AddSingleton<IRelayCredentialStore>(new StoredRelayCredentials(store.Relays));
        services.AddSingleton<IRelayPackageSource>(new StoreRelayPackageSource(store));
        services.AddCogApi();
        var app = builder.Build();
        app.UseCogApi();
        app.MapCogApi();
        await app.StartAsync(Ct);
        return new CatalogApiWorld(folder, store, app, writer);
    }

    static async Task SeedAsync(IStore store, DateTimeOffset now)
    {
        // The built-in bundle's permissions exist because the bundle is installed (as the server does at start).
        (await store.Bundles.InstallAsync(new BundleInstall(Bundle.BuiltInName, "1.0.0", "{}", null, null, null, ["manage_commands", "manage_relays"], [], [], now), Ct))
            .GetValueOrThrow();
        var role = (await store.Roles.CreateAsync(new Role(StoreId.New(), "admins"), Ct)).GetValueOrThrow();
        foreach (var name in (string[])["manage_commands", "manage_relays"])
        {
            var permission = (await store.Permissions.FindAsync(Bundle.BuiltInName, name, Ct))!;
            (await store.Roles.GrantPermissionAsync(role.Id, permission.Id, Ct)).GetValueOrThrow();
        }
        var group = (await store.Groups.CreateAsync(new Group(StoreId.New(), "admins"), Ct)).GetValueOrThrow();
        (await store.Groups.GrantRoleAsync(group.Id, role.Id, Ct)).GetValueOrThrow();
        var admin = (await store.Users.CreateAsync(new User(StoreId.New(), "admin", "admin@example.com", null, null, "hash"), Ct)).GetValueOrThrow();
        (await store.Groups.AddMemberAsync(group.Id, admin.Id, Ct)).GetValueOrThrow();
        var nobody = (await store.Users.CreateAsync(new User(StoreId.New(), "nobody", "nobody@example.com", null, null, "hash"), Ct)).GetValueOrThrow();
        (await store.Tokens.CreateAsync(new ApiToken(StoreId.New(), admin.Id, ApiTokenHash.Compute(AdminToken), now, now.AddDays(1)), Ct)).GetValueOrThrow();
        (await store.Tokens.CreateAsync(new ApiToken(StoreId.New(), nobody.Id, ApiTokenHash.Compute(NobodyToken), now, now.AddDays(1)), Ct)).GetValueOrThrow();
    }

    /// <summary>Sends a request and returns the status and the parsed body (<c>null</c> when empty).</summary>
    public async Task<(int Status, JsonElement? Body)> SendAsync(HttpMethod method, string path, object? json = null, HttpContent? content = null, string? token = AdminToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = JsonContent.Create(json);
        else if (content is not null)
            request.Content = content;
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(int Status, JsonElement? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(int Status, JsonElement? Body)> PostAsync(string path, object json) => SendAsync(HttpMethod.Post, path, json);

    /// <summary>Administrative audit records of one kind.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string kind) => await Store.Audit.ListAsync(new AuditQuery(Kind: kind, Limit: 1000), Ct);

    /// <summary>A version 5 manifest of <paramref name="name"/> with one command <c>release</c>.</summary>
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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        await Writer.DisposeAsync();
        await Store.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    /// <summary>Records published assignments; invocations are not used here.</summary>
    public sealed class RecordingTransport : IRelayTransport
    {
        public ConcurrentQueue<BundleAssignments> Assignments { get; } = new();

        public ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken)
        {
            Assignments.Enqueue(assignments);
            return ValueTask.CompletedTask;
        }
    }
}
