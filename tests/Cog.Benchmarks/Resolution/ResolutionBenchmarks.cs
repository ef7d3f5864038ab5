using BenchmarkDotNet.Attributes;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;

namespace Cog.Benchmarks.Resolution;

/// <summary>Resolving a three-stage pipeline whose first stage goes through a chain of three aliases.</summary>
[MemoryDiagnoser]
public class ResolutionBenchmarks
{
    CommandCatalog _commands = CommandCatalog.Empty;
    AliasCatalog _userAliases = AliasCatalog.Empty;
    AliasCatalog _siteAliases = AliasCatalog.Empty;
    PipelineSyntax _direct = null!;
    PipelineSyntax _throughAliases = null!;

    [GlobalSetup]
    public void Setup()
    {
        var bundles = new List<InstalledBundle>();
        for (var i = 0; i < 50; i++)
        {
            bundles.Add(new InstalledBundle($"bundle{i}", "1.0.0", [new BundleCommand($"command{i}", []), new BundleCommand($"command{i}-list", [])]));
        }
        bundles.Add(new InstalledBundle("operable", "0.18.2", [new BundleCommand("echo", []), new BundleCommand("rule-create", [])]));
        bundles.Add(new InstalledBundle("s3", "1.0.0", [new BundleCommand("list-buckets", []), new BundleCommand("bucket-info", [])]));
        _commands = new CommandCatalog(bundles);

        // deploy-prod -> release -> buckets -> s3:list-buckets --region=us-east-1 corp-prod-* | bucket-info
        _userAliases = new AliasCatalog([Alias("deploy-prod", "release now"), Alias("release", "buckets")]);
        _siteAliases = new AliasCatalog([Alias("buckets", "s3:list-buckets --region=us-east-1 corp-prod-* | bucket-info")]);
        _throughAliases = Parse("deploy prod --force | rule create x | echo done");
        _direct = Parse("command7 list | operable:echo a b | s3:bucket-info");
    }

    [Benchmark(Baseline = true)]
    public ResolvedPipeline Direct_commands() => CommandResolver.Resolve(_direct, _commands, _userAliases, _siteAliases).Value;

    [Benchmark]
    public ResolvedPipeline Through_three_aliases() => CommandResolver.Resolve(_throughAliases, _commands, _userAliases, _siteAliases).Value;

    static PipelineSyntax Parse(string text) => PipelineParser.Parse(text).Value;

    static AliasDefinition Alias(string name, string text) => new(name, text, Parse(text));
}
