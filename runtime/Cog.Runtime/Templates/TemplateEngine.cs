using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Fluid;
using CogValue = Cog.Language.Values.Value;

namespace Cog.Runtime.Templates;

/// <summary>Compiles and renders templates: Liquid (Fluid) with Cog's helpers, under <see cref="TemplateLimits"/>, with
/// every output value written as text for where it lands (<see cref="RenderedMarkdown"/>: escaped, or verbatim in code).
/// Greenbar sources are translated to Liquid first.</summary>
/// <remarks>
/// <para>Thread-safe; one per server. Compiled templates are cached by (bundle, version, name) and reused while their
/// source is unchanged.</para>
/// <para>Never throws for a bad template or odd data: failures are <see cref="TemplateError"/> values. Only
/// cancellation throws.</para>
/// </remarks>
public sealed class TemplateEngine
{
    /// <summary>The most compiled templates kept; the cache is emptied when it would grow past this.</summary>
    const int MaxCached = 2048;

    readonly FluidParser _parser = AttachmentFence.CreateParser();
    readonly TemplateOptions _options;
    readonly TemplateLimits _limits;
    readonly ConcurrentDictionary<TemplateKey, CompiledTemplate> _cache = new();

    /// <summary>Creates an engine.</summary>
    /// <param name="limits">The bounds of every template; validated here. Defaults apply when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock of Liquid's <c>now</c> (and the <c>date</c> filter); UTC.</param>
    public TemplateEngine(TemplateLimits? limits, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _limits = limits ?? new TemplateLimits();
        _limits.Validate();
        _options = new TemplateOptions
        {
            MaxSteps = _limits.MaxSteps,
            MaxRecursion = _limits.MaxRecursion,
            StrictFilters = true,
            CultureInfo = CultureInfo.InvariantCulture,
            TimeZone = TimeZoneInfo.Utc,
            Now = timeProvider.GetUtcNow,
        };
        TemplateFilters.Register(_options.Filters);
    }

    /// <summary>The compiled template for <paramref name="key"/>, compiled from <paramref name="source"/> unless the cache
    /// holds one for the same source.</summary>
    public CompiledTemplate GetOrCompile(TemplateKey key, string source, TemplateDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(source);
        if (_cache.TryGetValue(key, out var cached) && cached.Dialect == dialect && string.Equals(cached.Source, source, StringComparison.Ordinal))
            return cached;
        var compiled = Compile(source, dialect);
        if (_cache.Count >= MaxCached)
            _cache.Clear();
        _cache[key] = compiled;
        return compiled;
    }

