using System.Text;

namespace Cog.Runtime.Slack.Text;

/// <summary>Slack's text conventions: the three escapes, and the rewriting of incoming markup
/// into the plain text Cog parses — <c>&lt;@U1&gt;</c> → <c>@handle</c>, <c>&lt;#C1|ops&gt;</c> → <c>#ops</c>,
/// <c>&lt;https://x|label&gt;</c> → <c>label</c>, <c>&lt;!here&gt;</c> → <c>@here</c>.</summary>
/// <remarks>Pure; a hand-written scanner (no regex) because every incoming message passes here.</remarks>
static class SlackText
{
    /// <summary>Escapes exactly <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>: what Slack requires of any text it parses, and
    /// nothing more.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        AppendEscaped(escaped, text);
        return escaped.ToString();
    }

    /// <summary>Appends <paramref name="text"/> escaped (see <see cref="Escape"/>).</summary>
    public static void AppendEscaped(StringBuilder target, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': target.Append("&amp;"); break;
                case '<': target.Append("&lt;"); break;
                case '>': target.Append("&gt;"); break;
                default: target.Append(c); break;
            }
        }
    }

    /// <summary>Decodes exactly the three escapes Slack applies to incoming text; any other <c>&amp;…;</c> stays.</summary>
    public static string Decode(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        AppendDecoded(builder, text);
        return builder.ToString();
    }

    static void AppendDecoded(StringBuilder target, ReadOnlySpan<char> text)
    {
        while (true)
        {
            var amp = text.IndexOf('&');
            if (amp < 0)
            {
                target.Append(text);
                return;
            }
            target.Append(text[..amp]);
            var rest = text[amp..];
            if (rest.StartsWith("&amp;", StringComparison.Ordinal))
            {
                target.Append('&');
                text = rest[5..];
            }
            else if (rest.StartsWith("&lt;", StringComparison.Ordinal))
            {
                target.Append('<');
                text = rest[4..];
            }
            else if (rest.StartsWith("&gt;", StringComparison.Ordinal))
            {
                target.Append('>');
                text = rest[4..];
            }
            else
            {
                target.Append('&');
                text = rest[1..];
            }
        }
    }

    /// <summary>The user ids (<c>&lt;@U…&gt;</c>) and the unlabelled channel ids (<c>&lt;#C…&gt;</c>) in
    /// <paramref name="text"/>: the names <see cref="Normalize"/> will need.</summary>
    public static void CollectReferences(string text, ICollection<string> userIds, ICollection<string> channelIds)
    {
        var span = text.AsSpan();
        while (NextToken(ref span, out _, out var token))
        {
            if (token.Length < 2)
                continue;
            var bar = token.IndexOf('|');
            var id = bar < 0 ? token[1..] : token[1..bar];
            if (token[0] == '@' && id.Length > 0)
                userIds.Add(id.ToString());
            else if (token[0] == '#' && bar < 0 && id.Length > 0)
                channelIds.Add(id.ToString());
        }
    }

    /// <summary>Rewrites Slack's incoming markup into plain text and decodes the escapes.</summary>
    /// <param name="text">The event's <c>text</c>.</param>
    /// <param name="userHandle">The handle of a user id, if known.</param>
    /// <param name="channelName">The name of a channel id, if known.</param>
    public static string Normalize(string text, Func<string, string?> userHandle, Func<string, string?> channelName)
    {
        var result = new StringBuilder(text.Length);
        var span = text.AsSpan();
        while (true)
        {
            var more = NextToken(ref span, out var before, out var token);
            AppendDecoded(result, before);
            if (!more)
                return result.ToString();
            AppendToken(result, token, userHandle, channelName);
        }
    }

    /// <summary>Removes a leading mention of <paramref name="botUserId"/> (<c>&lt;@U1&gt;</c> or <c>&lt;@U1|name&gt;</c>),
    /// then one optional <c>:</c> and the whitespace around it.</summary>
    public static bool TryStripLeadingMention(string text, string botUserId, out string rest)
    {
        var span = text.AsSpan().TrimStart();
        rest = text;
        if (!span.StartsWith("<@", StringComparison.Ordinal))
            return false;
        var end = span.IndexOf('>');
        if (end < 0)
            return false;
        var inner = span[2..end];
        var bar = inner.IndexOf('|');
        if (!(bar < 0 ? inner : inner[..bar]).SequenceEqual(botUserId))
            return false;
        span = span[(end + 1)..].TrimStart();
        if (span.StartsWith(':'))
            span = span[1..].TrimStart();
        rest = span.ToString();
        return true;
    }

    /// <summary>Finds the next <c>&lt;…&gt;</c>: <paramref name="before"/> is the text up to it, <paramref name="token"/>
    /// its inside; <see langword="false"/> (and the rest as <paramref name="before"/>) when there is none. A <c>&lt;</c>
    /// without a closing <c>&gt;</c> is text (Slack escapes a typed one, so it does not happen in practice).</summary>
    static bool NextToken(ref ReadOnlySpan<char> text, out ReadOnlySpan<char> before, out ReadOnlySpan<char> token)
    {
        var open = text.IndexOf('<');
        var close = open < 0 ? -1 : text[open..].IndexOf('>');
        if (close < 0)
        {
            before = text;
            token = default;
            text = default;
            return false;
        }
        before = text[..open];
        token = text.Slice(open + 1, close - 1);
        text = text[(open + close + 1)..];
        return true;
    }

    static void AppendToken(StringBuilder result, ReadOnlySpan<char> token, Func<string, string?> userHandle, Func<string, string?> channelName)
    {
        var bar = token.IndexOf('|');
        var head = bar < 0 ? token : token[..bar];
        var label = bar < 0 ? default : token[(bar + 1)..];
        if (head.Length > 1 && head[0] == '@')
        {
            var id = head[1..].ToString();
            var handle = userHandle(id) ?? (label.Length > 0 ? Decode(label.TrimStart('@')) : id);
            result.Append('@').Append(handle);
        }
        else if (head.Length > 1 && head[0] == '#')
        {
            var name = label.Length > 0 ? Decode(label) : channelName(head[1..].ToString()) ?? head[1..].ToString();
            result.Append('#').Append(name);
        }
        else if (head.Length > 1 && head[0] == '!')
        {
            var special = head[1..];
            if (special is "here" or "channel" or "everyone")
                result.Append('@').Append(special);
            else if (label.Length > 0)
                AppendDecoded(result, label);
            else if (special.StartsWith("subteam^", StringComparison.Ordinal))
                result.Append('@').Append(special["subteam^".Length..]);
            else
                AppendDecoded(result, special);
        }
        else if (label.Length > 0)
        {
            AppendDecoded(result, label);
        }
        else if (head.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            AppendDecoded(result, head["mailto:".Length..]);
        }
        else
        {
            AppendDecoded(result, head);
        }
    }
}
