using BenchmarkDotNet.Attributes;
using Cog.Language.Pipelines;

namespace Cog.Benchmarks.Pipelines;

/// <summary>Parsing and printing chat commands: the first thing every chat request does. Target: parse ≤ 2 µs.</summary>
[MemoryDiagnoser]
public class PipelineParserBenchmarks
{
    const string Typical = "echo --n=3 \"foo bar\" $x[0] | seed 'a b' -v | sort --desc > #ops";

    readonly PipelineSyntax _parsed = PipelineParser.Parse(Typical).Value;

    /// <summary>The reference pipeline from the parser's brief.</summary>
    [Benchmark]
    public PipelineSyntax Parse() => PipelineParser.Parse(Typical).Value;

    /// <summary>A one-word command, the most common chat input.</summary>
    [Benchmark]
    public PipelineSyntax ParseShort() => PipelineParser.Parse("help").Value;

    /// <summary>Printing the reference pipeline back to text.</summary>
    [Benchmark]
    public string Print() => PipelinePrinter.Print(_parsed);
}

