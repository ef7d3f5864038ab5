using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Language.Options;
using Cog.Language.Values;
using Cog.Manifest;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;
using Microsoft.Extensions.Time.Testing;
using Cog.Testing;

namespace Cog.Runtime.Tests.BuiltIns;

/// <summary>The built-in commands over the real <c>bundles/operable</c> manifest, a fake directory and a fake clock, as
/// the server wires them; runs single calls and whole pipelines.</summary>
sealed class OperableKit
{
    static readonly Lazy<BundleManifest> Manifest = new(LoadManifest);

    public OperableKit()
    {
        Directory = new FakeDirectory().Bundle(Operable.Name, Operable.Version,
            [.. Operable.Commands.Select(static c => (c.Name, c.Options.ToArray(), c.Rules.ToArray()))]);
        Documentation = [DocsOf(Operable, enabled: true)];
        Commands = new BuiltInCommands(Directory, new LiveDocumentation(Documentation), Data, Time,
            BuiltInOptions.Default with { CogVersion = "1.2.3", InstanceName = "cog-test" });
    }

    public static BundleManifest Operable => Manifest.Value;

    public FakeDirectory Directory { get; }

    public List<BundleDocs> Documentation { get; }

    public InMemoryNamedDataStore Data { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public BuiltInCommands Commands { get; }

    public static PipelineCaller Alice => Pipeline.Some.Alice;

    /// <summary>Runs one call of a built-in command on one item.</summary>
    public Task<CommandOutcome> Call(string command, Value[]? arguments = null, (string, Value)[]? options = null, Value? item = null,
        ItemStep step = ItemStep.Last, string invocationId = "inv-1", TimeSpan? timeout = null) =>
        Killable(TestContext.Current.CancellationToken, command, arguments, options, item, step, invocationId, timeout);

    /// <summary>Runs one call that <paramref name="cancellationToken"/> stops (a pipeline kill).</summary>
    public Task<CommandOutcome> Killable(CancellationToken cancellationToken, string command, Value[]? arguments = null, (string, Value)[]? options = null,
        Value? item = null, ItemStep step = ItemStep.Last, string invocationId = "inv-1", TimeSpan? timeout = null)
    {
        var input = new CommandInput([.. arguments ?? []], (options ?? []).ToImmutableDictionary(static o => o.Item1, static o => o.Item2));
        var call = new CommandCall("pipe-1", invocationId, 0, Operable.Name, Operable.Version, command, input, item ?? new ObjectValue([]), step,
            Alice, Pipeline.Some.Ops, timeout ?? TimeSpan.FromSeconds(60), $"operable:{command}");
        return Commands.ExecuteAsync(call, cancellationToken);
    }

    /// <summary>Calls a command once per item, as the engine does for one stage, and returns every outcome.</summary>
    public async Task<CommandOutcome[]> Stage(string command, Value[] items, Value[]? arguments = null, (string, Value)[]? options = null)
    {
        var outcomes = new CommandOutcome[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var step = items.Length == 1 || i == items.Length - 1 ? ItemStep.Last : i == 0 ? ItemStep.First : ItemStep.Middle;
            outcomes[i] = await Call(command, arguments, options, items[i], step);
        }
        return outcomes;
    }

    /// <summary>Runs a pipeline through the engine with the built-in commands as its executor.</summary>
    public Task<PipelineOutcome> Run(string text) =>
        new PipelineEngine(Directory, Commands, new CollectingAudit(), Time, PipelineEngineOptions.Default)
            .RunAsync(new PipelineRequest(text, Alice, Pipeline.Some.Ops), TestContext.Current.CancellationToken);

    public static Value J(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return Value.FromJson(document.RootElement);
    }

    public static Value[] Items(string jsonList) => [.. ((ListValue)J(jsonList)).Items];

    public static Value S(string text) => new StringValue(text);

    public static Value I(long number) => new IntValue(number);

    public static string JsonOf(IEnumerable<Value> items) => new ListValue([.. items]).ToJson();

    /// <summary>The documentation of a manifest, as the store-backed documentation reads it.</summary>
    public static BundleDocs DocsOf(BundleManifest manifest, bool enabled) => new(manifest.Name, manifest.Version, enabled,
        manifest.Description, manifest.LongDescription, manifest.Author, manifest.Homepage,
        [.. manifest.Commands.Select(static c => new CommandDocs(c.Name, c.Description, c.LongDescription, c.Arguments, c.Examples, c.Notes,
            c.Output?.Description, c.Output?.Example,
            [.. c.Options.Select(o => new OptionDocs(o.Name, o.Type, o.Required, o.ShortFlag, c.OptionDescriptions.GetValueOrDefault(o.Name)))]))]);

    static BundleManifest LoadManifest()
    {
        var result = ManifestLoader.LoadDirectory(Path.Combine(RepositoryPaths.Root, "bundles", "operable"));
        return result.Manifest ?? throw new InvalidOperationException(string.Join("\n", result.Errors));
    }

    /// <summary>Reads the kit's list at every call, so tests can add bundles after the commands are built.</summary>
    sealed class LiveDocumentation(List<BundleDocs> bundles) : IBundleDocumentation
    {
        public ValueTask<IReadOnlyList<BundleDocs>> GetBundlesAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<BundleDocs>>([.. bundles]);
    }
}
