using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Manifest;
using Cog.Relay.Bundles;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Execution.Scripts;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Cog.Testing;

namespace Cog.Relay.Tests.Support;

/// <summary>
/// A test double of <see cref="IBundleHost"/>: serves bundles straight from folders (the examples, the fixture
/// bundles) with the real engines, and records the assignments it is given. No downloads, no verification.
/// </summary>
sealed class TestBundleHost : IBundleHost
{
    readonly ConcurrentDictionary<(string, string), ReadyBundle> _ready = new();
    readonly ConcurrentQueue<BundleAssignments> _applied = new();
    readonly WorkerEngine _workers;
    readonly ExecutableEngine _executables = new(TestSandbox.Instance);
    readonly string _cache = Path.Combine(Path.GetTempPath(), "cog-relay-tests", Guid.NewGuid().ToString("N"));

    public TestBundleHost()
    {
        _workers = new WorkerEngine(new CompiledScripts(Path.Combine(_cache, "scripts")), new UnconfinedSandbox(), WorkerOptions.Default,
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TimeProvider.System);
    }

    public event EventHandler<BundleSnapshot>? Changed;

    /// <summary>When set, runs every command of the given kind instead of the real engine.</summary>
    internal Func<CommandKind, ICommandEngine?>? EngineOverride { get; set; }

    public IReadOnlyList<BundleAssignments> Applied => [.. _applied];

    public BundleSnapshot Current => new([.. _ready.Values.OrderBy(b => b.Name, StringComparer.Ordinal)], []);


    public static string Example(string name) => RepositoryPaths.Example(name);

    /// <summary>Serves the bundle in <paramref name="directory"/> (its config.yaml), or, with
    /// <paramref name="manifestText"/>, that manifest over the directory's files.</summary>
    public ReadyBundle Add(string directory, string? manifestText = null)
    {
        var result = manifestText is null
            ? ManifestLoader.LoadDirectory(directory)
            : ManifestLoader.Parse(manifestText, "config.yaml", directory);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var manifest = result.Manifest!;
        // What the real bundle host does: the version's workers start.
        _workers.Load(manifest.Name, directory, manifest.Assembly);
        var ready = new ReadyBundle(manifest.Name, manifest.Version, DigestOf(manifest.Name + "@" + manifest.Version), manifest, directory);
        _ready[(manifest.Name, manifest.Version)] = ready;
        Changed?.Invoke(this, Current);
        return ready;
    }

    public void Remove(string name, string version)
    {
        if (_ready.TryRemove((name, version), out var removed))
        {
            _workers.Unload(removed.Directory);
            Changed?.Invoke(this, Current);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ApplyAsync(BundleAssignments assignments, CancellationToken cancellationToken)
    {
        _applied.Enqueue(assignments);
        return Task.CompletedTask;
    }

    public BundleLease? TryAcquire(string bundle, string version) =>
        _ready.TryGetValue((bundle, version), out var ready) ? new BundleLease(ready, () => { }) : null;

    public IsolationReport Isolation => TestSandbox.Instance.Report;

    public ICommandEngine EngineFor(ReadyBundle bundle, CommandKind kind) => EngineOverride?.Invoke(kind) ?? kind switch
    {
        CommandKind.Script or CommandKind.Type => _workers,
        _ => _executables,
    };

    public async ValueTask DisposeAsync()
    {
        await _workers.DisposeAsync();
        try
        {
            Directory.Delete(_cache, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    static string DigestOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
