using System.Diagnostics;
using Cog.Relay.Execution;
using Cog.Relay.Tests.Support;
using Cog.Sdk;

namespace Cog.Relay.Tests.Execution.Scripts;

/// <summary>Scripts compiled by the relay and run in a worker process, through the worker engine.</summary>
public sealed class ScriptCommandTests(ITestOutputHelper output) : IAsyncDisposable
{
    readonly ScriptTestBundle _bundle = new();
    readonly List<WorkerKit> _kits = [];

    public async ValueTask DisposeAsync()
    {
        foreach (var kit in _kits)
        {
            await kit.DisposeAsync();
        }
        _bundle.Dispose();
    }

    /// <summary>A new relay's engine (its own workers) over the bundle's compiled-script cache folder.</summary>
    WorkerKit NewEngine()
    {
        var kit = new WorkerKit(cacheDirectory: _bundle.CacheDirectory);
        kit.Load("tests", _bundle.BundleDirectory);
        _kits.Add(kit);
        return kit;
    }

    static Task<ExecutionOutcome> RunAsync(WorkerKit engine, CommandInvocation invocation) =>
        engine.RunAsync(invocation, TestContext.Current.CancellationToken);

    static Task<ExecutionOutcome> RunUntilAsync(WorkerKit engine, CommandInvocation invocation, CancellationToken cancellationToken) =>
        engine.RunAsync(invocation, cancellationToken);

    static string[] Json(ExecutionOutcome outcome) => [.. outcome.Items.Select(i => i.GetRawText())];

