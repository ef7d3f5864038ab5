namespace Cog.Language.Text;

/// <summary>A user-facing error with the place in the source it refers to.</summary>
/// <param name="Message">The message exactly as the catalog words it, without any position prefix.</param>
/// <param name="Position">Where in the source the error was found.</param>
/// <remarks>
/// Every message comes from one of the catalogs (<c>PipelineErrors</c>, <c>RuleErrors</c>, ...), and tests pin
/// the exact text: for a chat bot the message is the interface. Renderers decide how to show the position.
/// </remarks>
public sealed record LanguageError(string Message, SourcePosition Position)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Message} ({Position})";
}