    /// <summary>Compiles <paramref name="source"/> (no caching).</summary>
    public CompiledTemplate Compile(string source, TemplateDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Length > _limits.MaxSourceLength)
            return new CompiledTemplate(source, dialect, null, new TemplateError(TemplateErrors.SourceTooLong(_limits.MaxSourceLength)));
        var liquid = RenderedMarkdown.Unmarked(source);
        if (dialect == TemplateDialect.Greenbar)
        {
            var translated = GreenbarTranslator.Translate(liquid);
            if (translated.Error is not null)
                return new CompiledTemplate(source, dialect, null, translated.Error);
            liquid = translated.Liquid!;
        }
        var collapsed = TagLines.Collapse(liquid);
        if (TemplateNesting.FindTooDeep(collapsed.Text, _limits.MaxRecursion) is >= 0 and var tooDeep)
        {
            var at = Cog.Language.Text.SourcePosition.At(liquid, Math.Min(collapsed.Original(tooDeep), liquid.Length));
            return new CompiledTemplate(source, dialect, null, new TemplateError(TemplateErrors.TooDeep(_limits.MaxRecursion), at.Line, at.Column));
        }
        try
        {
            return _parser.TryParse(collapsed.Text, out var template, out var error)
                ? new CompiledTemplate(source, dialect, template, null)
                : new CompiledTemplate(source, dialect, null, ParseError(error, liquid, collapsed));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Fluid reports syntax errors through TryParse; anything thrown is still the template's fault.
            return new CompiledTemplate(source, dialect, null, ParseError(e.Message, liquid, collapsed));
        }
    }

    /// <summary>Renders <paramref name="template"/> with <paramref name="data"/> as its variables.</summary>
    public async ValueTask<RenderResult> RenderAsync(CompiledTemplate template, IReadOnlyList<KeyValuePair<string, CogValue>> data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(data);
        cancellationToken.ThrowIfCancellationRequested();
        if (template.Error is not null)
            return new RenderResult(null, template.Error);
        var context = new TemplateContext(_options);
        foreach (var (name, value) in data)
            context.SetValue(name, TemplateValues.ToFluid(value));
        var output = new BoundedWriter(_limits.MaxOutputLength);
        try
        {
            await template.Template!.RenderAsync(output, context, MarkdownEncoder.Instance).ConfigureAwait(false);
        }
        catch (OutputLimitException)
        {
            return new RenderResult(null, new TemplateError(TemplateErrors.OutputTooLong(_limits.MaxOutputLength)));
        }
        catch (TemplateFilterException e)
        {
            return new RenderResult(null, new TemplateError(e.Message));
        }
        catch (FluidException e) when (e.Message.StartsWith("Undefined filter", StringComparison.Ordinal))
        {
            return new RenderResult(null, new TemplateError(TemplateErrors.UnknownFilter(e.Message["Undefined filter".Length..].Trim())));
        }
        catch (InvalidOperationException e) when (e.Message.StartsWith("The maximum", StringComparison.Ordinal))
        {
            return new RenderResult(null, new TemplateError(TemplateErrors.TooMuchWork(_limits.MaxSteps, _limits.MaxRecursion)));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new RenderResult(null, new TemplateError(TemplateErrors.RenderFailed(e.Message)));
        }
        cancellationToken.ThrowIfCancellationRequested();
        // Escaping happens after rendering, so the limit is checked again on the Markdown it makes.
        var markdown = RenderedMarkdown.Assemble(output.ToString());
        return markdown.Length > _limits.MaxOutputLength
            ? new RenderResult(null, new TemplateError(TemplateErrors.OutputTooLong(_limits.MaxOutputLength)))
            : new RenderResult(markdown, null);
    }

    /// <summary>Fluid's "message at (L:C)\nSource:\n…" as a message and a position in the template as written.</summary>
    static TemplateError ParseError(string? error, string liquid, TagLines.Collapsed collapsed)
    {
        var text = error ?? "";
        var source = text.IndexOf("\nSource:", StringComparison.Ordinal);
        if (source >= 0)
            text = text[..source];
        text = text.Trim();
        var at = text.LastIndexOf(" at (", StringComparison.Ordinal);
        if (at < 0 || !text.EndsWith(')'))
            return new TemplateError(text);
        var numbers = text[(at + 5)..^1].Split(':');
        if (numbers.Length != 2 || !int.TryParse(numbers[0], CultureInfo.InvariantCulture, out var line) || !int.TryParse(numbers[1], CultureInfo.InvariantCulture, out var column))
            return new TemplateError(text);
        var offset = OffsetOf(collapsed.Text, line, column);
        var original = Cog.Language.Text.SourcePosition.At(liquid, Math.Min(collapsed.Original(offset), liquid.Length));
        return new TemplateError(text[..at], original.Line, original.Column);
    }

    static int OffsetOf(string text, int line, int column)
    {
        var offset = 0;
        for (var current = 1; current < line && offset < text.Length; offset++)
        {
            if (text[offset] == '\n')
                current++;
        }
        return Math.Min(offset + Math.Max(0, column - 1), text.Length);
    }

    /// <summary>A StringWriter that stops the rendering when the output passes the limit.</summary>
    sealed class BoundedWriter(int limit) : StringWriter(CultureInfo.InvariantCulture)
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(StringBuilder? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        void Check(int more)
        {
            if (GetStringBuilder().Length + more > limit)
                throw new OutputLimitException();
        }
    }

    sealed class OutputLimitException : Exception;
}

/// <summary>Identifies a bundle version's template in the compiled-template cache.</summary>
/// <param name="Bundle">The bundle name (or <c>cog</c> for Cog's common templates).</param>
/// <param name="Version">The bundle version.</param>
/// <param name="Name">The template name.</param>
public sealed record TemplateKey(string Bundle, string Version, string Name);
