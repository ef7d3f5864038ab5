using BenchmarkDotNet.Attributes;
using Cog.Language.Pipelines;

namespace Cog.Benchmarks.Pipelines;

/// <summary>Parsing chat text into a pipeline: the first thing every chat command costs.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    /// <summary>Three stages with long and short options, both quote kinds, a variable path and a redirect.</summary>
    public const string ThreeStages = "echo --n=3 \"foo bar\" $x[0] | seed 'a b' -v | sort --desc > #ops";

    [Benchmark]
    public PipelineSyntax Three_stage_pipeline() => PipelineParser.Parse(ThreeStages).Value;

    [Benchmark]
    public PipelineSyntax Single_word() => PipelineParser.Parse("help").Value;
}
