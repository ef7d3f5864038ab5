using Cog.Manifest.Packages;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Triggers;
using Cog.Runtime.Tests.Bundles;
using Cog.Runtime.Tests.Relays;
using Cog.Testing;

namespace Cog.Runtime.Tests.Pipeline;

/// <summary>The pipeline front door as the server wires it: a real SQLite store with the <c>operable</c> bundle
/// installed, the store-backed directory, the built-in commands with their administration services, the engine with the
/// durable audit log, and the runner.</summary>
sealed class RunnerWorld : IAsyncDisposable
{
    readonly StoreWorld _world;

    RunnerWorld(StoreWorld world)
    {
        _world = world;
        Writer = new AuditWriter(world.Store.Audit, TestAuditKeys.Default);
        Running = new RunningPipelines(world.Time);
        var audit = new AdminAudit(Writer, world.Time);
        var passwords = new PasswordHasher(new PasswordHasherOptions { WorkFactor = PasswordHasherOptions.MinimumWorkFactor });
        Services = new BuiltInAdminServices(
            new UserAdministration(world.Store, passwords, audit, world.Directory, [Slack]),
            new GroupAdministration(world.Store, audit, world.Directory),
            new RoleAdministration(world.Store, audit, world.Directory),
            new PermissionAdministration(world.Store, audit, world.Directory),
            new BundleAdministration(world.Store, world.Registry, audit),
            new RuleAdministration(world.Store, audit, world.Directory),
            new RelayAdministration(world.Store, world.Registry, audit, world.Directory, world.Time),
            new RelayGroupAdministration(world.Store, world.Registry, audit, world.Directory, world.Time),
            new TriggerAdministration(world.Store, audit),
            new Uri("https://cog.example.com/"),
            new RelayMonitor(LiveRelays, world.Registry));
        Commands = new BuiltInCommands(world.Directory, new StoreBundleDocumentation(world.Store), new InMemoryNamedDataStore(), world.Time,
            BuiltInOptions.Default, new BuiltInAdministration(world.Store,
                new global::Cog.Runtime.Cluster.ClusterPipelines(Running, new global::Cog.Runtime.Cluster.LocalServerBus("test"), world.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<global::Cog.Runtime.Cluster.ClusterPipelines>.Instance), audit, world.Directory, Services));
        Engine = new PipelineEngine(world.Directory, Commands, new PipelineAuditLog(Writer), world.Time, PipelineEngineOptions.Default);
        Runner = new PipelineRunner(Engine, Running, world.Store.History, world.Time, Log, PipelineRunnerOptions.Default with { Instance = "test" });
    }

    public StoreWorld Store => _world;

    /// <summary>The administration services of the administrative commands.</summary>
    public BuiltInAdminServices Services { get; }

    /// <summary>What relays report live (empty until a test applies a status).</summary>
    public RelayRegistry LiveRelays { get; } = new(TimeProvider.System);

    /// <summary>The <c>slack</c> chat provider the callers write from (it knows the handles it is told about).</summary>
    public Identity.FakeSlackResolver Slack { get; } = new();

    public AuditWriter Writer { get; }

    public RunningPipelines Running { get; }

    public BuiltInCommands Commands { get; }

    public PipelineEngine Engine { get; }

    public PipelineRunner Runner { get; }

    public CollectingLogger<PipelineRunner> Log { get; } = new();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<RunnerWorld> OpenAsync()
    {
        var world = await StoreWorld.OpenAsync();
        using (var package = new MemoryStream())
        {
            var packaged = BundlePackage.Create(Path.Combine(RepositoryPaths.Root, "bundles", "operable"), package);
            Assert.True(packaged.Succeeded, packaged.Error);
            (await world.Registry.InstallAsync(package.ToArray(), enable: true, Ct)).GetValueOrThrow();
        }
        return new RunnerWorld(world);
    }

    /// <summary>A user in the store, as the caller of chat pipelines in room <c>ops</c>.</summary>
    public async Task<PipelineCaller> CallerAsync(string username, params string[] permissions)
    {
        var user = await _world.UserAsync(username);
        foreach (var permission in permissions)
            await _world.GrantAsync(user, permission);
        _world.Directory.GrantsChanged();
        return new PipelineCaller(user.Id, user.Username, username + ".chat", user.EmailAddress, "slack");
    }

    public Task<PipelineOutcome> RunAsync(PipelineCaller caller, string text) => Runner.RunAsync(new PipelineRequest(text, caller, Some.Ops), Ct);

    public Task<PipelineExplanation> ExplainAsync(PipelineCaller caller, string text) => Runner.ExplainAsync(new PipelineRequest(text, caller, Some.Ops), Ct);

    /// <summary>The audit records of one kind, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> AuditAsync(string kind) =>
        await _world.Store.Audit.ListAsync(new AuditQuery(Kind: kind, Limit: 1000), Ct);

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync();
        await _world.DisposeAsync();
    }
}
