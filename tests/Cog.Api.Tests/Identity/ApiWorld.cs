using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
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
using Cog.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Api.Tests.Identity;

/// <summary>The API on an in-memory test server over a real SQLite store on a temporary file, with the real
/// <c>operable</c> bundle installed, a real audit writer and a fake clock; a <c>slack</c> provider that knows
/// <c>bob</c> (U0BOB).</summary>
sealed class ApiWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    readonly string _folder;
    readonly WebApplication _app;

    ApiWorld(string folder, IStore store, AuditWriter writer, FakeTimeProvider time, WebApplication app)
    {
        (_folder, Store, Writer, Time, _app) = (folder, store, writer, time, app);
        Client = app.GetTestClient();
    }

    public IStore Store { get; }

    public AuditWriter Writer { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<ApiWorld> OpenAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-api-identity-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        await store.MigrateAsync(Ct);
        var writer = new AuditWriter(store.Audit);
        var time = new FakeTimeProvider(Start);
        var directory = new StorePipelineDirectory(store, new StorePipelineDirectoryOptions(), time);
        await InstallOperableAsync(store, directory, time, folder);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IStore>(store);
        builder.Services.AddSingleton(writer);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<AdminAudit>();
        builder.Services.AddSingleton(directory);
        builder.Services.AddSingleton<IPipelineDirectory>(directory);
        builder.Services.AddSingleton<IDirectoryChanges>(directory);
        builder.Services.AddSingleton(new PasswordHasherOptions { WorkFactor = PasswordHasherOptions.MinimumWorkFactor });
        builder.Services.AddSingleton<IChatHandleResolver, SlackResolver>();
        builder.Services.AddCogApi();
        var app = builder.Build();
        app.UseCogApi();
        app.MapCogApi();
        await app.StartAsync(Ct);
        return new ApiWorld(folder, store, writer, time, app);
    }

    /// <summary>Bootstraps admin/secret and returns a token of the admin.</summary>
    public async Task<string> AdminTokenAsync()
    {
        var (status, _) = await SendAsync(HttpMethod.Post, "/v1/bootstrap", """{"user":{"username":"admin","password":"secret","email_address":"admin@example.com"}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        return await TokenAsync("admin", "secret");
    }

    /// <summary>A token for <paramref name="username"/>.</summary>
    public async Task<string> TokenAsync(string username, string password)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/token", JsonSerializer.Serialize(new { username, password }));
        Assert.Equal(HttpStatusCode.Created, status);
        return body!.Value.GetProperty("token").GetProperty("value").GetString()!;
    }

    /// <summary>Creates a user through the API (as <paramref name="token"/>'s owner).</summary>
    public async Task<JsonElement> CreateUserAsync(string token, string username, string password = "pw")
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/v1/users",
            JsonSerializer.Serialize(new { user = new { username, password, email_address = username + "@example.com" } }), token);
        Assert.Equal(HttpStatusCode.Created, status);
        return body!.Value.GetProperty("user");
    }

    /// <summary>Sends a request with an optional JSON body and token; returns the status and the parsed body (or
    /// <see langword="null"/> when empty).</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Body)> SendAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        var (status, text) = await SendTextAsync(method, path, json, token);
        if (text.Length == 0)
            return (status, null);
        using var document = JsonDocument.Parse(text);
        return (status, document.RootElement.Clone());
    }

    /// <summary>Sends a request; returns the status and the raw body.</summary>
    public async Task<(HttpStatusCode Status, string Text)> SendTextAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        using var response = await Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (text.Length == 0 || response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.Ordinal) != true)
            return (response.StatusCode, text);
        // Compact and with only the escapes JSON needs, so tests can pin the text as a person would write it.
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, JsonSerializer.Serialize(document.RootElement, Readable));
    }

    static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The audit records of one kind, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string kind) => await Store.Audit.ListAsync(new AuditQuery(Kind: kind, Limit: 1000), Ct);

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

    static async Task InstallOperableAsync(IStore store, IDirectoryChanges changes, TimeProvider time, string folder)
    {
        var registry = new BundleRegistry(store, new SilentTransport(), changes,
            new BundleRegistryOptions { ServerUrl = new Uri("https://cog.example.com/"), ScratchDirectory = Path.Combine(folder, "scratch") },
            time, NullLogger<BundleRegistry>.Instance);
        var manifest = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "bundles", "operable", "config.yaml"), Ct);
        using var archive = new MemoryStream();
        using (var zip = new ZipArchive(archive, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = await zip.CreateEntry("config.yaml").OpenAsync(Ct);
            await entry.WriteAsync(Encoding.UTF8.GetBytes(manifest), Ct);
        }
        (await registry.InstallAsync(archive.ToArray(), enable: true, Ct)).GetValueOrThrow();
    }
}

/// <summary>A <c>slack</c> provider that knows <c>bob</c>.</summary>
sealed class SlackResolver : IChatHandleResolver
{
    public string Provider => "slack";

    public Task<ChatHandleLookup> ResolveAsync(string handle, CancellationToken cancellationToken) =>
        Task.FromResult(handle == "bob" ? ChatHandleLookup.Found("U0BOB") : ChatHandleLookup.NotFound($"User with handle '{handle}' not found"));
}

/// <summary>A relay transport that drops everything (no relays in these tests).</summary>
sealed class SilentTransport : IRelayTransport
{
    public ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
