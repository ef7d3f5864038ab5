using System.Text;
using BenchmarkDotNet.Attributes;
using Cog.Language.Pipelines;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;

namespace Cog.Benchmarks.Pipeline;

/// <summary>
/// Planning a large pipeline (parse, resolve, prepare and authorize every stage, explain) on the built-in
/// <c>operable</c> commands, with an audit that records nothing: how planning grows with the input. The pipeline limits
/// are lifted so that the large shapes are planned rather than refused, except for the last shape, which shows what
/// the server does with the reported 520,000-argument pipeline.
/// </summary>
[MemoryDiagnoser(false)]
public class PlanningBenchmarks
{
    static readonly PipelineCaller Caller = new("u-1", "alice", "alice", null, "bench");

    static readonly PipelineLimits Lifted = new()
    {
        MaxTextLength = int.MaxValue,
        MaxStages = int.MaxValue,
        MaxArguments = int.MaxValue,
        MaxVariableReferences = int.MaxValue,
        MaxVariablePathLength = int.MaxValue,
    };

    PipelineEngine _engine = null!;
    PipelineRequest _request = null!;

    /// <summary>The shape of the pipeline: <c>echo a a a …</c> with that many arguments, or <c>echo a | echo a | …</c>
    /// with that many stages.</summary>
    [Params("16k arguments", "32k arguments", "64k arguments", "10,000 stages", "520k arguments, default limits")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var directory = OperableDirectory.Load();
        var builtIns = new BuiltInCommands(directory, new StaticBundleDocumentation([]), new InMemoryNamedDataStore(),
            TimeProvider.System, BuiltInOptions.Default);
        var options = Shape.EndsWith("default limits", StringComparison.Ordinal) ? PipelineEngineOptions.Default : PipelineEngineOptions.Default with { Limits = Lifted };
        _engine = new PipelineEngine(directory, builtIns, new NoAudit(), TimeProvider.System, options);
        _request = new PipelineRequest(Text(Shape), Caller, PipelineRoom.Direct);
    }

    static string Text(string shape) => shape switch
    {
        "16k arguments" => Arguments(16 * 1024),
        "32k arguments" => Arguments(32 * 1024),
        "64k arguments" => Arguments(64 * 1024),
        "10,000 stages" => Stages(10_000),
        "520k arguments, default limits" => Arguments(520_000),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    static string Arguments(int count) => new StringBuilder("echo").Insert(4, " a", count).ToString();

    static string Stages(int count) => string.Join(" | ", Enumerable.Repeat("echo a", count));

    /// <summary>Plans the pipeline and explains it, running nothing.</summary>
    [Benchmark]
    public Task<PipelineExplanation> Plan() => _engine.ExplainAsync(_request, CancellationToken.None);
}
