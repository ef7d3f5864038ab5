using System.Diagnostics;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Executables;
using Cog.Relay.Tests.Support;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Executables.ExecutableTestKit;
using Cog.Testing;

namespace Cog.Relay.Tests.Execution.Executables;

/// <summary>The example bundles under bundles/examples, run unchanged through the engine (the acceptance test:
/// a Cog 1.0 bundle with a shell executable runs as shipped and sees the documented variables and stdin).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ExampleBundleTests
{
    // shelldemo may use the network: its commands are handed the services endpoint.
    readonly ExecutableEngine _engine = new(TestSandbox.WithNetwork("shelldemo"), RelayEnvironment);

    static BundleManifest Load(string name)
    {
        var result = ManifestLoader.LoadDirectory(RepositoryPaths.Example(name));
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Manifest;
    }

    /// <summary>The example names its scripts relative to the bundle folder, so it runs as shipped: the engine resolves
    /// them in the example's folder.</summary>
    static CommandManifest Installed(BundleManifest bundle, string command)
    {
        var manifest = bundle.FindCommand(command)!;
        Assert.False(Path.IsPathRooted(manifest.Target), manifest.Target);
        return manifest;
    }

    Task<ExecutionOutcome> RunAsync(CommandManifest command, string bundle, CommandContext context, ServiceEndpoint? services = null) =>
        _engine.RunAsync(new CommandInvocation(context, command, RepositoryPaths.Example(bundle), services), ExecutionLimits.Default, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_cog_1_shell_command_sees_every_documented_variable_and_its_stdin()
    {
        var bundle = Load("cog1-shell");
        Assert.Equal(5, bundle.ManifestVersion);
        var log = new RecordingLog();
        var context = Context(
            log,
            bundle: "shelldemo",
            command: "context",
            arguments: ["\"two words\"", "42", """{"k": [1, "x"]}"""],
            options: new Dictionary<string, string> { ["verbose"] = "true", ["dry-run"] = "false", ["tag"] = """["a", "b"]""" },
            input: """{"host": "db-1", "load": 0.25, "tags": ["x"]}""",
            step: InvocationStep.First,
            room: new CommandRoom("ops", IsDirect: false),
            user: new CommandUser("ada", "ada.l", "ada@example.com"),
            configuration: new Dictionary<string, string> { ["API_URL"] = "https://api.example", ["COG_BUNDLE"] = "forged" });

        var outcome = await RunAsync(Installed(bundle, "context"), "cog1-shell", context, new ServiceEndpoint(new Uri("http://cog.example:4002"), "svc-token"));

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        var item = Assert.Single(outcome.Items);
        var env = item.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal("{\"host\":\"db-1\",\"load\":0.25,\"tags\":[\"x\"]}\n", item.GetProperty("stdin").GetString());
        var expected = new Dictionary<string, string>
        {
            ["COG_ARGC"] = "3",
            ["COG_ARGV_0"] = "two words",
            ["COG_ARGV_1"] = "42",
            ["COG_ARGV_2"] = """{"k":[1,"x"]}""",
            ["COG_OPTS"] = "verbose,dry-run,tag",
            ["COG_OPT_VERBOSE"] = "true",
            ["COG_OPT_DRY-RUN"] = "false",
            ["COG_OPT_DRY_RUN"] = "false",
            ["COG_OPT_TAG_COUNT"] = "2",
            ["COG_OPT_TAG_0"] = "a",
            ["COG_OPT_TAG_1"] = "b",
            ["COG_BUNDLE"] = "shelldemo",
            ["COG_COMMAND"] = "context",
            ["COG_CHAT_HANDLE"] = "ada.l",
            ["COG_USERNAME"] = "ada",
            ["COG_EMAIL"] = "ada@example.com",
            ["COG_ROOM"] = "ops",
            ["COG_PIPELINE_ID"] = "6f1c2a9e-pipeline",
            ["COG_INVOCATION_ID"] = "b7d4e0c3-invocation",
            ["COG_INVOCATION_STEP"] = "first",
            ["COG_SERVICES_ROOT"] = "http://cog.example:4002",
            ["COG_SERVICE_TOKEN"] = "svc-token",
            ["API_URL"] = "https://api.example",
            ["PATH"] = RelayEnvironment["PATH"],
            ["HOME"] = "/home/relay",
            ["LANG"] = "C.UTF-8",
            ["TZ"] = "UTC",
            ["TMPDIR"] = RelayEnvironment["TMPDIR"],
        };
        // Nothing else: no relay secrets, no plain COG_OPT_TAG, no forged COG_ variable.
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), env.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal([("debug", "context invoked by ada")], log.Entries);
    }

    [Fact]
    public async Task A_cog_1_shell_command_in_a_direct_message_sees_room_direct_and_no_step_in_the_middle()
    {
        var bundle = Load("cog1-shell");
        var context = Context(bundle: "shelldemo", command: "context", step: InvocationStep.Middle, room: new CommandRoom("D01", IsDirect: true));

        var outcome = await RunAsync(Installed(bundle, "context"), "cog1-shell", context);

        var env = Assert.Single(outcome.Items).GetProperty("env");
        Assert.Equal("direct", env.GetProperty("COG_ROOM").GetString());
        Assert.Equal("0", env.GetProperty("COG_ARGC").GetString());
        Assert.False(env.TryGetProperty("COG_INVOCATION_STEP", out _));
        Assert.False(env.TryGetProperty("COG_OPTS", out _));
        Assert.False(env.TryGetProperty("COG_SERVICES_ROOT", out _));
        Assert.Equal("{}\n", Assert.Single(outcome.Items).GetProperty("stdin").GetString());
    }

    [Fact]
    public async Task A_command_without_network_is_not_handed_a_services_root_it_cannot_reach_and_its_log_says_why()
    {
        var bundle = Load("cog1-shell");
        var log = new RecordingLog();
        var engine = new ExecutableEngine(TestSandbox.WithNetwork(), RelayEnvironment);
        var invocation = new CommandInvocation(Context(log, bundle: "shelldemo", command: "context"), Installed(bundle, "context"),
            RepositoryPaths.Example("cog1-shell"), new ServiceEndpoint(new Uri("http://cog.example:4002"), "svc-token"));

        var outcome = await engine.RunAsync(invocation, ExecutionLimits.Default, TestContext.Current.CancellationToken);

        var env = Assert.Single(outcome.Items).GetProperty("env");
        Assert.False(env.TryGetProperty("COG_SERVICES_ROOT", out _));
        Assert.False(env.TryGetProperty("COG_SERVICE_TOKEN", out _));
        Assert.Contains(("debug", ExecutableErrors.ServicesWithheld("shelldemo")), log.Entries);
    }

    [Fact]
    public async Task The_greet_command_returns_json_items_with_its_template_and_logs()
    {
        var bundle = Load("cog1-shell");
        var log = new RecordingLog();
        var context = Context(log, bundle: "shelldemo", command: "greet", arguments: ["\"Ada\"", "\"Grace \\\"Amazing\\\" Hopper\""],
            options: new Dictionary<string, string> { ["greeting"] = "\"Hi\"", ["tag"] = """["team", "ops"]""" }, input: """{"from":"previous stage"}""");

        var outcome = await RunAsync(Installed(bundle, "greet"), "cog1-shell", context);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("greeting", outcome.Template);
        Assert.True(bundle.Templates.ContainsKey("greeting"));
        Assert.Equal(
            ["""{"greeting":"Hi","name":"Ada","punctuation":"!","tags":["team","ops"],"input":{"from":"previous stage"}}""",
             """{"greeting":"Hi","name":"Grace \"Amazing\" Hopper","punctuation":"!","tags":["team","ops"],"input":{"from":"previous stage"}}"""],
            outcome.Items.Select(i => i.GetRawText()).ToArray());
        Assert.Equal([("info", "greeting 2 name(s) for ada.l in ops")], log.Entries);
    }

    [Fact]
    public async Task The_greet_command_aborts_on_dry_run_through_the_underscore_variable()
    {
        var bundle = Load("cog1-shell");
        var context = Context(bundle: "shelldemo", command: "greet", arguments: ["\"Ada\""], options: new Dictionary<string, string> { ["dry-run"] = "true" });

        var outcome = await RunAsync(Installed(bundle, "greet"), "cog1-shell", context);

        Assert.Equal(ExecutionOutcome.Abort("Dry run: 1 name(s) not greeted."), outcome with { Items = [] });
    }

    [Fact]
    public async Task The_greet_command_fails_with_its_stderr_without_names()
    {
        var bundle = Load("cog1-shell");

        var outcome = await RunAsync(Installed(bundle, "greet"), "cog1-shell", Context(bundle: "shelldemo", command: "greet"));

        Assert.Equal(ExecutionOutcome.Error("Give at least one name to greet."), outcome);
    }

    [Fact]
    public async Task A_v6_relative_executable_runs_in_its_bundle_folder_with_its_env_vars()
    {
        var bundle = Load("executable-v6");
        Assert.Equal(6, bundle.ManifestVersion);
        var log = new RecordingLog();
        var motd = bundle.FindCommand("motd")!;
        Assert.Equal(("commands/motd.sh", TimeSpan.FromSeconds(10)), (motd.Target, motd.Timeout));

        var outcome = await RunAsync(motd, "executable-v6", Context(log, bundle: "hostnotes", command: "motd"));

        Assert.Equal(["""{"body":["Deploys are frozen on Fridays.","The on-call rota is in #ops."]}"""], outcome.Items.Select(i => i.GetRawText()).ToArray());
        Assert.Equal([("debug", "reading data/motd.txt")], log.Entries);
    }

    [Fact]
    public async Task A_v6_command_is_stopped_at_its_manifest_timeout()
    {
        var bundle = Load("executable-v6");
        var wait = bundle.FindCommand("wait")!;
        Assert.Equal(TimeSpan.FromSeconds(2), wait.Timeout);
        // The caller turns the manifest timeout into the invocation's deadline, as the relay does.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(wait.Timeout!.Value);
        var watch = Stopwatch.StartNew();

        var outcome = await _engine.RunAsync(
            new CommandInvocation(Context(bundle: "hostnotes", command: "wait", arguments: ["60"]), wait, RepositoryPaths.Example("executable-v6")),
            ExecutionLimits.Default, deadline.Token);

        Assert.Equal(ExecutionOutcome.Error(ExecutableErrors.Cancelled), outcome);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_v6_command_within_its_timeout_completes()
    {
        var bundle = Load("executable-v6");

        var outcome = await RunAsync(bundle.FindCommand("wait")!, "executable-v6", Context(bundle: "hostnotes", command: "wait", arguments: ["0"]));

        Assert.Equal(["""{"body":["Waited 0 second(s)."]}"""], outcome.Items.Select(i => i.GetRawText()).ToArray());
    }
}
