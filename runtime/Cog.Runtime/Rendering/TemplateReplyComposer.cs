using System.Collections.Immutable;
using System.Globalization;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cog.Runtime.Rendering;

/// <summary>Cog 1.0's reply composer, with Cog's templates (docs/templates.md).</summary>
/// <remarks>
/// <para>Selection for a pipeline that produced output: the template named by the last item's response, looked up in the
/// bundle version that produced it (then Cog's <c>raw</c> and <c>text</c>; a name that is the command's own and is missing counts as no name); without a name, the template named after
/// the command when its bundle has one; else <c>text</c> when every result is exactly <c>{"body": lines}</c>, a table when
/// the results are objects of text, numbers, booleans and nulls, else <c>raw</c>. A named template that does not exist gives <c>error-template-not-found</c>; one that fails gives
/// <c>error-template-evaluation</c>; if that fails too, a fixed text. Failures, aborts and early exits use Cog's
/// <c>error</c>, <c>abort</c> and <c>early-exit</c> templates.</para>
/// <para>Thread-safe. Never throws for a bad template, odd data or an unreadable template store (logged, and the reply is
/// composed without the bundle's templates); only cancellation throws.</para>
/// </remarks>
public sealed partial class TemplateReplyComposer : IReplyComposer
{
    const string CommonBundle = "cog";

    /// <summary>The name and source of the table fallback: one row per item, a column per member in order of first
    /// appearance (the <c>table</c> helper).</summary>
    const string TableFallback = "table";
    const string TableFallbackSource = "{{ results | table }}";

    readonly ITemplateSource _templates;
    readonly TemplateEngine _engine;
    readonly ILogger _logger;

