using System.Collections.Immutable;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cog.Language.Resolution;
using Cog.Language.Rules;
using Cog.Manifest;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Bundles;
using Cog.Runtime.Diagnostics;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Triggers;
using Cog.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Api.Tests;

/// <summary>The REST API on an in-memory server (TestHost) over a real SQLite store on a temporary file, with the real
/// pipeline engine running the built-in <c>operable</c> commands (the production runner is another helper's work: a
/// small runner over <see cref="RunningPipelines"/> stands in, and explanations are hand-made).</summary>
sealed class ApiWorld : IAsyncDisposable
{
    static readonly Lazy<BundleManifest> Operable = new(() =>
        ManifestLoader.LoadDirectory(Path.Combine(RepositoryPaths.Root, "bundles", "operable")).Manifest
        ?? throw new InvalidOperationException("bundles/operable does not load."));

    readonly string _folder;
    readonly AuditWriter _writer;
    WebApplication? _app;

    ApiWorld(string folder, IStore store)
    {
        (_folder, Store) = (folder, store);
        Directory = new StorePipelineDirectory(store, new StorePipelineDirectoryOptions(), TimeProvider.System);
        _writer = new AuditWriter(store.Audit);
        var directory = new OperableDirectory(Directory, new OperableSpace(Operable.Value));
        var commands = new BuiltInCommands(directory, new StaticBundleDocumentation([]), new InMemoryNamedDataStore(), TimeProvider.System, BuiltInOptions.Default);
        Running = new RunningPipelines(TimeProvider.System);
        var engine = new PipelineEngine(directory, commands, new PipelineAuditLog(_writer), TimeProvider.System, PipelineEngineOptions.Default);
        Runner = new TestRunner(new PipelineRunner(engine, Running, store.History, TimeProvider.System, NullLogger<PipelineRunner>.Instance,
            PipelineRunnerOptions.Default));
    }

    public IStore Store { get; }

    public StorePipelineDirectory Directory { get; }

    public RunningPipelines Running { get; }

    public TestRunner Runner { get; }

    public string DatabasePath => Path.Combine(_folder, SqliteStoreOptions.DefaultFileName);

    public HttpClient Http { get; private set; } = null!;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Opens the store and starts the API; <paramref name="configure"/> adds or replaces services.</summary>
    public static async Task<ApiWorld> StartAsync(Action<IServiceCollection>? configure = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-api-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        await store.MigrateAsync(Ct);
        // The operable permissions exist once the built-in bundle is installed (its commands come from OperableSpace).
        (await store.Bundles.InstallAsync(new BundleInstall(Bundle.BuiltInName, Operable.Value.Version, "{}", null, null, null,
            [.. Operable.Value.Permissions.Select(static p => p[(p.IndexOf(':', StringComparison.Ordinal) + 1)..])], [], [], TimeProvider.System.GetUtcNow()), Ct)).GetValueOrThrow();
        var world = new ApiWorld(folder, store);
        await world.StartHostAsync(configure);
        return world;
    }

    async Task StartHostAsync(Action<IServiceCollection>? configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddCogApi();
        services.AddSingleton(Store);
        services.AddSingleton<IPipelineDirectory>(Directory);
        services.AddSingleton<IDirectoryChanges>(Directory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new AdminAudit(_writer, TimeProvider.System));
        services.AddSingleton<IPipelineRunner>(sp => new MeteredPipelineRunner(Runner, sp.GetRequiredService<CogMetrics>(), TimeProvider.System));
        services.AddSingleton<IPipelineMonitor>(Running);
        services.AddSingleton<TriggerAdministration>();
        services.AddSingleton(new TriggerInvokerOptions());
        services.AddSingleton(sp => new TriggerInvoker(Store, sp.GetRequiredService<IPipelineRunner>(), TimeProvider.System,
            sp.GetRequiredService<TriggerInvokerOptions>(), NullLogger<TriggerInvoker>.Instance));
        services.AddSingleton<IRelayCredentialStore>(new InMemoryRelayCredentialStore());
        services.AddSingleton<IRelayPackageSource>(new InMemoryRelayPackageSource());
        configure?.Invoke(services);
        _app = builder.Build();
        _app.UseCogApi();
        _app.MapCogApi();
        await _app.StartAsync(Ct);
        Http = _app.GetTestClient();
    }

    /// <summary>A user holding <paramref name="permissions"/> (<c>bundle:name</c>) through a group and role of their
    /// own, and an API token for them.</summary>
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
        var now = TimeProvider.System.GetUtcNow();
        (await Store.Tokens.CreateAsync(new ApiToken(StoreId.New(), user.Id, ApiTokenHash.Compute(token), now, now + lifetime), Ct)).GetValueOrThrow();
        return token;
    }

    /// <summary>Sends a request; <paramref name="json"/> is sent as <c>application/json</c>.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, string? json = null) =>
        SendAsync(method, path, token, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Sends a request with any content.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return Http.SendAsync(request, Ct);
    }

    /// <summary>The status and the body as compact JSON text ("" when empty).</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (text.Length == 0)
                return (response.StatusCode, "");
            using var document = JsonDocument.Parse(text);
            return (response.StatusCode, JsonSerializer.Serialize(document.RootElement, Compact));
        }
    }

    /// <summary>The status and the parsed body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> ReadJsonAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(Ct);
            using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
            return (response.StatusCode, document.RootElement.Clone());
        }
    }

    /// <summary>Stops the host, then closes the store and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
            await _app.DisposeAsync();
        await _writer.DisposeAsync();
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

    /// <summary>Permissions and aliases from the store; the command space is the built-in bundle alone.</summary>
    sealed class OperableDirectory(StorePipelineDirectory store, ICommandSpace space) : IPipelineDirectory
    {
        public ValueTask<ICommandSpace> GetCommandSpaceAsync(CancellationToken cancellationToken) => ValueTask.FromResult(space);

        public ValueTask<AliasCatalog> GetUserAliasesAsync(string userId, CancellationToken cancellationToken) => store.GetUserAliasesAsync(userId, cancellationToken);

        public ValueTask<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken) => store.GetPermissionsAsync(userId, cancellationToken);
    }

    /// <summary>The <c>operable</c> manifest's commands and rules.</summary>
    sealed class OperableSpace : ICommandSpace
    {
        readonly Dictionary<string, ImmutableArray<RuleSyntax>> _rules = new(StringComparer.Ordinal);

        public OperableSpace(BundleManifest manifest)
        {
            Commands = new CommandCatalog([new InstalledBundle(manifest.Name, manifest.Version, manifest.Commands.Select(c => new Cog.Language.Resolution.BundleCommand(c.Name, c.Options)))]);
            foreach (var command in manifest.Commands)
                _rules[command.Name] = [.. command.Rules.Select(r => RuleParser.Parse(r).Value!)];
        }

        public CommandCatalog Commands { get; }

        public AliasCatalog SiteAliases => AliasCatalog.Empty;

        public ImmutableArray<RuleSyntax> RulesFor(string bundle, string command) => _rules.GetValueOrDefault(command, []);

        public TimeSpan TimeoutFor(string bundle, string command) => TimeSpan.FromSeconds(60);
    }
}
