using Cog.Relay.Execution.Scripts;

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
    public void Harmless_apis_near_forbidden_ones_are_allowed(string code)
    {
        Assert.Empty(Check(code));
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
