using Cog.Language.Text;

namespace Cog.Cli.Output;

/// <summary>Human-readable errors: the message, its position, and the offending line with a caret under the place.</summary>
static class SourceExcerpt
{
    /// <summary>Writes <paramref name="error"/> found in <paramref name="source"/>.</summary>
    public static void Write(TextWriter output, string source, LanguageError error) =>
        Write(output, source, error.Message, error.Position.Line, error.Position.Column);

    /// <summary>Writes an error message located at a 1-based line and column of <paramref name="source"/>.</summary>
    public static void Write(TextWriter output, string source, string message, int line, int column)
    {
        output.WriteLine($"error: {message}");
        output.WriteLine($"  at line {line}, column {column}:");
        var lines = source.ReplaceLineEndings("\n").Split('\n');
        if (line < 1 || line > lines.Length)
        {
            return;
        }
        var text = lines[line - 1];
        output.WriteLine($"  | {text}");
        // Tabs keep their width under the caret so that it lines up in a terminal.
        var pad = new string([.. text.Take(Math.Max(0, column - 1)).Select(c => c == '\t' ? '\t' : ' ')]);
        output.WriteLine($"  | {pad}^");
    }
}
