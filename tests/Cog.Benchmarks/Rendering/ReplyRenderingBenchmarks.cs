using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Slack.Rendering;
using Cog.Runtime.Templates;

namespace Cog.Benchmarks.Rendering;

/// <summary>
/// "Compose + render a 20-row table reply": a command's output (20 items) through its template (a heading and the
/// <c>table</c> helper) with the real <see cref="TemplateReplyComposer"/> (template compiled once and cached, as in the
/// server), then rendered for each provider — plain text (API, cogctl), HTML (web console), Slack (mrkdwn text + Block Kit
/// table). <see cref="Compose"/> alone is the shared part.
/// </summary>
[MemoryDiagnoser]
public class ReplyRenderingBenchmarks
{
    const string Template = "**{{ results | size }} bundles**\n{{ results | table: \"name, version, enabled, commands\", headers: \"Bundle, Version, Enabled, Commands\" }}";

    static readonly ReplyContext Context = new("bundle list", "@alice", DateTimeOffset.UnixEpoch);

    readonly SlackReplyRenderer _slack = new();
    TemplateReplyComposer _composer = null!;
    PipelineOutcome _outcome = null!;

    /// <summary>The composer over one bundle holding the template, and 20 items of output.</summary>
    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var bundle = new BundleTemplates("bench", "1.0.0", TemplateDialect.Liquid, ImmutableDictionary<string, string>.Empty.Add("list", Template));
        _composer = new TemplateReplyComposer(new OneBundle(bundle), new TemplateEngine(null, TimeProvider.System));
        var items = ImmutableArray.CreateBuilder<Value>(20);
        for (var i = 0; i < 20; i++)
        {
            items.Add(new ObjectValue([
                new("name", new StringValue($"bundle-{i:00}")),
                new("version", new StringValue($"1.{i}.0")),
                new("enabled", i % 3 == 0 ? BoolValue.False : BoolValue.True),
                new("commands", new IntValue(i * 7)),
            ]));
        }
        _outcome = new PipelineOutcome("p-1", PipelineStatus.Succeeded, items.MoveToImmutable(), null, null, null, null, null)
        {
            TemplateSource = new TemplateSource("bench", "1.0.0", "list"),
        };
        // Compile and cache the template outside the measurement, as a running server has.
        await Compose();
    }

    /// <summary>Template selection, rendering and Markdown reading: the provider-neutral reply.</summary>
    [Benchmark(Baseline = true)]
    public ValueTask<ReplyDocument> Compose() => _composer.ComposeAsync(_outcome, Context, CancellationToken.None);

    /// <summary>Compose, then plain text.</summary>
    [Benchmark]
    public async Task<string> Plain() => PlainTextFormatter.Format(await Compose());

    /// <summary>Compose, then HTML.</summary>
    [Benchmark]
    public async Task<string> Html() => HtmlFormatter.Format(await Compose());

    /// <summary>Compose, then the Slack messages (mrkdwn text and Block Kit table).</summary>
    [Benchmark]
    public async Task<object> Slack() => _slack.Render(await Compose());

    sealed class OneBundle(BundleTemplates bundle) : ITemplateSource
    {
        public ValueTask<BundleTemplates?> FindAsync(string name, string version, CancellationToken cancellationToken) =>
            ValueTask.FromResult<BundleTemplates?>(name == bundle.Bundle && version == bundle.Version ? bundle : null);
    }
}
