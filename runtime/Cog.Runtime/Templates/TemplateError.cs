namespace Cog.Runtime.Templates;

/// <summary>Why a template could not be compiled or rendered.</summary>
/// <param name="Message">What is wrong, in the words of <see cref="TemplateErrors"/> (or the Liquid parser's).</param>
/// <param name="Line">The 1-based line in the template's source, or 0 when the error has no position.</param>
/// <param name="Column">The 1-based column, or 0.</param>
public sealed record TemplateError(string Message, int Line = 0, int Column = 0)
{
    /// <summary>Where, as <c>line L, column C</c>, or <see langword="null"/> without a position.</summary>
    public string? Position => Line > 0 ? $"line {Line}, column {Column}" : null;

    /// <summary>The message with its position.</summary>
    public override string ToString() => Position is { } at ? $"{Message} ({at})" : Message;
}
