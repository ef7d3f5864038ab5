using System.Text.Json;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Workers;
using Cog.Relay.Tests.Support;
using Cog.Worker;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Assemblies.PluginFixtures;
using Cog.Testing;

namespace Cog.Relay.Tests.Execution.Assemblies;

/// <summary>Plug-in command types run in a worker process of their bundle version, through the worker engine.</summary>
public sealed class AssemblyCommandTests : IAsyncDisposable
{
    const string Prefix = "Cog.Fixtures.Misbehaving.";
    readonly WorkerKit _kit = new();
    readonly WorkerEngine _engine;

    public AssemblyCommandTests()
    {
        _engine = _kit.Engine;
        _kit.Load("greeter", Folder(GreeterV1), AssemblyFile(GreeterV1));
        _kit.Load("misbehaving", Folder(Misbehaving), AssemblyFile(Misbehaving));
    }

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    Task<ExecutionOutcome> Run(string type, CancellationToken cancellationToken = default, string[]? arguments = null) =>
        _engine.RunAsync(Invocation("misbehaving", Folder(Misbehaving), Prefix + type, arguments), ExecutionLimits.Default, cancellationToken);

    [Fact]
    public async Task A_command_type_runs_and_its_items_become_the_outcome()
    {
        var outcome = await _engine.RunAsync(
            Invocation("greeter", Folder(GreeterV1), "Cog.Fixtures.Greeter.Greet", ["Ada"]), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("""{"greeting":"Hello, Ada","version":1}""", Assert.Single(outcome.Items).GetRawText());
    }

    [Fact]
    public async Task The_command_sees_the_whole_context_and_its_services()
    {
        var store = new MemoryPipelineStore();
        var log = new CollectingCommandLog();
        var options = new CommandOptions([new("loud", JsonSerializer.SerializeToElement(true))]);
        var input = JsonSerializer.SerializeToElement(new { n = 1 });

        var outcome = await _engine.RunAsync(
            Invocation("misbehaving", Folder(Misbehaving), Prefix + "Reflect", ["a", "b"], store, log, "reflect", options, input),
            ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(
            """{"bundle":"misbehaving","command":"reflect","user":"alice","room":"ops","text":"a b","loud":true,"input":{"n":1},"seen":1,"step":"Last","config":"hi"}""",
            Assert.Single(outcome.Items).GetRawText());
        Assert.Equal(["info: reflecting 2 arguments"], log.Entries);
        Assert.Equal("""[{"n":1}]""", store.Values["invocation-1"].GetRawText());
    }

    [Fact]
    public async Task Every_invocation_gets_a_new_instance()
    {
        var first = await Run("CountsInstances", TestContext.Current.CancellationToken);
        var second = await Run("CountsInstances", TestContext.Current.CancellationToken);

        Assert.Equal("""{"calls":1}""", Assert.Single(first.Items).GetRawText());
        Assert.Equal("""{"calls":1}""", Assert.Single(second.Items).GetRawText());
    }

    [Fact]
    public async Task A_public_nested_type_is_found_by_its_reflection_name()
    {
        var outcome = await Run("Outer+Nested", TestContext.Current.CancellationToken);

        Assert.Equal("""{"nested":true}""", Assert.Single(outcome.Items).GetRawText());
    }

    [Fact]
    public async Task An_abort_keeps_its_message_and_template()
    {
        var outcome = await Run("Aborts", TestContext.Current.CancellationToken);

        Assert.Equal(ExecutionOutcome.Abort("nothing to deploy", "abort"), outcome with { Items = [] });
        Assert.Equal(CommandStatus.Abort, outcome.Status);
    }

    [Theory]
    [InlineData("Throws", "The command failed: InvalidOperationException: the disk is full")]
    [InlineData("ThrowsLater", "The command failed: TimeoutException: the database did not answer")]
    [InlineData("ConstructorThrows", "The command failed: InvalidOperationException: no configuration")]
    [InlineData("ReturnsNull", "The command 'Cog.Fixtures.Misbehaving.ReturnsNull' returned no result: ExecuteAsync must complete with a CommandResult.")]
    [InlineData("ReturnsNullTask", "The command 'Cog.Fixtures.Misbehaving.ReturnsNullTask' returned no task from ExecuteAsync.")]
    [InlineData("ReturnsString", "Output item 0 is a string, but every output item must be a JSON object.")]
    public async Task A_failing_command_becomes_an_error_outcome(string type, string message)
    {
        var outcome = await Run(type, TestContext.Current.CancellationToken);

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Equal(message, outcome.Message);
        Assert.Empty(outcome.Items);
    }

    [Theory]
    [InlineData("Missing", "The type 'Cog.Fixtures.Misbehaving.Missing' was not found in the bundle's plugin assembly 'Cog.Fixtures.Misbehaving.dll'.")]
    [InlineData("InternalCommand", "The type 'Cog.Fixtures.Misbehaving.InternalCommand' must be public to be a command.")]
    [InlineData("AbstractCommand", "The type 'Cog.Fixtures.Misbehaving.AbstractCommand' must be a class that is neither abstract nor generic to be a command.")]
    [InlineData("GenericCommand`1", "The type 'Cog.Fixtures.Misbehaving.GenericCommand`1' must be a class that is neither abstract nor generic to be a command.")]
    [InlineData("Outer", "The type 'Cog.Fixtures.Misbehaving.Outer' must be a class that is neither abstract nor generic to be a command.")]
    [InlineData("NotACommand", "The type 'Cog.Fixtures.Misbehaving.NotACommand' does not implement Cog.Sdk.ICommand.")]
    [InlineData("NeedsArguments", "The type 'Cog.Fixtures.Misbehaving.NeedsArguments' must have a public parameterless constructor: the worker creates one instance per invocation.")]
    public async Task A_type_that_is_not_a_runnable_command_is_named_in_the_error(string type, string message)
    {
        var outcome = await Run(type, TestContext.Current.CancellationToken);

        Assert.Equal(ExecutionOutcome.Error(message), outcome with { Items = [] });
    }

    [Theory]
    [InlineData("IgnoresCancellation")]
    [InlineData("BlocksThread")]
    public async Task A_command_that_does_not_stop_when_cancelled_is_stopped_by_killing_its_worker(string type)
    {
        var pool = _kit.Engine.PoolOf(Folder(Misbehaving))!;
        await Run("Aborts", TestContext.Current.CancellationToken); // The worker is up: the command itself runs away.
        var first = Assert.Single(pool.Workers);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var outcome = await Run(type, timeout.Token);
        var next = await Run("Aborts", TestContext.Current.CancellationToken);

        Assert.Equal(ExecutionOutcome.Error(ExecutionErrors.Cancelled), outcome with { Items = [] });
        Assert.Equal(CommandStatus.Abort, next.Status);
        Assert.Contains(_kit.Logs.Texts, t => t.Contains($"misbehaving:run did not stop within 500 ms of its cancellation", StringComparison.Ordinal));
        Assert.NotEqual(first.ProcessId, Assert.Single(pool.Workers).ProcessId);
    }

    [Fact]
    public async Task A_command_that_honours_cancellation_reports_the_cancellation()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var outcome = await Run("HonoursCancellation", timeout.Token);

        Assert.Equal(ExecutionErrors.Cancelled, outcome.Message);
        Assert.DoesNotContain(_kit.Logs.Texts, t => t.Contains("did not stop", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invocation_cancelled_before_it_starts_does_not_run()
    {
        var log = new CollectingCommandLog();
        var invocation = Invocation("misbehaving", Folder(Misbehaving), Prefix + "Reflect", log: log);

        var outcome = await _engine.RunAsync(invocation, ExecutionLimits.Default, new CancellationToken(canceled: true));

        Assert.Equal(ExecutionErrors.Cancelled, outcome.Message);
        Assert.Empty(log.Entries);
    }

    [Fact]
    public async Task Output_over_the_limit_fails_the_invocation()
    {
        var outcome = await _engine.RunAsync(
            Invocation("greeter", Folder(GreeterV1), "Cog.Fixtures.Greeter.Greet", ["Ada"]), new ExecutionLimits(MaxOutputBytes: 10),
            TestContext.Current.CancellationToken);

        Assert.Equal("Command output exceeded the limit of 10 bytes.", outcome.Message);
    }

    [Fact]
    public async Task A_dependency_the_relay_also_has_is_loaded_in_the_bundles_own_version()
    {
        _kit.Load("old-yaml", Folder(OldYaml), AssemblyFile(OldYaml));

        var outcome = await _engine.RunAsync(
            Invocation("old-yaml", Folder(OldYaml), "Cog.Fixtures.OldYaml.YamlVersion", ["answer: '42'"]), ExecutionLimits.Default,
            TestContext.Current.CancellationToken);

        var item = Assert.Single(outcome.Items);
        Assert.Equal(18, typeof(YamlDotNet.Serialization.Deserializer).Assembly.GetName().Version!.Major);
        Assert.StartsWith("16.", item.GetProperty("yamlDotNet").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"answer":"42"}""", item.GetProperty("parsed").GetRawText());
    }

    [Fact]
    public async Task A_bundle_without_an_assembly_is_reported()
    {
        var folder = EmptyFolder();
        _kit.Load("scripts-only", folder, assembly: null);

        var outcome = await _engine.RunAsync(
            Invocation("scripts-only", folder, "Cog.Fixtures.Greeter.Greet"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("The bundle 'scripts-only' names no plugin assembly: a 'type' command needs the manifest's 'assembly'.", outcome.Message);
    }

    [Fact]
    public async Task A_missing_assembly_file_is_reported()
    {
        var folder = EmptyFolder();
        _kit.Load("ghost", folder, "lib/Ghost.dll");

        var outcome = await _engine.RunAsync(
            Invocation("ghost", folder, "Ghost.Command"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("The bundle's plugin assembly 'lib/Ghost.dll' was not found in the bundle folder.", outcome.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_is_reported()
    {
        var folder = EmptyFolder();
        File.Copy(Path.Combine(Folder(GreeterV1), "Cog.Fixtures.Greeter.deps.json"), Path.Combine(folder, "Cog.Fixtures.Greeter.deps.json"));
        _kit.Load("broken", folder, "Cog.Fixtures.Greeter.deps.json");

        var outcome = await _engine.RunAsync(
            Invocation("broken", folder, "Broken.Command"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.StartsWith("The bundle's plugin assembly 'Cog.Fixtures.Greeter.deps.json' could not be loaded: ", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_example_repeat_command_runs()
    {
        var folder = RepositoryPaths.Example("echo-assembly");
        _kit.Load("echo-assembly", folder, "lib/EchoAssembly.dll");
        var options = new CommandOptions([new("upper", JsonSerializer.SerializeToElement(true))]);

        var outcome = await _engine.RunAsync(
            Invocation("echo-assembly", folder, "EchoAssembly.Repeat", ["hello", "world"], command: "repeat", options: options),
            ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("""{"body":"HELLO WORLD"}""", Assert.Single(outcome.Items).GetRawText());
    }

    [Fact]
    public async Task The_example_tally_command_answers_at_the_last_item_of_its_stage()
    {
        var folder = RepositoryPaths.Example("echo-assembly");
        _kit.Load("echo-assembly", folder, "lib/EchoAssembly.dll");
        var store = new MemoryPipelineStore();
        var outcomes = new List<ExecutionOutcome>();
        foreach (var step in new[] { InvocationStep.First, InvocationStep.Middle, InvocationStep.Last })
        {
            var invocation = Invocation("echo-assembly", folder, "EchoAssembly.Tally", store: store, command: "tally");
            invocation = invocation with { Context = Clone(invocation.Context, step) };
            outcomes.Add(await _engine.RunAsync(invocation, ExecutionLimits.Default, TestContext.Current.CancellationToken));
        }

        Assert.Equal([0, 0, 1], outcomes.Select(o => o.Items.Length));
        Assert.Equal("""{"count":3}""", outcomes[2].Items[0].GetRawText());
        Assert.Empty(store.Values);
    }

    [Fact]
    public async Task Many_invocations_run_at_once()
    {
        var runs = Enumerable.Range(0, 32).Select(i => _engine.RunAsync(
            Invocation("greeter", Folder(GreeterV1), "Cog.Fixtures.Greeter.Greet", [$"n{i}"]), ExecutionLimits.Default,
            TestContext.Current.CancellationToken));

        var outcomes = await Task.WhenAll(runs);

        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"Hello, n{i}"), outcomes.Select(o => o.Items[0].GetProperty("greeting").GetString()));
    }

    static CommandContext Clone(CommandContext context, InvocationStep step) => new()
    {
        Bundle = context.Bundle,
        Command = context.Command,
        PipelineId = context.PipelineId,
        InvocationId = context.InvocationId,
        Step = step,
        Input = JsonSerializer.SerializeToElement(new { step = step.ToString() }),
        User = context.User,
        Room = context.Room,
        Store = context.Store,
        Log = context.Log,
    };

    [Fact]
    public async Task A_folder_no_loaded_version_uses_is_refused()
    {
        var outcome = await _engine.RunAsync(
            Invocation("nowhere", EmptyFolder(), "Cog.Fixtures.Greeter.Greet"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("The bundle 'nowhere' is not loaded on this relay.", outcome.Message);
    }

    [Fact]
    public async Task Executables_are_not_run_in_workers()
    {
        var invocation = Invocation("greeter", Folder(GreeterV1), "x");
        invocation = invocation with { Command = invocation.Command with { Kind = CommandKind.Executable } };

        await Assert.ThrowsAsync<ArgumentException>(() => _engine.RunAsync(invocation, ExecutionLimits.Default, TestContext.Current.CancellationToken));
    }

    string EmptyFolder() => Directory.CreateTempSubdirectory("cog-assembly-tests-").FullName;
}
