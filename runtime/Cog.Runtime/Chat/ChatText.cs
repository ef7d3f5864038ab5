namespace Cog.Runtime.Chat;

/// <summary>Cog 1.0: which chat messages are pipelines, and their text once the prefix or mention is removed and
/// the text is sanitized. Pure functions.</summary>
static class ChatText
{
    /// <summary>The pipeline text of <paramref name="message"/>, or <see langword="null"/> when the message is not for Cog:
    /// a direct message is all pipeline; in a room, text starting with <paramref name="prefix"/> (the rest; a bare
    /// prefix is ignored), else text starting with <paramref name="botMention"/> (case-insensitive, then one optional
    /// <c>:</c> and white space) or a message the provider says is addressed to the bot; anything else is ignored.</summary>
    /// <remarks>The text equal to <paramref name="previousCommandToken"/> (<c>!!</c>) is kept whole although it starts
    /// with the prefix, so it reaches the runner, which repeats the sender's previous pipeline.</remarks>
    public static string? ToPipeline(ChatMessage message, string prefix, string? botMention, string previousCommandToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Text.AsSpan().Trim();
        if (!message.Room.IsDirect && !message.AddressedToBot)
        {
            if (IsToken(text, previousCommandToken))
                return previousCommandToken;
            if (prefix.Length > 0 && text.StartsWith(prefix, StringComparison.Ordinal))
                text = text[prefix.Length..];
            else if (StripMention(text, botMention) is { } rest)
                text = rest.AsSpan();
            else
                return null;
        }
        var sanitized = Sanitize(text, prefix, previousCommandToken);
        return sanitized.Length == 0 ? null : sanitized;
    }

    /// <summary>Cog 1.0: strips a leading prefix again (unless the whole text is the previous-command
    /// token), curly double and single quotes become straight ones, an em-dash becomes <c>--</c>; trimmed. HTML entities
    /// are the provider's to decode.</summary>
    public static string Sanitize(ReadOnlySpan<char> text, string prefix, string previousCommandToken)
    {
        text = text.Trim();
        if (IsToken(text, previousCommandToken))
            return previousCommandToken;
        if (prefix.Length > 0 && text.StartsWith(prefix, StringComparison.Ordinal))
            text = text[prefix.Length..].TrimStart();
        if (text.IndexOfAny(Typographic) < 0)
            return text.ToString();
        var builder = new System.Text.StringBuilder(text.Length + 4);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\u201C' or '\u201D':
                    builder.Append('"');
                    break;
                case '\u2018' or '\u2019':
                    builder.Append('\'');
                    break;
                case '\u2014':
                    builder.Append("--");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>The text after a leading <paramref name="mention"/> (case-insensitive, not followed by a name character),
    /// one optional <c>:</c> and white space; <see langword="null"/> when the text does not start with the mention.</summary>
    static string? StripMention(ReadOnlySpan<char> text, string? mention)
    {
        if (string.IsNullOrEmpty(mention) || !text.StartsWith(mention, StringComparison.OrdinalIgnoreCase))
            return null;
        var rest = text[mention.Length..];
        if (rest.Length > 0 && IsNameChar(rest[0]))
            return null;
        rest = rest.TrimStart();
        if (rest.Length > 0 && rest[0] == ':')
            rest = rest[1..];
        return rest.Trim().ToString();
    }

    static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    static bool IsToken(ReadOnlySpan<char> text, string token) => token.Length > 0 && text.SequenceEqual(token);

    const string Typographic = "\u201C\u201D\u2018\u2019\u2014";
}
