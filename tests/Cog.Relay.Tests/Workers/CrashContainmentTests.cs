using System.Diagnostics;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Tests.Execution.Scripts;
using Cog.Relay.Tests.Support;
using Cog.Sdk;
using Cog.Testing;
using Cog.Worker;
using static Cog.Relay.Tests.Execution.Assemblies.PluginFixtures;

namespace Cog.Relay.Tests.Workers;

/// <summary>
/// Bundle code that crashes, runs away or exhausts memory takes down only its own worker process: the invocation gets a
/// clear error, and the next invocation on the same pool runs in a fresh worker and succeeds. Real worker processes,
/// started through the unconfined sandbox.
/// </summary>
public sealed class CrashContainmentTests : IAsyncDisposable
{
    const string Prefix = "Cog.Fixtures.Misbehaving.";
    readonly ScriptTestBundle _scripts = new();
    readonly WorkerKit _kit = new(WorkerOptions.Default with { MemoryLimitMb = 256 });
    readonly WorkerPool _scriptPool;
    readonly WorkerPool _pluginPool;

    public CrashContainmentTests()
    {
        _scriptPool = _kit.Load("tests", _scripts.BundleDirectory);
        _pluginPool = _kit.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));
    }

    public async ValueTask DisposeAsync()
    {
        await _kit.DisposeAsync();
        _scripts.Dispose();
    }

    static CancellationToken Cancel => TestContext.Current.CancellationToken;

    Task<ExecutionOutcome> Script(string code, CancellationToken cancellationToken)
    {
        var file = _scripts.Write($"s{Guid.NewGuid():N}.csx", code);
        return _kit.RunAsync(_scripts.Invocation(file), cancellationToken);
    }

    Task<ExecutionOutcome> Plugin(string type, CancellationToken cancellationToken) =>
        _kit.RunAsync(Invocation("misbehaving", Folder(Misbehaving), Prefix + type), cancellationToken);

    async Task<int> ScriptWorkerAsync() => (await WarmAsync(_scriptPool, () => Script("return new { ok = true };", Cancel))).ProcessId;

    async Task<int> PluginWorkerAsync() => (await WarmAsync(_pluginPool, () => Plugin("Aborts", Cancel))).ProcessId;

    /// <summary>Runs a harmless invocation, so the crash under test happens in a started worker, and returns that worker.</summary>
    static async Task<WorkerConnection> WarmAsync(WorkerPool pool, Func<Task<ExecutionOutcome>> run)
    {
        var outcome = await run();
        Assert.NotEqual(CommandStatus.Error, outcome.Status);
        return Assert.Single(pool.Workers);
    }

    async Task NextScriptSucceedsInAnotherWorkerAsync(int crashed)
    {
        var next = await Script("return new { ok = true };", Cancel);
        Assert.Equal(["""{"ok":true}"""], next.Items.Select(i => i.GetRawText()));
        Assert.NotEqual(crashed, Assert.Single(_scriptPool.Workers).ProcessId);
    }

    async Task NextPluginSucceedsInAnotherWorkerAsync(int crashed)
    {
        var next = await Plugin("Aborts", Cancel);
        Assert.Equal(CommandStatus.Abort, next.Status);
        Assert.NotEqual(crashed, Assert.Single(_pluginPool.Workers).ProcessId);
    }

    [Fact]
    public async Task A_script_recursing_without_end_crashes_only_its_worker()
    {
        var worker = await ScriptWorkerAsync();

        var outcome = await Script("int Down(int n) => Down(n + 1) + 1;\nreturn new { n = Down(0) };", Cancel);

        Assert.Equal("The command crashed: stack overflow", outcome.Message);
        await NextScriptSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_busy_looping_script_is_stopped_at_its_timeout_by_killing_its_worker()
    {
        var worker = await ScriptWorkerAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var outcome = await Script("while (true) { }", timeout.Token);

        Assert.Equal(ExecutionErrors.Cancelled, outcome.Message);
        Assert.Contains(_kit.Logs.Texts, t => t.Contains("tests:cmd did not stop within 500 ms of its cancellation", StringComparison.Ordinal));
        await NextScriptSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task The_other_invocations_of_a_killed_worker_are_told_another_command_ran_away()
    {
        var worker = await ScriptWorkerAsync();
        var bystander = Script("await Task.Delay(-1, CancellationToken); return null;", Cancel);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var runaway = await Script("while (true) { }", timeout.Token);

        Assert.Equal(ExecutionErrors.Cancelled, runaway.Message);
        Assert.Equal(
            "The command crashed: another command in the same worker (cmd) did not stop when its time ran out, so the worker was killed",
            (await bystander).Message);
        await NextScriptSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_script_allocating_3_GB_fails_clearly_and_its_worker_is_replaced()
    {
        var worker = await ScriptWorkerAsync();

        var outcome = await Script("""
            var chunks = new List<byte[]>();
            for (var i = 0; i < 3 * 1024; i++) chunks.Add(new byte[1024 * 1024]);
            return new { n = chunks.Count };
            """, Cancel);

        Assert.Equal("The command ran out of memory: it needed more than its worker's memory limit.", outcome.Message);
        await NextScriptSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_plugin_calling_Environment_Exit_crashes_only_its_worker()
    {
        var worker = await PluginWorkerAsync();

        var outcome = await Plugin("ExitsProcess", Cancel);

        Assert.Equal("The command crashed: the worker exited with code 3", outcome.Message);
        await NextPluginSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_plugin_throwing_from_async_void_crashes_only_its_worker()
    {
        // A plug-in, because the script check refuses async void in scripts (COG1008).
        var worker = await PluginWorkerAsync();

        var outcome = await Plugin("ThrowsFromAsyncVoid", Cancel);

        Assert.Equal("The command crashed: an exception escaped: InvalidOperationException: boom", outcome.Message);
        await NextPluginSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_plugin_overflowing_its_stack_crashes_only_its_worker()
    {
        var worker = await PluginWorkerAsync();

        var outcome = await Plugin("Recurses", Cancel);

        Assert.Equal("The command crashed: stack overflow", outcome.Message);
        await NextPluginSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_plugin_writing_to_the_channel_breaks_and_kills_only_its_worker()
    {
        var worker = await PluginWorkerAsync();

        var outcome = await Plugin("WritesToChannel", Cancel);

        Assert.StartsWith("The command crashed: the worker broke its channel to the relay (Malformed channel frame: a frame of ", outcome.Message, StringComparison.Ordinal);
        await NextPluginSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_worker_killed_from_outside_answers_its_invocations_with_the_signal()
    {
        var worker = await PluginWorkerAsync();
        var running = Plugin("HonoursCancellation", Cancel);
        await Eventually.TrueAsync(() => _pluginPool.Workers.Single().Running == 1, "the invocation to run");

        using (var process = Process.GetProcessById(worker))
        {
            process.Kill();
        }

        Assert.Equal("The command crashed: killed by signal 9", (await running).Message);
        await NextPluginSucceedsInAnotherWorkerAsync(worker);
    }

    [Fact]
    public async Task A_command_writing_to_the_console_lands_in_the_relay_log_tagged_with_bundle_and_worker()
    {
        var worker = await PluginWorkerAsync();

        var outcome = await Plugin("WritesToConsole", Cancel);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        await _kit.Logs.WaitForAsync($"misbehaving worker {worker}: to the console");
    }

    [Fact]
    public async Task A_worker_sees_only_its_own_environment()
    {
        Environment.SetEnvironmentVariable("COG_RELAY_TOKEN", "secret-of-the-relay");
        try
        {
            var outcome = await Plugin("ShowsEnvironment", Cancel);

            var names = Assert.Single(outcome.Items).GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray();
            Assert.Equal(
                ["DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_EnableDiagnostics", "DOTNET_GCHeapHardLimit", "DOTNET_ROOT", "DOTNET_gcServer", "HOME", "LANG", "PATH", "TMPDIR"],
                names);
        }
        finally
        {
            Environment.SetEnvironmentVariable("COG_RELAY_TOKEN", null);
        }
    }
}
