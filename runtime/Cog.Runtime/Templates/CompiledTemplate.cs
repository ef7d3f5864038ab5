using Fluid;

namespace Cog.Runtime.Templates;

/// <summary>What a template is written in.</summary>
public enum TemplateDialect
{
    /// <summary>Liquid producing Markdown (manifest version 6, Cog's own templates).</summary>
    Liquid,

    /// <summary>Cog 1.0's Greenbar (manifest versions 4 and 5), translated into Liquid when compiled.</summary>
    Greenbar,
}

/// <summary>A template ready to render, or the reason it cannot be (a syntax error, an untranslatable Greenbar
/// construct, a source over the size limit). Immutable; thread-safe.</summary>
public sealed class CompiledTemplate
{
    internal CompiledTemplate(string source, TemplateDialect dialect, IFluidTemplate? template, TemplateError? error)
    {
        Source = source;
        Dialect = dialect;
        Template = template;
        Error = error;
    }

    /// <summary>The template as written.</summary>
    public string Source { get; }

    /// <summary>What it is written in.</summary>
    public TemplateDialect Dialect { get; }

    /// <summary>Why it cannot be rendered, or <see langword="null"/>.</summary>
    public TemplateError? Error { get; }

    internal IFluidTemplate? Template { get; }
}

/// <summary>A rendering's Markdown, or why there is none.</summary>
/// <param name="Markdown">The output, when rendering succeeded.</param>
/// <param name="Error">Why it failed, otherwise.</param>
public readonly record struct RenderResult(string? Markdown, TemplateError? Error)
{
    /// <summary>Whether rendering succeeded.</summary>
    public bool IsSuccess => Error is null;
}
