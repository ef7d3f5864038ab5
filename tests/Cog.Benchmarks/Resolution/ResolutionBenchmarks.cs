using BenchmarkDotNet.Attributes;
using Cog.Language.Pipelines;
using Cog.Language.Resolution;
using Cog.Language.Text;

namespace Cog.Benchmarks.Resolution;

/// <summary>Resolving a three-stage pipeline whose first stage goes through a chain of three aliases.</summary>
[MemoryDiagnoser]
public class ResolutionBenchmarks
{
    static readonly SourceSpan Nowhere = new(SourcePosition.Start, 0);

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
        _userAliases = new AliasCatalog(
        [
            Alias("deploy-prod", Pipeline(Stage(StageJoin.None, null, "release", Word("now")))),
            Alias("release", Pipeline(Stage(StageJoin.None, null, "buckets"))),
        ]);
        _siteAliases = new AliasCatalog(
        [
            Alias("buckets", Pipeline(
                Stage(StageJoin.None, "s3", "list-buckets", new OptionArgument("region", true, Word("us-east-1"), Nowhere), Word("corp-prod-*")),
                Stage(StageJoin.Pipe, null, "bucket-info"))),
        ]);

        // deploy prod --force | rule create x | echo done
        _throughAliases = Pipeline(
            Stage(StageJoin.None, null, "deploy", Word("prod"), new OptionArgument("force", true, null, Nowhere)),
            Stage(StageJoin.Pipe, null, "rule", Word("create"), Word("x")),
            Stage(StageJoin.Pipe, null, "echo", Word("done")));
        // command7 list | operable:echo a b | s3:bucket-info
        _direct = Pipeline(
            Stage(StageJoin.None, null, "command7", Word("list")),
            Stage(StageJoin.Pipe, "operable", "echo", Word("a"), Word("b")),
            Stage(StageJoin.Pipe, "s3", "bucket-info"));
    }

    [Benchmark(Baseline = true)]
    public ResolvedPipeline Direct_commands() => CommandResolver.Resolve(_direct, _commands, _userAliases, _siteAliases).Value;

    [Benchmark]
    public ResolvedPipeline Through_three_aliases() => CommandResolver.Resolve(_throughAliases, _commands, _userAliases, _siteAliases).Value;

    static StringArgument Word(string text) => new(text, QuoteKind.None, Nowhere);

    static StageSyntax Stage(StageJoin join, string? bundle, string name, params ArgumentSyntax[] arguments) =>
        new(join, new CommandNameSyntax(bundle, name, Nowhere), [.. arguments], Nowhere);

    static PipelineSyntax Pipeline(params StageSyntax[] stages) => new([.. stages], null, Nowhere);

    static AliasDefinition Alias(string name, PipelineSyntax pipeline) => new(name, "", pipeline);
}
