using Cog.Manifest;
using Cog.Relay.Execution;
using Cog.Relay.Tests.Support;
using Cog.Sdk;
using Cog.Testing;

namespace Cog.Relay.Tests.Execution.Scripts;

/// <summary>The example bundle <c>bundles/examples/echo-script</c> loads and its scripts run as documented.</summary>
public sealed class ExampleBundleTests : IAsyncDisposable
{
    readonly ScriptTestBundle _bundle = new();
    readonly string _directory = RepositoryPaths.Example("echo-script");
    readonly WorkerKit _kit;

    public ExampleBundleTests()
    {
        _kit = new WorkerKit(cacheDirectory: _bundle.CacheDirectory);
        _kit.Load("echo-script", _directory);
    }

    public async ValueTask DisposeAsync()
    {
        await _kit.DisposeAsync();
        _bundle.Dispose();
    }

    CommandManifest Command(string name)
    {
        var result = ManifestLoader.LoadDirectory(_directory);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Manifest!.FindCommand(name)!;
    }

    [Fact]
    public async Task Say_repeats_its_arguments_and_upper_cases_on_request()
    {
        var engine = _kit.Engine;

        var plain = await engine.RunAsync(_bundle.Invocation(Command("say"), _directory, args: ["hello", 42]), ExecutionLimits.Default, TestContext.Current.CancellationToken);
        var upper = await engine.RunAsync(_bundle.Invocation(Command("say"), _directory, args: ["hi"], options: [new("upper", true)]), ExecutionLimits.Default, TestContext.Current.CancellationToken);

        Assert.Equal("""{"text":"hello 42"}""", Assert.Single(plain.Items).GetRawText());
        Assert.Equal("""{"text":"HI"}""", Assert.Single(upper.Items).GetRawText());
    }

    [Fact]
    public async Task Order_collects_the_stage_and_answers_at_the_last_item()
    {
        var engine = _kit.Engine;
        var inputs = new[] { ("""{"n":3}""", InvocationStep.First), ("""{"n":"x"}""", InvocationStep.Middle), ("""{"n":1}""", InvocationStep.Middle), ("""{"m":0}""", InvocationStep.Last) };
        var outcomes = new List<ExecutionOutcome>();

        foreach (var (input, step) in inputs)
        {
            outcomes.Add(await engine.RunAsync(_bundle.Invocation(Command("order"), _directory, options: [new("by", "n")], input: input, step: step), ExecutionLimits.Default, TestContext.Current.CancellationToken));
        }

        Assert.All(outcomes, o => Assert.Equal(CommandStatus.Ok, o.Status));
        Assert.All(outcomes.Take(3), o => Assert.Empty(o.Items));
        Assert.Equal(["""{"n":1}""", """{"n":3}""", """{"n":"x"}""", """{"m":0}"""], outcomes[3].Items.Select(i => i.GetRawText()));
        Assert.Equal(1, _kit.Scripts.Compilations);
    }

}