    /// <summary>Creates the composer.</summary>
    /// <param name="templates">Where bundles' templates are read.</param>
    /// <param name="engine">Compiles and renders them.</param>
    /// <param name="logger">Where template failures are logged (they are the bundle author's to fix).</param>
    public TemplateReplyComposer(ITemplateSource templates, TemplateEngine engine, ILogger<TemplateReplyComposer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(engine);
        (_templates, _engine, _logger) = (templates, engine, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc/>
    public ValueTask<ReplyDocument> ComposeAsync(PipelineOutcome outcome, ReplyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(context);
        return outcome.Status switch
        {
            PipelineStatus.Succeeded => OutputAsync(outcome, cancellationToken),
            PipelineStatus.NoOutput => CommonAsync(CommonTemplates.EarlyExit, ErrorContext(outcome, context), cancellationToken),
            PipelineStatus.Aborted => CommonAsync(CommonTemplates.Abort, [.. ErrorContext(outcome, context),
                new("abort_message", new StringValue(outcome.Message ?? ReplyMessages.DefaultAbort)),
                new("abort_from", Text(outcome.FailedInvocation))], cancellationToken),
            _ => CommonAsync(CommonTemplates.Error, [.. ErrorContext(outcome, context),
                new("error_message", new StringValue(outcome.Message ?? "")),
                new("planning_failure", outcome.Status == PipelineStatus.PlanningFailed ? new StringValue(outcome.FailedInvocation ?? context.PipelineText) : NullValue.Instance),
                new("execution_failure", outcome.Status == PipelineStatus.ExecutionFailed ? Text(outcome.FailedInvocation) : NullValue.Instance),
                new("position", outcome.Position is { } p ? new StringValue($"line {p.Line}, column {p.Column}") : NullValue.Instance)], cancellationToken),
        };
    }

    /// <inheritdoc/>
    public ValueTask<ReplyDocument> ComposeCommonAsync(string template, Value data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(data);
        List<KeyValuePair<string, Value>> variables = data is ObjectValue obj ? [.. obj.Members] : [new("data", data)];
        return CommonAsync(template, variables, cancellationToken);
    }

    async ValueTask<ReplyDocument> OutputAsync(PipelineOutcome outcome, CancellationToken cancellationToken)
    {
        var results = new ListValue(outcome.Items.IsDefault ? [] : outcome.Items);
        var source = outcome.TemplateSource;
        var bundle = source is null ? null : await BundleTemplatesAsync(source, cancellationToken).ConfigureAwait(false);
        if (outcome.Template is { } name)
        {
            if (bundle?.Find(name) is { } named)
                return await BundleTemplateAsync(bundle, named.Name, named.Source, results, cancellationToken).ConfigureAwait(false);
            if (name is CommonTemplates.Raw or CommonTemplates.Text)
                return await CommonAsync(name, [new("results", results)], cancellationToken).ConfigureAwait(false);
            // A command naming its own template asks for "the command's template", which is optional: the fallbacks apply.
            if (source is not null && name == source.Command)
                return await FallbackAsync(outcome.Items, results, cancellationToken).ConfigureAwait(false);
            LogTemplateNotFound(_logger, name, source?.Bundle ?? "", source?.Version ?? "");
            return await CommonAsync(CommonTemplates.TemplateNotFound, [
                new("template", new StringValue(name)),
                new("bundle", Text(source?.Bundle)),
                new("data", results)], cancellationToken).ConfigureAwait(false);
        }
        if (source is not null && bundle?.Find(source.Command) is { } own)
            return await BundleTemplateAsync(bundle, own.Name, own.Source, results, cancellationToken).ConfigureAwait(false);
        return await FallbackAsync(outcome.Items, results, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Output without a template: <c>text</c> for body lines, a table for a list of flat objects, else
    /// <c>raw</c>.</summary>
    async ValueTask<ReplyDocument> FallbackAsync(ImmutableArray<Value> items, ListValue results, CancellationToken cancellationToken)
    {
        if (IsText(items))
            return await CommonAsync(CommonTemplates.Text, [new("results", results)], cancellationToken).ConfigureAwait(false);
        if (!IsTable(items))
            return await CommonAsync(CommonTemplates.Raw, [new("results", results)], cancellationToken).ConfigureAwait(false);
        var compiled = _engine.GetOrCompile(new TemplateKey(CommonBundle, "", TableFallback), TableFallbackSource, TemplateDialect.Liquid);
        var rendered = await _engine.RenderAsync(compiled, [new("results", results)], cancellationToken).ConfigureAwait(false);
        if (rendered.IsSuccess)
            return MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output);
        // Past a limit (a huge list): the raw fallback reports it like any template would.
        LogTemplateFailed(_logger, TableFallback, CommonBundle, "", rendered.Error!.ToString());
        return await CommonAsync(CommonTemplates.Raw, [new("results", results)], cancellationToken).ConfigureAwait(false);
    }

    async ValueTask<BundleTemplates?> BundleTemplatesAsync(TemplateSource source, CancellationToken cancellationToken)
    {
        try
        {
            return await _templates.FindAsync(source.Bundle, source.Version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTemplatesUnreadable(_logger, e, source.Bundle, source.Version);
            return null;
        }
    }

    async ValueTask<ReplyDocument> BundleTemplateAsync(BundleTemplates bundle, string name, string source, ListValue results, CancellationToken cancellationToken)
    {
        var compiled = _engine.GetOrCompile(new TemplateKey(bundle.Bundle, bundle.Version, name), source, bundle.Dialect);
        var rendered = await _engine.RenderAsync(compiled, [new("results", results)], cancellationToken).ConfigureAwait(false);
        if (rendered.IsSuccess)
            return MarkdownReader.Read(rendered.Markdown!, ReplyKind.Output);
        var error = rendered.Error!;
        LogTemplateFailed(_logger, name, bundle.Bundle, bundle.Version, error.ToString());
        return await CommonAsync(CommonTemplates.TemplateEvaluation, [
            new("template", new StringValue(name)),
            new("bundle", new StringValue(bundle.Bundle)),
            new("error", new StringValue(error.Message)),
            new("position", Text(error.Position)),
            new("data", results)], cancellationToken).ConfigureAwait(false);
    }

    async ValueTask<ReplyDocument> CommonAsync(string name, List<KeyValuePair<string, Value>> data, CancellationToken cancellationToken)
    {
        var source = CommonTemplates.Find(name);
        if (source is null)
        {
            return name == CommonTemplates.TemplateNotFound
                ? Fixed(name)
                : await CommonAsync(CommonTemplates.TemplateNotFound, [
                    new("template", new StringValue(name)), new("bundle", new StringValue(CommonBundle)), new("data", new ObjectValue([.. data]))],
                    cancellationToken).ConfigureAwait(false);
        }
        var compiled = _engine.GetOrCompile(new TemplateKey(CommonBundle, "", name), source, TemplateDialect.Liquid);
        var rendered = await _engine.RenderAsync(compiled, data, cancellationToken).ConfigureAwait(false);
        if (rendered.IsSuccess)
            return MarkdownReader.Read(rendered.Markdown!, KindOf(name));
        // Cog's own templates fail only on data they cannot show; report it once, without recursion.
        LogTemplateFailed(_logger, name, CommonBundle, "", rendered.Error!.ToString());
        return Fixed(rendered.Error.ToString());
    }

    static ReplyDocument Fixed(string error) => ReplyDocument.FromText(ReplyMessages.IronyLevelExceeded(error), ReplyKind.Error);

    static ReplyKind KindOf(string common) => common switch
    {
        CommonTemplates.Raw or CommonTemplates.Text => ReplyKind.Output,
        CommonTemplates.Abort => ReplyKind.Abort,
        CommonTemplates.Error or CommonTemplates.ErrorRaw or CommonTemplates.TemplateNotFound or CommonTemplates.TemplateEvaluation => ReplyKind.Error,
        _ => ReplyKind.Notice,
    };

    /// <summary>Whether every item is exactly <c>{"body": [lines]}</c> or <c>{"body": "text"}</c> (the <c>text</c> fallback).</summary>
    internal static bool IsText(ImmutableArray<Value> items)
    {
        if (items.IsDefaultOrEmpty)
            return false;
        foreach (var item in items)
        {
            if (item is not ObjectValue { Members: [{ Key: "body", Value: ListValue or StringValue }] })
                return false;
        }
        return true;
    }

    /// <summary>Whether every item is a non-empty object whose members are all text, numbers, booleans or null (the
    /// table fallback: such results read as rows; nested data stays JSON, which shows its structure).</summary>
    internal static bool IsTable(ImmutableArray<Value> items)
    {
        if (items.IsDefaultOrEmpty)
            return false;
        foreach (var item in items)
        {
            if (item is not ObjectValue { Members.Length: > 0 } obj)
                return false;
            foreach (var member in obj.Members)
            {
                if (member.Value is ObjectValue or ListValue)
                    return false;
            }
        }
        return true;
    }

    /// <summary>Cog 1.0's error context.</summary>
    static List<KeyValuePair<string, Value>> ErrorContext(PipelineOutcome outcome, ReplyContext context) =>
    [
        new("id", new StringValue(outcome.PipelineId)),
        new("started", new StringValue(context.Started.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))),
        new("initiator", new StringValue(context.Initiator)),
        new("pipeline_text", new StringValue(context.PipelineText)),
    ];

    static Value Text(string? text) => text is null ? NullValue.Instance : new StringValue(text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template {Template} of bundle {Bundle} {Version} failed: {Error}")]
    static partial void LogTemplateFailed(ILogger logger, string template, string bundle, string version, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Template {Template} is not in bundle {Bundle} {Version}")]
    static partial void LogTemplateNotFound(ILogger logger, string template, string bundle, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "The templates of bundle {Bundle} {Version} could not be read")]
    static partial void LogTemplatesUnreadable(ILogger logger, Exception exception, string bundle, string version);
}
