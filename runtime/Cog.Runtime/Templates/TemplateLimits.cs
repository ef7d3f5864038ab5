namespace Cog.Runtime.Templates;

/// <summary>The bounds every template runs within, so a bad template (or bad data) costs one reply, never the server.</summary>
/// <remarks>Mutable options, validated when a <see cref="TemplateEngine"/> is built.</remarks>
public sealed class TemplateLimits
{
    /// <summary>The most characters a template's source may have. Default 100 000.</summary>
    public int MaxSourceLength { get; set; } = 100_000;

    /// <summary>The most statements a rendering may execute (Liquid's loops count each turn). Default 100 000.</summary>
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>How deeply a template may nest: open blocks plus the brackets and parentheses of the current tag, checked
    /// before parsing (a positioned error), and Fluid's own recursion limit when rendering. Default 64.</summary>
    public int MaxRecursion { get; set; } = 64;

    /// <summary>The most characters of Markdown a rendering may produce. Default 400 000.</summary>
    public int MaxOutputLength { get; set; } = 400_000;

    /// <summary>Throws when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSourceLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRecursion);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxOutputLength);
    }
}
