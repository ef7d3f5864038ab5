namespace Cog.Runtime.Templates;

/// <summary>The messages of template compilation and rendering. Greenbar's own messages are kept
/// where a Greenbar template fails the same way.</summary>
public static class TemplateErrors
{
    /// <summary>The template's text is longer than <see cref="TemplateLimits.MaxSourceLength"/>.</summary>
    public static string SourceTooLong(int limit) => $"The template is longer than {limit} characters.";

    /// <summary>The rendered output passed <see cref="TemplateLimits.MaxOutputLength"/>.</summary>
    public static string OutputTooLong(int limit) => $"The template's output is longer than {limit} characters.";

    /// <summary>Fluid stopped the template: too many steps (loops) or too deep (nesting).</summary>
    public static string TooMuchWork(int steps, int depth) =>
        $"The template did too much work (more than {steps} steps, or nesting deeper than {depth}).";

    /// <summary>The template nests blocks, brackets and parentheses deeper than <see cref="TemplateLimits.MaxRecursion"/>
    /// (refused before parsing).</summary>
    public static string TooDeep(int limit) =>
        $"The template nests deeper than {limit} levels (open blocks, brackets and parentheses count together).";

    /// <summary>The Markdown a template produced nests deeper than <see cref="MarkdownReader.MaxNestingDepth"/>.</summary>
    public static string MarkdownTooDeep(int limit) =>
        $"The template's output nests Markdown (quotes, lists, emphasis, links) deeper than {limit} levels.";

    /// <summary>An unknown filter (filters are strict, so a typo is reported, not silently ignored).</summary>
    public static string UnknownFilter(string detail) => $"Unknown filter: {detail}";

    /// <summary>Anything else that stopped the rendering.</summary>
    public static string RenderFailed(string detail) => $"The template failed: {detail}";

    /// <summary>A filter got an argument it cannot use.</summary>
    public static string BadArgument(string filter, string detail) => $"The '{filter}' filter {detail}.";

    /// <summary><c>field</c> outside an <c>attachment</c> block.</summary>
    public const string FieldOutsideAttachment = "The 'field' tag may only be used inside an 'attachment' block.";

    /// <summary>A Greenbar tag Cog for .NET does not translate, or a typo (Greenbar's message).</summary>
    public static string UnknownTag(string name) => $"Unknown tag '{name}'";

    /// <summary>A Greenbar instruction without its closing tilde (Greenbar's message).</summary>
    public const string MissingTilde = "Missing terminating tilde (~) for the instruction that starts here";

    /// <summary>A Greenbar <c>~end~</c> with no open body tag.</summary>
    public const string UnexpectedEnd = "'~end~' without an open body tag";

    /// <summary>A Greenbar body tag that is never closed.</summary>
    public static string MissingEnd(string tag) => $"Missing '~end~' for the '{tag}' tag";

    /// <summary>A Greenbar tag without an attribute it needs.</summary>
    public static string MissingAttribute(string tag, string attribute) => $"The '{tag}' tag needs '{attribute}='";

    /// <summary>A Greenbar expression that Cog for .NET cannot translate.</summary>
    public static string UnsupportedExpression(string text) => $"Cannot translate the Greenbar expression '{text}'";
}
