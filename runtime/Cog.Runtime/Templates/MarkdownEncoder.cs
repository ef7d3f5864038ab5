using System.Text.Encodings.Web;

namespace Cog.Runtime.Templates;

/// <summary>The encoder templates render with: every value a template outputs (<c>{{ x }}</c>) is marked as data
/// (<see cref="RenderedMarkdown.Mark"/>), and once the template has rendered <see cref="RenderedMarkdown.Assemble"/> writes
/// it for where it landed — escaped as text, or verbatim inside code — so data shows as the text it is and cannot add
/// emphasis, links, lists, tables or code, nor close a code block, by accident. Output marked raw (the <c>raw</c> filter,
/// Cog's helpers) is the template's own Markdown and is written as it is.</summary>
/// <remarks>Fluid writes values through <see cref="Encode(string)"/> and <see cref="Encode(TextWriter, string, int, int)"/>;
/// the per-character members required by <see cref="TextEncoder"/> (which Fluid does not use) escape punctuation only.
/// Thread-safe, stateless.</remarks>
sealed class MarkdownEncoder : TextEncoder
{
    /// <summary>The one instance.</summary>
    public static MarkdownEncoder Instance { get; } = new();

    MarkdownEncoder()
    {
    }

    /// <inheritdoc/>
    public override int MaxOutputCharactersPerInputCharacter => 5;

    /// <inheritdoc/>
    public override string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return RenderedMarkdown.Mark(value);
    }

    /// <inheritdoc/>
    public override void Encode(TextWriter output, string value, int startIndex, int characterCount)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        output.Write(RenderedMarkdown.Mark(value.Substring(startIndex, characterCount)));
    }

    /// <inheritdoc/>
    public override void Encode(TextWriter output, char[] value, int startIndex, int characterCount)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        output.Write(RenderedMarkdown.Mark(new string(value, startIndex, characterCount)));
    }

    /// <inheritdoc/>
    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 128 && (MarkdownText.IsSpecial((char)unicodeScalar) || unicodeScalar == '\r');

    /// <inheritdoc/>
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (WillEncode(text[i]))
                return i;
        }
        return -1;
    }

    /// <inheritdoc/>
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var text = unicodeScalar == '\r' ? "" : WillEncode(unicodeScalar) ? "\\" + (char)unicodeScalar : char.ConvertFromUtf32(unicodeScalar);
        if (text.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        for (var i = 0; i < text.Length; i++)
            buffer[i] = text[i];
        numberOfCharactersWritten = text.Length;
        return true;
    }
}
