using Cog.Relay.Execution.Scripts;
using Cog.Testing;

namespace Cog.Relay.Tests.Execution.Scripts;

public class ScriptCompilerTests
{
    static string[] Check(string code) =>
        [.. ScriptCompiler.Check(code, "scripts/t.csx", TestContext.Current.CancellationToken).Select(d => d.ToString())];

    static string[] Ids(string code) =>
        [.. ScriptCompiler.Check(code, "scripts/t.csx", TestContext.Current.CancellationToken).Select(d => d.Id).Distinct()];

    [Fact]
    public void Common_framework_apis_compile()
    {
        var errors = Check("""
            using System.Text.RegularExpressions;
            using System.Text.Json.Nodes;
            using System.Text;
            using System.IO;
            var words = new List<string> { "b", "a" }.OrderBy(w => w).ToArray();
            var map = new Dictionary<string, int>(StringComparer.Ordinal) { ["x"] = 1 };
            var set = new SortedSet<int> { 3, 1 };
            var match = Regex.Match("v1.2", @"\d+").Value;
            var node = JsonNode.Parse("{\"a\":1}")!["a"]!.GetValue<int>();
            var json = JsonSerializer.Serialize(new { words, map, match, node });
            var text = new StringBuilder().Append(json).ToString();
            var reader = new StringReader(text);
            var memory = new MemoryStream();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await Task.Delay(0, CancellationToken);
            return new { text = reader.ReadToEnd(), count = set.Count, Environment.NewLine };
            """);

        Assert.Empty(errors);
    }

    [Fact]
    public void Compile_errors_carry_file_line_column_and_id()
    {
        Assert.Equal(
            ["scripts/t.csx(2,1): error CS0103: The name 'nope' does not exist in the current context",
             "scripts/t.csx(3,14): error CS1002: ; expected"],
            Check("var a = 1;\nnope();\nvar b = a + 1\n"));
    }

