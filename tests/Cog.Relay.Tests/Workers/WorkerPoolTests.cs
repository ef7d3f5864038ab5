using Cog.Relay.Execution;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Isolation;
using Cog.Relay.Tests.Execution.Scripts;
using Cog.Relay.Tests.Support;
using Cog.Testing;
using Cog.Worker;
using Cog.Worker.Protocol;
using static Cog.Relay.Tests.Execution.Assemblies.PluginFixtures;

namespace Cog.Relay.Tests.Workers;

/// <summary>How a bundle version's pool keeps, grows, shares and stops its worker processes.</summary>
public sealed class WorkerPoolTests : IAsyncDisposable
{
    const string Prefix = "Cog.Fixtures.Misbehaving.";
    readonly List<WorkerKit> _kits = [];
    readonly ScriptTestBundle _scripts = new();

    public async ValueTask DisposeAsync()
    {
        foreach (var kit in _kits)
        {
            await kit.DisposeAsync();
        }
        _scripts.Dispose();
    }

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    WorkerKit Kit(WorkerOptions options)
    {
        var kit = new WorkerKit(options, _scripts.CacheDirectory);
        _kits.Add(kit);
        return kit;
    }

    static Task<ExecutionOutcome> Plugin(WorkerKit kit, string type, CancellationToken cancellationToken) =>
        kit.RunAsync(Invocation("misbehaving", Folder(Misbehaving), Prefix + type), cancellationToken);

    [Fact]
    public async Task Loading_a_version_starts_its_warm_workers_before_any_invocation()
    {
        var kit = Kit(WorkerOptions.Default with { MinWarm = 2 });

        var pool = kit.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));

        await Eventually.TrueAsync(() => pool.Workers.Count == 2, "two warm workers");
    }

    [Fact]
    public async Task Many_invocations_run_at_once_in_one_worker()
    {
        var kit = Kit(WorkerOptions.Default with { MaxWorkers = 1, InvocationsPerWorker = 1 });
        var pool = kit.Load("tests", _scripts.BundleDirectory);
        var file = _scripts.Write("n.csx", "await Store.AppendAsync(\"seen\", Input, CancellationToken); return new { n = Args.GetInt64(0) };");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => kit.RunAsync(_scripts.Invocation(file, args: [i]), Cancel)));

        Assert.Equal(Enumerable.Range(0, 64).Select(i => $$"""{"n":{{i}}}"""), outcomes.Select(o => Assert.Single(o.Items).GetRawText()));
        Assert.Equal(64, _scripts.Store.Values["seen"].GetArrayLength());
        Assert.Single(pool.Workers);
        Assert.Equal(1, kit.Scripts.Compilations);
    }

    [Fact]
    public async Task A_busy_pool_grows_up_to_its_maximum_and_shares_the_least_loaded_workers()
    {
        var kit = Kit(WorkerOptions.Default with { MinWarm = 1, MaxWorkers = 3, InvocationsPerWorker = 2 });
        var pool = kit.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));
        using var release = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        var waiting = Enumerable.Range(0, 8).Select(_ => Plugin(kit, "HonoursCancellation", release.Token)).ToArray();
        await Eventually.TrueAsync(() => pool.Workers.Sum(w => w.Running) == 8, "eight invocations to run");
        var running = pool.Workers.Select(w => w.Running).Order().ToArray();
        await release.CancelAsync();
        var outcomes = await Task.WhenAll(waiting);

        Assert.Equal([2, 3, 3], running);
        Assert.All(outcomes, o => Assert.Equal(ExecutionErrors.Cancelled, o.Message));
    }

    [Fact]
    public async Task An_unloaded_version_finishes_its_running_invocations_then_its_workers_exit()
    {
        var kit = Kit(WorkerOptions.Default);
        var pool = kit.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));
        using var release = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var running = Plugin(kit, "HonoursCancellation", release.Token);
        await Eventually.TrueAsync(() => pool.Workers.Sum(w => w.Running) == 1, "the invocation to run");
        var worker = Assert.Single(pool.Workers);

        kit.Engine.Unload(Folder(Misbehaving));
        var refused = await Plugin(kit, "Aborts", Cancel);
        var stillRunning = !worker.Exited.IsCompleted;
        await release.CancelAsync();

        Assert.True(stillRunning, "the worker was closed while an invocation ran");
        Assert.Equal(ExecutionErrors.Cancelled, (await running).Message);
        Assert.Equal("The bundle 'misbehaving' is not loaded on this relay.", refused.Message);
        await worker.Exited.WaitAsync(Eventually.Limit, Cancel);
        Assert.Equal("the worker exited with code 0", worker.ExitReason);
    }

    [Fact]
    public void A_folder_loaded_twice_keeps_its_pool_until_the_last_unload()
    {
        var kit = Kit(WorkerOptions.Default);
        var pool = kit.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));
        kit.Engine.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));

        kit.Engine.Unload(Folder(Misbehaving));
        var afterFirst = kit.Engine.PoolOf(Folder(Misbehaving));
        kit.Engine.Unload(Folder(Misbehaving));

        Assert.Same(pool, afterFirst);
        Assert.Null(kit.Engine.PoolOf(Folder(Misbehaving)));
    }

    [Fact]
    public async Task A_worker_that_cannot_start_fails_the_invocation_with_the_reason()
    {
        var kit = Kit(WorkerOptions.Default);
        var request = new SandboxRequest("/nonexistent/dotnet", ["exec", WorkerEngine.WorkerProgram], WorkerEngine.Environment(WorkerOptions.Default),
            "misbehaving", Folder(Misbehaving), []);
        await using var pool = new WorkerPool(r => SandboxedWorkerProcess.Start(new UnconfinedSandbox(), r), request, new HelloMessage(Frames.ProtocolVersion, "misbehaving", Folder(Misbehaving), null),
            WorkerOptions.Default, kit.Logs.CreateLogger("test"), TimeProvider.System);

        var outcome = await pool.RunAsync(Invocation("misbehaving", Folder(Misbehaving), Prefix + "Aborts"), null, ExecutionLimits.Default, Cancel);

        Assert.StartsWith("No worker could be started for the bundle 'misbehaving': ", outcome.Message, StringComparison.Ordinal);
        Assert.Contains(kit.Logs.Texts, t => t.StartsWith("No worker could be started for misbehaving: ", StringComparison.Ordinal));
        Assert.Empty(pool.Workers);
    }
}
