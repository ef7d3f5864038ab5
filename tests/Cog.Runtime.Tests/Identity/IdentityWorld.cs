using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Relays;
using Cog.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Identity;

/// <summary>The identity services over a real SQLite store on a temporary file, with the real <c>operable</c> bundle
/// installed (its permissions), a real audit writer, a counting directory-change seam and a fake clock.</summary>
sealed class IdentityWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    readonly string _folder;

    IdentityWorld(IStore store, string folder)
    {
        (Store, _folder) = (store, folder);
        Writer = new AuditWriter(store.Audit, TestAuditKeys.Default);
        var audit = new AdminAudit(Writer, Time);
        Passwords = new PasswordHasher(new PasswordHasherOptions { WorkFactor = PasswordHasherOptions.MinimumWorkFactor });
        Users = new UserAdministration(store, Passwords, audit, Changes, [new WebChatHandleResolver(), Resolver]);
        Groups = new GroupAdministration(store, audit, Changes);
        Roles = new RoleAdministration(store, audit, Changes);
        Permissions = new PermissionAdministration(store, audit, Changes);
        Audit = audit;
        Tokens = new ApiTokens(store, Passwords, new ApiTokenOptions(), new SignInThrottle(new SignInThrottleOptions(), Time), audit, Time,
            NullLogger<ApiTokens>.Instance);
        Bootstrap = new Bootstrap(store, Passwords, audit, Changes, Time, Users);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public AdminAudit Audit { get; }

    public IStore Store { get; }

    public AuditWriter Writer { get; }

    public CountingChanges Changes { get; } = new();

    public FakeSlackResolver Resolver { get; } = new();

    public PasswordHasher Passwords { get; }

    public UserAdministration Users { get; }

    public GroupAdministration Groups { get; }

    public RoleAdministration Roles { get; }

    public PermissionAdministration Permissions { get; }

    public ApiTokens Tokens { get; }

    public Bootstrap Bootstrap { get; }

    public static AdminActor Alice { get; } = AdminActor.Api("alice");

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh store; with <paramref name="operable"/>, the embedded bundle installed as the server does.</summary>
    public static async Task<IdentityWorld> OpenAsync(bool operable = true)
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-identity-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        await store.MigrateAsync(Ct);
        var world = new IdentityWorld(store, folder);
        if (operable)
        {
            var registry = new BundleRegistry(store, new FakeRelayTransport(), world.Changes,
                new BundleRegistryOptions { ServerUrl = new Uri("https://cog.example.com/"), ScratchDirectory = Path.Combine(folder, "scratch"), SkipChecks = true },
                world.Time, NullLogger<BundleRegistry>.Instance);
            var manifest = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "bundles", "operable", "config.yaml"), Ct);
            var installed = await registry.InstallAsync(Bundles.StoreWorld.Archive(manifest), enable: true, Ct);
            Assert.True(installed.IsSuccess, installed.Error?.Message);
            world.Changes.Reset();
        }
        return world;
    }

    /// <summary>Bootstraps with admin/secret and returns the world.</summary>
    public async Task<IdentityWorld> BootstrappedAsync()
    {
        (await Bootstrap.BootstrapAsync(new UserFields("admin", "admin@example.com", "Ada", "Admin", "secret"), AdminActor.Api(null), Ct))
            .GetValueOrThrow();
        Changes.Reset();
        return this;
    }

    public async Task<User> UserAsync(string username, string password = "pw") =>
        (await Users.CreateAsync(Alice, new UserFields(username, username + "@example.com", null, null, password), Ct)).GetValueOrThrow().User;

    /// <summary>The audit records of one kind, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string kind) =>
        await Store.Audit.ListAsync(new AuditQuery(Kind: kind, Limit: 1000), Ct);

    public async ValueTask DisposeAsync()
    {
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
}

/// <summary>Counts the directory-change calls.</summary>
sealed class CountingChanges : IDirectoryChanges
{
    public int Grants { get; private set; }

    public int Relays { get; private set; }

    public int Catalog { get; private set; }

    public void Reset() => (Grants, Relays, Catalog) = (0, 0, 0);

    public void CatalogChanged() => Catalog++;

    public void UserAliasesChanged(string userId)
    {
    }

    public void GrantsChanged() => Grants++;

    public void RelaysChanged() => Relays++;

    public void ConfigChanged()
    {
    }
}

/// <summary>A <c>slack</c> provider that knows the handles it was told about.</summary>
sealed class FakeSlackResolver : IChatHandleResolver
{
    public Dictionary<string, string> Known { get; } = new(StringComparer.Ordinal) { ["bob"] = "U0BOB", ["ada"] = "U0ADA" };

    public string Provider => "slack";

    public Task<ChatHandleLookup> ResolveAsync(string handle, CancellationToken cancellationToken) =>
        Task.FromResult(Known.TryGetValue(handle, out var id) ? ChatHandleLookup.Found(id) : ChatHandleLookup.NotFound($"User with handle '{handle}' not found"));
}