    [Fact]
    public async Task A_script_sees_arguments_options_and_input()
    {
        var file = _bundle.Write("scripts/hello.csx", """
            var name = Args.Count > 0 ? Args.GetText(0) : "world";
            var times = (int)Options.GetInt64("times", 1);
            return new { greeting = string.Concat(Enumerable.Repeat($"Hello, {name}! ", times)).TrimEnd(), from = Input.GetProperty("from").GetString() };
            """);

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file, args: ["bob"], options: [new("times", 2)], input: """{"from":"pipe"}"""));

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(["""{"greeting":"Hello, bob! Hello, bob!","from":"pipe"}"""], Json(outcome));
    }

    [Theory]
    [InlineData("return null;", new string[0])]
    [InlineData("Log.Info(\"nothing\");", new string[0])]
    [InlineData("new { a = 1 }", new[] { """{"a":1}""" })]
    [InlineData("return new[] { new { a = 1 }, new { a = 2 } };", new[] { """{"a":1}""", """{"a":2}""" })]
    [InlineData("return Enumerable.Range(1, 2).Select(i => new Dictionary<string, object> { [\"n\"] = i });", new[] { """{"n":1}""", """{"n":2}""" })]
    [InlineData("return new Dictionary<string, int> { [\"k\"] = 3 };", new[] { """{"k":3}""" })]
    [InlineData("return JsonDocument.Parse(\"[{\\\"x\\\":1},{\\\"x\\\":2}]\").RootElement;", new[] { """{"x":1}""", """{"x":2}""" })]
    [InlineData("return CommandResult.Ok(new { b = true });", new[] { """{"b":true}""" })]
    public async Task Return_values_become_output_items(string code, string[] items)
    {
        var file = _bundle.Write("scripts/r.csx", code);

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file));

        Assert.Equal((CommandStatus.Ok, null), (outcome.Status, outcome.Message));
        Assert.Equal(items, Json(outcome));
    }

    [Theory]
    [InlineData("return \"text\";", "Output item 0 is a string, but every output item must be a JSON object.")]
    [InlineData("return new object[] { new { a = 1 }, null };", "Output item 1 is null, but every output item must be a JSON object.")]
    [InlineData("return CommandResult.Error(\"no way\");", "no way")]
    public async Task Bad_results_and_error_results_fail_the_invocation(string code, string message)
    {
        var file = _bundle.Write("scripts/r.csx", code);

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file));

        Assert.Equal((CommandStatus.Error, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task A_script_in_its_worker_sees_the_invocations_trace_context()
    {
        const string parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        var file = _bundle.Write("scripts/trace.csx", "return new { trace = Context.TraceParent };");

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file, traceParent: parent));

        Assert.Equal(["{\"trace\":\"" + parent + "\"}"], Json(outcome));
    }

    [Fact]
    public async Task An_abort_keeps_its_message_and_template()
    {
        var file = _bundle.Write("scripts/a.csx", "return CommandResult.Abort(\"stop here\").WithTemplate(\"t\");");

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file));

        Assert.Equal((CommandStatus.Abort, "stop here", "t"), (outcome.Status, outcome.Message, outcome.Template));
    }

    [Fact]
    public async Task A_script_uses_the_pipeline_store_and_the_log()
    {
        var file = _bundle.Write("sort.csx", """
            await Store.AppendAsync(Context.InvocationId, Input, CancellationToken);
            if (Context.Step != InvocationStep.Last) return null;
            var all = (await Store.RemoveAsync(Context.InvocationId, CancellationToken))!.Value;
            Log.Info($"sorting {all.GetArrayLength()} items");
            return all.EnumerateArray().OrderBy(e => e.GetProperty("n").GetInt32()).ToList();
            """);
        var engine = NewEngine();

        var first = await RunAsync(engine, _bundle.Invocation(file, input: """{"n":2}""", step: InvocationStep.First));
        var last = await RunAsync(engine, _bundle.Invocation(file, input: """{"n":1}""", step: InvocationStep.Last));

        Assert.Empty(first.Items);
        Assert.Equal(["""{"n":1}""", """{"n":2}"""], Json(last));
        Assert.Equal(["info: sorting 2 items"], _bundle.Log.Entries);
        Assert.Empty(_bundle.Store.Values);
    }

    [Fact]
    public async Task A_compile_error_names_file_line_column_and_id()
    {
        var file = _bundle.Write("scripts/hello.csx", "var a = 1;\nvar b = 2;\nvar c = x;\n");

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation("./scripts/hello.csx"));

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Equal("scripts/hello.csx(3,9): error CS0103: The name 'x' does not exist in the current context", outcome.Message);
        Assert.Equal("scripts/hello.csx", file);
    }

    [Fact]
    public async Task A_forbidden_api_fails_the_invocation_before_it_runs()
    {
        var file = _bundle.Write("scripts/peek.csx", "Log.Info(\"ran\");\nreturn new { text = System.IO.File.ReadAllText(\"/etc/passwd\") };");

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file));

        Assert.Equal("scripts/peek.csx(2,21): error COG1001: 'System.IO.File.ReadAllText(string)' is not allowed in scripts (file system access).", outcome.Message);
        Assert.Empty(_bundle.Log.Entries);
    }

    [Fact]
    public async Task A_throwing_script_fails_with_the_exception()
    {
        var file = _bundle.Write("boom.csx", "throw new InvalidOperationException(\"bad state\");");

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file));

        Assert.Equal((CommandStatus.Error, "The command failed: InvalidOperationException: bad state"), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task A_typed_getter_failure_fails_with_its_message()
    {
        var file = _bundle.Write("n.csx", "return new { n = Args.GetInt64(0) };");

        var outcome = await RunAsync(NewEngine(), _bundle.Invocation(file, args: ["abc"]));

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.StartsWith("The command failed: ArgumentException: ", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_script_is_reported()
    {
        var outcome = await RunAsync(NewEngine(), _bundle.Invocation("scripts/none.csx"));

        Assert.Equal("The script 'scripts/none.csx' was not found in the bundle.", outcome.Message);
    }

    [Fact]
    public async Task A_script_path_outside_the_bundle_is_refused()
    {
        var outcome = await RunAsync(NewEngine(), _bundle.Invocation("../cache/x.csx"));

        Assert.Equal("The script path '../cache/x.csx' points outside the bundle folder.", outcome.Message);
    }

    [Fact]
    public async Task A_script_that_honours_the_token_is_cancelled()
    {
        var file = _bundle.Write("wait.csx", "await Task.Delay(-1, CancellationToken); return null;");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var outcome = await RunUntilAsync(NewEngine(), _bundle.Invocation(file), cancellation.Token);

        Assert.Equal((CommandStatus.Error, "The command was cancelled before it finished."), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task A_second_engine_loads_the_compiled_script_from_the_disk_cache()
    {
        var file = _bundle.Write("scripts/echo.csx", "return new { text = Args.JoinText() };");
        var first = NewEngine();

        var watch = Stopwatch.StartNew();
        var before = await RunAsync(first, _bundle.Invocation(file, args: ["a", 1]));
        var compileTime = watch.Elapsed;
        var restarted = NewEngine();
        watch.Restart();
        var after = await RunAsync(restarted, _bundle.Invocation(file, args: ["b", 2]));
        var loadTime = watch.Elapsed;
        var restartedCounts = (restarted.Scripts.Compilations, restarted.Scripts.CacheLoads);

        var other = _bundle.Write("scripts/other.csx", "return new { n = Args.Count };");
        watch.Restart();
        await RunAsync(restarted, _bundle.Invocation(other));
        var warmCompileTime = watch.Elapsed;

        output.WriteLine($"first run (cold compile): {compileTime.TotalMilliseconds:F0} ms; first run after restart (disk cache): {loadTime.TotalMilliseconds:F0} ms; another script (warm compile): {warmCompileTime.TotalMilliseconds:F0} ms");
        Assert.Equal((1, 0), (first.Scripts.Compilations, first.Scripts.CacheLoads));
        Assert.Equal((0, 1), restartedCounts);
        Assert.Equal(["""{"text":"a 1"}"""], Json(before));
        Assert.Equal(["""{"text":"b 2"}"""], Json(after));
        Assert.Equal(2, Directory.GetFiles(_bundle.CacheDirectory, "*.dll").Length);
    }

    [Fact]
    public async Task Concurrent_first_invocations_compile_once()
    {
        var file = _bundle.Write("c.csx", "return new { n = Args.GetInt64(0) };");
        var engine = NewEngine();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => RunAsync(engine, _bundle.Invocation(file, args: [i]))));

        Assert.Equal(1, engine.Scripts.Compilations);
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $$"""{"n":{{i}}}"""), outcomes.Select(o => Assert.Single(o.Items).GetRawText()));
    }

    [Fact]
    public async Task An_edited_script_is_recompiled_and_the_old_version_dropped()
    {
        var file = _bundle.Write("v.csx", "return new { v = 1 };");
        var engine = NewEngine();
        var one = await RunAsync(engine, _bundle.Invocation(file));
        var oldKeys = engine.Scripts.CachedKeys.ToArray();

        _bundle.Write("v.csx", "return new { v = 2 };");
        var two = await RunAsync(engine, _bundle.Invocation(file));
        var again = await RunAsync(engine, _bundle.Invocation(file));

        Assert.Equal(["""{"v":1}"""], Json(one));
        Assert.Equal(["""{"v":2}"""], Json(two));
        Assert.Equal(["""{"v":2}"""], Json(again));
        Assert.Equal(2, engine.Scripts.Compilations);
        var current = Assert.Single(engine.Scripts.CachedKeys);
        Assert.DoesNotContain(current, oldKeys);
    }

    [Fact]
    public async Task A_damaged_cache_file_is_replaced_by_a_fresh_compilation()
    {
        var file = _bundle.Write("d.csx", "return new { ok = true };");
        await RunAsync(NewEngine(), _bundle.Invocation(file));
        var cached = Assert.Single(Directory.GetFiles(_bundle.CacheDirectory, "*.dll"));
        await File.WriteAllTextAsync(cached, "not an assembly", TestContext.Current.CancellationToken);
        var engine = NewEngine();

        var outcome = await RunAsync(engine, _bundle.Invocation(file));

        Assert.Equal(["""{"ok":true}"""], Json(outcome));
        Assert.Equal(1, engine.Scripts.Compilations);
    }

    [Fact]
    public async Task Prepare_reports_errors_without_running()
    {
        var engine = NewEngine();

        var errors = await engine.Scripts.PrepareAsync("./s/x.csx", "return y;", TestContext.Current.CancellationToken);

        Assert.Equal(["s/x.csx(1,8): error CS0103: The name 'y' does not exist in the current context"], errors.Select(e => e.ToString()));
    }
}