    [Theory]
    [InlineData("return System.IO.File.ReadAllText(\"/etc/passwd\");", "COG1001")]
    [InlineData("using F = System.IO.File;\nreturn new { t = F.Exists(\"x\") };", "COG1001")]
    [InlineData("using System.IO;\nvar info = new FileInfo(\"x\");", "COG1001")]
    [InlineData("using System.IO;\nreturn Directory.GetFiles(\"/\");", "COG1001")]
    [InlineData("using System.IO;\nvar s = new StreamReader(\"/etc/passwd\");", "COG1001")]
    [InlineData("var p = System.IO.Path.GetTempPath();", "COG1001")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\");", "COG1002")]
    [InlineData("using P = System.Diagnostics.Process;\nP.GetCurrentProcess().Kill();", "COG1002")]
    [InlineData("System.Diagnostics.Debugger.Break();", "COG1002")]
    [InlineData("var t = typeof(string).Assembly;", "COG1003")]
    [InlineData("var m = typeof(string).GetMethods();", "COG1003")]
    [InlineData("var t = Type.GetType(\"System.IO.File\");", "COG1003")]
    [InlineData("var o = Activator.CreateInstance(typeof(object));", "COG1003")]
    [InlineData("var d = AppDomain.CurrentDomain;", "COG1003")]
    [InlineData("var c = new System.Runtime.Loader.AssemblyLoadContext(\"x\");", "COG1003")]
    [InlineData("System.Reflection.Assembly.Load(\"x\");", "COG1003")]
    [InlineData("Func<int> f = () => 1;\nf.DynamicInvoke();", "COG1003")]
    [InlineData("var h = Environment.GetEnvironmentVariable(\"HOME\");", "COG1004")]
    [InlineData("var h = Environment.MachineName;", "COG1004")]
    [InlineData("using E = System.Environment;\nvar h = E.CurrentDirectory;", "COG1004")]
    [InlineData("var b = AppContext.BaseDirectory;", "COG1004")]
    [InlineData("var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(8);", "COG1005")]
    [InlineData("[System.Runtime.InteropServices.DllImport(\"libc\")]\nstatic extern int getpid();", "COG1005")]
    [InlineData("unsafe { int x = 1; int* p = &x; }", "COG1005")]
    [InlineData("static unsafe void F(byte* p) { }", "COG1005")]
    [InlineData("var s = System.Runtime.CompilerServices.Unsafe.SizeOf<int>();", "COG1005")]
    [InlineData("new System.Threading.Thread(() => { }).Start();", "COG1006")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { });", "COG1006")]
    [InlineData("var t = new System.Threading.Timer(_ => { }, null, 0, 1000);", "COG1006")]
    [InlineData("await Task.Run(() => 1);", "COG1006")]
    [InlineData("await Task.Factory.StartNew(() => 1);", "COG1006")]
    [InlineData("Environment.Exit(1);", "COG1006")]
    [InlineData("Environment.FailFast(\"x\");", "COG1006")]
    [InlineData("GC.Collect();", "COG1006")]
    [InlineData("#r \"System.IO.dll\"\nreturn null;", "COG1007")]
    [InlineData("#load \"other.csx\"\nreturn null;", "COG1007")]
    public void A_forbidden_api_is_reported_with_its_id(string code, string id)
    {
        Assert.Contains(id, Ids(code));
    }

    // The escapes a review found (issue 12) and their neighbours: each was compiled without a diagnostic before.
    [Theory]
    [InlineData("var f = (Func<string, Type>)Delegate.CreateDelegate(typeof(Func<string, Type>), typeof(Type), \"GetType\");", "COG1003")]
    [InlineData("var f = Delegate.CreateDelegate(typeof(Action), new object(), \"ToString\");", "COG1003")]
    [InlineData("Func<int> f = () => 1;\nvar m = f.Method;", "COG1003")]
    [InlineData("Func<int> f = () => 1;\nvar d = f.Method.CreateDelegate(typeof(Func<int>));", "COG1003")]
    [InlineData("var h = typeof(string).TypeHandle;", "COG1003")]
    [InlineData("var g = typeof(List<>).MakeGenericType(typeof(int));", "COG1003")]
    [InlineData("dynamic d = 1;", "COG1003")]
    [InlineData("new Task(() => { }).Start();", "COG1006")]
    [InlineData("var t = new Task<int>(() => 1);\nt.Start();", "COG1006")]
    [InlineData("await Task<int>.Factory.StartNew(() => 1);", "COG1006")]
    [InlineData("await Task.Delay(1).ContinueWith(_ => { });", "COG1006")]
    [InlineData("var cts = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(1));", "COG1006")]
    [InlineData("var cts = new System.Threading.CancellationTokenSource(1000);", "COG1006")]
    [InlineData("var cts = new System.Threading.CancellationTokenSource();\ncts.CancelAfter(1000);", "COG1006")]
    [InlineData("var t = new System.Threading.PeriodicTimer(TimeSpan.FromSeconds(1));", "COG1006")]
    [InlineData("new System.Threading.SynchronizationContext().Post(_ => { }, null);", "COG1006")]
    [InlineData("var s = System.Threading.Tasks.TaskScheduler.Default;", "COG1006")]
    [InlineData("var p = Environment.ProcessPath;", "COG1004")]
    [InlineData("var v = Environment.GetEnvironmentVariables();", "COG1004")]
    [InlineData("var m = GC.GetTotalMemory(false);", "COG1006")]
    [InlineData("var b = System.Reflection.Emit.AssemblyBuilder.DefineDynamicAssembly(null!, default);", "COG1003")]
    [InlineData("var c = System.Runtime.Loader.AssemblyLoadContext.Default;", "COG1003")]
    [InlineData("async void B() { await Task.Yield(); throw new Exception(); }\nB();", "COG1008")]
    [InlineData("Action a = async () => { await Task.Yield(); throw new Exception(); };", "COG1008")]
    [InlineData("System.Runtime.CompilerServices.AsyncVoidMethodBuilder.Create().SetException(new Exception());", "COG1008")]
    [InlineData("var t = TimeProvider.System.CreateTimer(_ => { }, null, TimeSpan.Zero, TimeSpan.FromSeconds(1));", "COG1006")]
    [InlineData("class C { ~C() { throw new Exception(); } }", "COG1006")]
    [InlineData("var l = System.Runtime.GCSettings.LatencyMode;", "COG1009")]
    [InlineData("var s = System.Net.WebUtility.HtmlEncode(\"<\");", "COG1009")]
    [InlineData("var r = new System.Resources.ResourceManager(typeof(object));", "COG1009")]
    [InlineData("var s = new System.Security.SecureString();", "COG1009")]
    [InlineData("var e = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(new Exception());", "COG1009")]
    public void A_gap_found_in_review_is_reported_with_its_id(string code, string id)
    {
        Assert.Contains(id, Ids(code));
    }

    [Fact]
    public void The_create_delegate_escape_is_reported_at_the_call()
    {
        Assert.Equal(
            ["scripts/t.csx(1,29): error COG1003: 'System.Delegate.CreateDelegate(System.Type, System.Type, string)' is not allowed in scripts (reflection and dynamic loading)."],
            Check("var f = (Func<string, Type>)Delegate.CreateDelegate(typeof(Func<string, Type>), typeof(Type), \"GetType\");"));
    }

    [Fact]
    public void An_async_void_local_function_is_reported_at_its_declaration()
    {
        Assert.Equal(
            ["scripts/t.csx(2,1): error COG1008: 'async void B()' is not allowed in scripts (an exception it throws ends the process: return a Task and await it)."],
            Check("var a = 1;\nasync void B() { await Task.Yield(); throw new Exception(); }\nB();"));
    }

    [Fact]
    public void An_api_outside_the_allowed_namespaces_is_reported_by_name()
    {
        Assert.Equal(
            ["scripts/t.csx(1,9): error COG1009: 'System.Net.WebUtility.HtmlEncode(string?)' is not allowed in scripts (outside the namespaces a script may use)."],
            Check("var s = System.Net.WebUtility.HtmlEncode(\"<\");"));
    }

    [Fact]
    public void A_fully_qualified_file_call_is_reported_at_its_position()
    {
        Assert.Equal(
            ["scripts/t.csx(2,18): error COG1001: 'System.IO.File.ReadAllText(string)' is not allowed in scripts (file system access)."],
            Check("var a = 1;\nreturn new { t = System.IO.File.ReadAllText(\"/etc/passwd\") };"));
    }

    [Fact]
    public void An_alias_is_reported_at_the_alias_and_at_each_use()
    {
        Assert.Equal(
            ["scripts/t.csx(1,11): error COG1001: 'System.IO.File' is not allowed in scripts (file system access).",
             "scripts/t.csx(2,18): error COG1001: 'System.IO.File.ReadAllText(string)' is not allowed in scripts (file system access)."],
            Check("using F = System.IO.File;\nreturn new { t = F.ReadAllText(\"/etc/passwd\") };"));
    }

    [Fact]
    public void A_reference_directive_is_refused_without_the_compilers_own_error()
    {
        Assert.Equal(
            ["scripts/t.csx(1,1): error COG1007: '#r' is not allowed in scripts (a script compiles against the framework and Cog.Sdk only, in one file)."],
            Check("#r \"/tmp/evil.dll\"\nreturn null;"));
    }

    [Fact]
    public void Unsafe_code_is_reported_once_per_line()
    {
        Assert.Equal(
            ["scripts/t.csx(1,1): error COG1005: 'unsafe' is not allowed in scripts (unmanaged and unsafe code)."],
            Check("unsafe { int x = 1; int* p = &x; }"));
    }

    [Theory]
    [InlineData("var n = Environment.NewLine;")]
    [InlineData("using System.IO;\nvar w = new StringWriter();\nw.Write(1);")]
    [InlineData("var t = typeof(string).Name;")]
    [InlineData("var s = new object().GetType().FullName;")]
    [InlineData("await Task.WhenAll(Task.Delay(1, CancellationToken));")]
    [InlineData("using System.Threading;\nvar cts = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);\ncts.Cancel();")]
    [InlineData("using System.Threading;\nvar cts = new CancellationTokenSource();\nawait Task.Delay(Timeout.InfiniteTimeSpan, cts.Token).WaitAsync(TimeSpan.FromSeconds(1));")]
    [InlineData("using System.Threading;\nvar n = 0;\nInterlocked.Increment(ref n);\nvar gate = new SemaphoreSlim(1);\nawait gate.WaitAsync(CancellationToken);")]
    [InlineData("async Task<int> F() { await Task.Yield(); return 1; }\nFunc<Task> g = async () => await Task.Delay(1);\nreturn new { n = await F() };")]
    [InlineData("var same = typeof(int) == typeof(long) || 1.GetType().IsValueType;")]
    [InlineData("record Point(int X, int Y);\nvar p = new Point(1, 2) with { Y = 3 };\nvar (a, b) = (p.X, p.Y);\nreturn new { a, b };")]
    [InlineData("static T Twice<T>(T x) where T : System.Numerics.INumber<T> => x + x;")]
    [InlineData("using System.Globalization;\nvar s = 1.5.ToString(CultureInfo.InvariantCulture);")]
    [InlineData("using System.Text.Json.Serialization;\nrecord R([property: JsonPropertyName(\"n\")] int N);\nreturn JsonSerializer.Serialize(new R(1));")]
    [InlineData("var o = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };")]
    [InlineData("var b = System.Buffers.ArrayPool<byte>.Shared.Rent(4);")]
    [InlineData("static bool Ok([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s) => s is not null;")]
    public void Harmless_apis_near_forbidden_ones_are_allowed(string code)
    {
        Assert.Empty(Check(code));
    }

    [Fact]
    public void Every_example_bundle_script_passes_the_check()
    {
        var scripts = Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "bundles"), "*.csx", SearchOption.AllDirectories);

        Assert.NotEmpty(scripts);
        Assert.All(scripts, path => Assert.Empty(Check(File.ReadAllText(path))));
    }

    /// <summary>The escape suite's script probes: those the check refuses, and those that must pass it to be
    /// contained by their worker (they end, hang or exhaust it).</summary>
    [Theory]
    [InlineData("delegate.csx", "COG1003")]
    [InlineData("async-void.csx", "COG1008")]
    [InlineData("allocate.csx", null)]
    [InlineData("busy-loop.csx", null)]
    [InlineData("recurse.csx", null)]
    public void The_escape_suites_script_probes_are_refused_or_reach_their_worker(string probe, string? id)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "bundles", "Cog.Fixtures.EscapeProbes", "scripts", probe);

        Assert.Equal(id is null ? [] : [id], Ids(File.ReadAllText(path)));
    }

    [Fact]
    public void The_cache_key_depends_on_the_text_and_the_path()
    {
        var key = ScriptCompiler.CacheKey("a.csx", "return 1;");

        Assert.Equal(key, ScriptCompiler.CacheKey("a.csx", "return 1;"));
        Assert.NotEqual(key, ScriptCompiler.CacheKey("a.csx", "return 2;"));
        Assert.NotEqual(key, ScriptCompiler.CacheKey("b.csx", "return 1;"));
        Assert.Matches("^[0-9a-f]{64}$", key);
    }
}
