using System.Diagnostics;
using System.Text.Json;
using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Assemblies;
using Cog.Relay.Tests.Support;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Assemblies.PluginFixtures;
using Cog.Testing;

namespace Cog.Relay.Tests.Execution.Assemblies;

public sealed class AssemblyEngineTests : IDisposable
{
    const string Prefix = "Cog.Fixtures.Misbehaving.";
    readonly PluginBundleCache _cache = new();
    readonly AssemblyEngine _engine;

    public AssemblyEngineTests()
    {
        _engine = new AssemblyEngine(_cache);
        _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));
        _cache.Load("misbehaving", "1.0.0", Folder(Misbehaving), AssemblyFile(Misbehaving));
    }

    public void Dispose() => _cache.Dispose();

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
    [InlineData("NeedsArguments", "The type 'Cog.Fixtures.Misbehaving.NeedsArguments' must have a public parameterless constructor: the relay creates one instance per invocation.")]
    public async Task A_type_that_is_not_a_runnable_command_is_named_in_the_error(string type, string message)
    {
        var outcome = await Run(type, TestContext.Current.CancellationToken);

        Assert.Equal(ExecutionOutcome.Error(message), outcome with { Items = [] });
    }

    [Fact]
    public async Task A_command_that_ignores_cancellation_is_abandoned_promptly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var outcome = await Run("IgnoresCancellation", timeout.Token);

        Assert.Equal(ExecutionOutcome.Error("The command was stopped: its time limit passed or the pipeline was cancelled."), outcome with { Items = [] });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_command_that_blocks_its_thread_does_not_block_the_engine()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        var outcome = await Run("BlocksThread", timeout.Token);

        Assert.Equal(AssemblyErrors.Cancelled, outcome.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_command_that_honours_cancellation_reports_the_cancellation()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var outcome = await Run("HonoursCancellation", timeout.Token);

        Assert.Equal(AssemblyErrors.Cancelled, outcome.Message);
    }

    [Fact]
    public async Task An_invocation_cancelled_before_it_starts_does_not_run()
    {
        var log = new CollectingCommandLog();
        var invocation = Invocation("misbehaving", Folder(Misbehaving), Prefix + "Reflect", log: log);

        var outcome = await _engine.RunAsync(invocation, ExecutionLimits.Default, new CancellationToken(canceled: true));

        Assert.Equal(AssemblyErrors.Cancelled, outcome.Message);
        Assert.Empty(log.Entries);
        Assert.Equal(0, _cache.Find("misbehaving", "1.0.0")!.InFlight);
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
        _cache.Load("old-yaml", "1.0.0", Folder(OldYaml), AssemblyFile(OldYaml));

        var outcome = await _engine.RunAsync(
            Invocation("old-yaml", Folder(OldYaml), "Cog.Fixtures.OldYaml.YamlVersion", ["answer: '42'"]), ExecutionLimits.Default,
            TestContext.Current.CancellationToken);

        var item = Assert.Single(outcome.Items);
        Assert.Equal(18, typeof(YamlDotNet.Serialization.Deserializer).Assembly.GetName().Version!.Major);
        Assert.StartsWith("16.", item.GetProperty("yamlDotNet").GetString(), StringComparison.Ordinal);
        Assert.Equal("""{"answer":"42"}""", item.GetProperty("parsed").GetRawText());
    }

    [Fact]
    public async Task The_bundle_shares_the_relays_Cog_Sdk_and_nothing_else()
    {
        _cache.Load("old-yaml", "1.0.0", Folder(OldYaml), AssemblyFile(OldYaml));
        await _engine.RunAsync(
            Invocation("old-yaml", Folder(OldYaml), "Cog.Fixtures.OldYaml.YamlVersion", ["a: b"]), ExecutionLimits.Default,
            TestContext.Current.CancellationToken);

        var context = _cache.Find("old-yaml", "1.0.0")!.LoadContext!;
        var own = context.Assemblies.Select(a => a.GetName().Name).Order(StringComparer.Ordinal);
        Assert.Equal(["Cog.Fixtures.OldYaml", "YamlDotNet"], own);
        Assert.DoesNotContain(typeof(ICommand).Assembly, context.Assemblies);
    }

    [Fact]
    public async Task A_bundle_without_an_assembly_is_reported()
    {
        _cache.Load("scripts-only", "1.0.0", Folder(GreeterV1), assembly: null);

        var outcome = await _engine.RunAsync(
            Invocation("scripts-only", Folder(GreeterV1), "Cog.Fixtures.Greeter.Greet"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("The bundle 'scripts-only' names no plugin assembly: a 'type' command needs the manifest's 'assembly'.", outcome.Message);
    }

    [Fact]
    public async Task A_missing_assembly_file_is_reported()
    {
        _cache.Load("ghost", "1.0.0", Folder(GreeterV1), "lib/Ghost.dll");

        var outcome = await _engine.RunAsync(
            Invocation("ghost", Folder(GreeterV1), "Ghost.Command"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("The bundle's plugin assembly 'lib/Ghost.dll' was not found in the bundle folder.", outcome.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_an_assembly_is_reported()
    {
        _cache.Load("broken", "1.0.0", Folder(GreeterV1), "Cog.Fixtures.Greeter.deps.json");

        var outcome = await _engine.RunAsync(
            Invocation("broken", Folder(GreeterV1), "Broken.Command"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.StartsWith("The bundle's plugin assembly 'Cog.Fixtures.Greeter.deps.json' could not be loaded: ", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unregistered_bundle_is_loaded_from_the_manifest_in_its_folder_on_first_use()
    {
        var folder = RepositoryPaths.Example("echo-assembly");
        var options = new CommandOptions([new("upper", JsonSerializer.SerializeToElement(true))]);

        var outcome = await _engine.RunAsync(
            Invocation("echo-assembly", folder, "EchoAssembly.Repeat", ["hello", "world"], command: "repeat", options: options),
            ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("""{"body":"HELLO WORLD"}""", Assert.Single(outcome.Items).GetRawText());
        Assert.NotNull(_cache.Find("echo-assembly", "1.0.0"));
    }

    [Fact]
    public async Task The_example_tally_command_answers_at_the_last_item_of_its_stage()
    {
        var folder = RepositoryPaths.Example("echo-assembly");
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
    public async Task A_folder_holding_another_bundle_is_refused()
    {
        var folder = RepositoryPaths.Example("echo-assembly");

        var outcome = await _engine.RunAsync(
            Invocation("impostor", folder, "EchoAssembly.Repeat"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("The bundle folder holds the bundle 'echo-assembly', not 'impostor'.", outcome.Message);
    }

    [Fact]
    public async Task A_folder_without_a_manifest_is_reported()
    {
        var outcome = await _engine.RunAsync(
            Invocation("nowhere", Folder(GreeterV1), "Cog.Fixtures.Greeter.Greet"), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.StartsWith("The bundle 'nowhere' could not be loaded: ", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_type_commands_are_accepted()
    {
        var invocation = Invocation("greeter", Folder(GreeterV1), "x");
        invocation = invocation with { Command = invocation.Command with { Kind = CommandKind.Script } };

        await Assert.ThrowsAsync<ArgumentException>(() => _engine.RunAsync(invocation, ExecutionLimits.Default, TestContext.Current.CancellationToken));
    }
}
