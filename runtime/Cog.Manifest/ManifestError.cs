namespace Cog.Manifest;

/// <summary>One problem found in a bundle manifest, with where it is.</summary>
/// <param name="Message">The message exactly as <see cref="ManifestErrors"/> words it, without the location.</param>
/// <param name="File">The manifest's file name or path as the caller gave it.</param>
/// <param name="Line">One-based line, or 0 when the error is about the file as a whole (it cannot be read, it does not exist).</param>
/// <param name="Column">One-based column (UTF-16 code units), or 0 together with <paramref name="Line"/>.</param>
/// <param name="Pointer">
/// The JSON pointer of the value the error is about, written as a URI fragment (<c>#/commands/deploy/rules/0</c>,
/// <c>#</c> for the whole manifest), or empty when the error is about the text rather than a value (a YAML syntax error).
/// </param>
public sealed record ManifestError(string Message, string File, int Line, int Column, string Pointer)
{
    /// <summary>The error as compilers write it: <c>file:line:column: message</c>.</summary>
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
