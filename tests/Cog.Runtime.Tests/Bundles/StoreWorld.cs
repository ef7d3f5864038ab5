using System.IO.Compression;
using System.Text;
using Cog.Manifest.Packages;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Sqlite;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Relays;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Tests.Bundles;

/// <summary>A real SQLite store on a temporary file with the registry, the cached directory and a fake transport.</summary>
sealed class StoreWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    public static readonly Uri ServerUrl = new("https://cog.example.com/");

    readonly string _folder;

    StoreWorld(IStore store, string folder)
    {
        (Store, _folder) = (store, folder);
        Directory = new StorePipelineDirectory(store, new StorePipelineDirectoryOptions(), Time, NullLogger<StorePipelineDirectory>.Instance);
        Registry = NewRegistry();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public IStore Store { get; }

    public FakeRelayTransport Transport { get; } = new();

    public StorePipelineDirectory Directory { get; }

    public BundleRegistry Registry { get; }

    public string ScratchFolder => Path.Combine(_folder, "scratch");

    /// <summary>The SQLite file, for tampering with it directly.</summary>
    public string DatabasePath => Path.Combine(_folder, SqliteStoreOptions.DefaultFileName);

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<StoreWorld> OpenAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cog-registry-" + Guid.NewGuid().ToString("N")[..12]);
        var store = SqliteStore.Open(new SqliteStoreOptions { Path = Path.Combine(folder, SqliteStoreOptions.DefaultFileName) });
        await store.MigrateAsync(Ct);
        return new StoreWorld(store, folder);
    }

    /// <summary>A second registry over the same store and transport, as after a server restart.</summary>
    public BundleRegistry NewRegistry() => new(Store, Transport, Directory,
        // The checks before run time run in a child process and have their own tests (Cog.Api.Tests BundleInstallCheckTests,
        // Cog.Cli.Tests BundleCodeCheckTests); the registry's own behaviour is tested here without them.
        new BundleRegistryOptions { ServerUrl = ServerUrl, ScratchDirectory = ScratchFolder, SkipChecks = true }, Time, NullLogger<BundleRegistry>.Instance);

    public async Task<BundleVersion> InstallAsync(string manifest, bool enable = false) =>
        (await Registry.InstallManifestAsync(manifest, enable, Ct)).GetValueOrThrow();

    public async Task<RelayRecord> RelayAsync(string name, bool enabled = true) =>
        (await Store.Relays.CreateAsync(new RelayRecord(StoreId.New(), name, RelayToken.Hash("token-" + name), null, enabled, Start), Ct)).GetValueOrThrow();

    public async Task<RelayGroup> RelayGroupAsync(string name) =>
        (await Store.Relays.CreateGroupAsync(new RelayGroup(StoreId.New(), name, null, Start), Ct)).GetValueOrThrow();

    public async Task<User> UserAsync(string username) =>
        (await Store.Users.CreateAsync(new User(StoreId.New(), username, username + "@example.com", null, null, "hash"), Ct)).GetValueOrThrow();

    /// <summary>Puts <paramref name="user"/> in a new group with a new role holding <paramref name="permission"/>
    /// (<c>bundle:name</c>), directly in the store (the directory is not told).</summary>
    public async Task GrantAsync(User user, string permission)
    {
        var (ns, name) = (permission[..permission.IndexOf(':', StringComparison.Ordinal)], permission[(permission.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        var found = await Store.Permissions.FindAsync(ns, name, Ct)
            ?? (await Store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), ns, name, null), Ct)).GetValueOrThrow();
        var role = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "role-" + Guid.NewGuid().ToString("N")[..8]), Ct)).GetValueOrThrow();
        (await Store.Roles.GrantPermissionAsync(role.Id, found.Id, Ct)).GetValueOrThrow();
        var group = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "group-" + Guid.NewGuid().ToString("N")[..8]), Ct)).GetValueOrThrow();
        (await Store.Groups.GrantRoleAsync(group.Id, role.Id, Ct)).GetValueOrThrow();
        (await Store.Groups.AddMemberAsync(group.Id, user.Id, Ct)).GetValueOrThrow();
    }

    /// <summary>A version 5 manifest of bundle <paramref name="name"/> with one executable command <c>release</c>.</summary>
    public static string Manifest(string name = "deploy", string version = "1.0.0", string command = "release", string rule = "must have deploy:release") => $"""
        cog_bundle_version: 5
        name: {name}
        description: Deploys things
        version: "{version}"
        permissions:
          - {name}:release
        commands:
          {command}:
            executable: /opt/{name}/{command}
            description: Releases a host
            options:
              env:
                type: string
                description: Where to
              force:
                type: bool
                short_flag: f
            rules:
              - {rule}
        """;

    /// <summary>A version 6 script bundle package (<c>cogctl bundle package</c>) with a 5 s timeout on <c>echo</c>.</summary>
    public byte[] ScriptPackage(string name = "scripted", string version = "0.1.0")
    {
        var source = Path.Combine(_folder, "src-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(Path.Combine(source, "scripts"));
        File.WriteAllText(Path.Combine(source, "config.yaml"), $"""
            cog_bundle_version: 6
            name: {name}
            description: Echoes
            version: "{version}"
            commands:
              echo:
                script: scripts/echo.csx
                timeout: 5s
                rules:
                  - allow
              plain:
                script: scripts/echo.csx
                rules:
                  - allow
            """);
        File.WriteAllText(Path.Combine(source, "scripts", "echo.csx"), "return Ok(Args);\n");
        using var output = new MemoryStream();
        var result = BundlePackage.Create(source, output);
        Assert.True(result.Succeeded, result.Error);
        return output.ToArray();
    }

    /// <summary>A ZIP archive with one <c>config.yaml</c> of the given text.</summary>
    public static byte[] Archive(string manifest)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry("config.yaml");
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(manifest));
        }
        return output.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
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
}
