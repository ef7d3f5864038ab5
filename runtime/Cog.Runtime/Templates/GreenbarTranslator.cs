using System.Text;
using Cog.Language.Text;

namespace Cog.Runtime.Templates;

/// <summary>Translates Cog 1.0's Greenbar into Cog's Liquid, line for line (so error lines match):
/// <c>~$var.path~</c>, <c>~each var=$x as=y~…~end~</c>, <c>~if cond=…~…~end~</c>, <c>~join var=$x with=", "~…~end~</c>,
/// <c>~count var=$x~</c>, <c>~br~</c>, <c>~json var=$x~</c>, <c>~attachment …~…~end~</c>, <c>#</c> comment lines and the
/// <c>\~</c> / <c>\#</c> escapes. Anything else is a <see cref="TemplateError"/> with the Greenbar position.</summary>
/// <remarks>Pure; thread-safe.</remarks>
static class GreenbarTranslator
{
    /// <summary>The Liquid text, or the error.</summary>
    public readonly record struct Translation(string? Liquid, TemplateError? Error);

    sealed class Failure(string message, int offset) : Exception(message)
    {
        public int Offset { get; } = offset;
    }

    /// <summary>Translates <paramref name="source"/>.</summary>
    public static Translation Translate(string source)
    {
        try
        {
            return new Translation(Run(source), null);
        }
        catch (Failure failure)
        {
            var at = SourcePosition.At(source, Math.Min(failure.Offset, source.Length));
            return new Translation(null, new TemplateError(failure.Message, at.Line, at.Column));
        }
    }

    static string Run(string source)
    {
        var output = new StringBuilder(source.Length + 64);
        var open = new Stack<(string Tag, string Close, int Offset)>();
        var lineStart = true;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (lineStart && c == '#')
            {
                // A comment line: kept as an empty tag line so lines still match, and then collapsed away.
                var end = source.IndexOf('\n', i);
                output.Append("{% comment %}{% endcomment %}");
                if (end < 0)
                    break;
                output.Append('\n');
                i = end;
                continue;
            }
            lineStart = c == '\n';
            if (c == '\\' && i + 1 < source.Length && source[i + 1] is '~' or '#')
            {
                output.Append(source[++i]);
                continue;
            }
            if (c == '{' && i + 1 < source.Length && source[i + 1] is '{' or '%')
            {
                output.Append("{{ \"{\" | raw }}");
                continue;
            }
            if (c != '~')
            {
                output.Append(c);
                continue;
            }
            var close = source.IndexOf('~', i + 1);
            var newline = source.IndexOf('\n', i + 1);
            if (close < 0 || (newline >= 0 && newline < close))
                throw new Failure(TemplateErrors.MissingTilde, i);
            var (at, depth) = (i, open.Count);
            Instruction(source[(i + 1)..close].Trim(), i, output, open);
            i = close;
            if (open.Count > depth && close + 1 < source.Length && source[close + 1] == '\n' && !StartsLine(source, at))
            {
                // Greenbar drops the newline that ends a body tag's line ("```~each var=$lines~⏎~$line~⏎~end~```" shows
                // one line per item, not a blank line between them). A tag alone on its line already leaves nothing
                // (TagLines); after text, the newline is swallowed by an empty comment, keeping the lines numbered.
                output.Append("{% comment %}\n{% endcomment %}");
                i++;
                lineStart = true;
            }
        }
        if (open.Count > 0)
        {
            var (tag, _, offset) = open.Peek();
            throw new Failure(TemplateErrors.MissingEnd(tag), offset);
        }
        return output.ToString();
    }

    /// <summary>Whether only spaces and tabs precede <paramref name="offset"/> on its line.</summary>
    static bool StartsLine(string source, int offset)
    {
        for (var i = offset - 1; i >= 0 && source[i] != '\n'; i--)
        {
            if (source[i] is not (' ' or '\t'))
                return false;
        }
        return true;
    }

    static void Instruction(string text, int offset, StringBuilder output, Stack<(string Tag, string Close, int Offset)> open)
    {
        if (text.StartsWith('$') || text.StartsWith("length(", StringComparison.Ordinal))
        {
            output.Append("{{ ").Append(Operand(text, offset)).Append(" }}");
            return;
        }
        var space = text.IndexOfAny([' ', '\t']);
        var name = space < 0 ? text : text[..space];
        var rest = space < 0 ? "" : text[(space + 1)..].Trim();
        switch (name)
        {
            case "end":
                if (open.Count == 0)
                    throw new Failure(TemplateErrors.UnexpectedEnd, offset);
                output.Append(open.Pop().Close);
                return;
            case "br":
                output.Append("{% br %}");
                return;
            case "if":
            {
                var condition = rest.StartsWith("cond=", StringComparison.Ordinal) ? rest[5..].Trim() : throw new Failure(TemplateErrors.MissingAttribute("if", "cond"), offset);
                var prelude = new StringBuilder();
                var translated = Condition(condition, offset, prelude);
                output.Append(prelude).Append("{% if ").Append(translated).Append(" %}");
                open.Push(("if", "{% endif %}", offset));
                return;
            }
        }
        var attributes = Attributes(rest, offset);
        switch (name)
        {
            case "each":
            {
                var list = Required(attributes, "each", "var", offset);
                var item = attributes.TryGetValue("as", out var alias) ? Bare(alias, offset) : "item";
                output.Append("{% for ").Append(item).Append(" in ").Append(Operand(list, offset)).Append(" %}");
                open.Push(("each", "{% endfor %}", offset));
                return;
            }
            case "join":
            {
                var list = Required(attributes, "join", "var", offset);
                var item = attributes.TryGetValue("as", out var alias) ? Bare(alias, offset) : "item";
                var separator = attributes.TryGetValue("with", out var with) ? Unquote(with) : ", ";
                output.Append("{% for ").Append(item).Append(" in ").Append(Operand(list, offset)).Append(" %}");
                open.Push(("join", "{% unless forloop.last %}" + separator.Replace("{", "{{ \"{\" | raw }}", StringComparison.Ordinal) + "{% endunless %}{% endfor %}", offset));
                return;
            }
            case "count":
                output.Append("{{ ").Append(Operand(Required(attributes, "count", "var", offset), offset)).Append(" | count }}");
                return;
            case "json":
                output.Append("{{ ").Append(Operand(Required(attributes, "json", "var", offset), offset)).Append(" | json }}");
                return;
            case "attachment":
            {
                output.Append("{% attachment");
                var first = true;
                foreach (var (key, value) in attributes)
                {
                    output.Append(first ? " " : ", ").Append(key).Append(": ").Append(Operand(value, offset));
                    first = false;
                }
                output.Append(" %}");
                open.Push(("attachment", "{% endattachment %}", offset));
                return;
            }
            default:
                throw new Failure(TemplateErrors.UnknownTag(name), offset);
        }
    }

    static string Required(List<KeyValuePair<string, string>> attributes, string tag, string name, int offset) =>
        attributes.TryGetValue(name, out var value) ? value : throw new Failure(TemplateErrors.MissingAttribute(tag, name), offset);

    static bool TryGetValue(this List<KeyValuePair<string, string>> attributes, string name, out string value)
    {
        foreach (var (key, found) in attributes)
        {
            if (key == name)
            {
                value = found;
                return true;
            }
        }
        value = "";
        return false;
    }

    /// <summary><c>name=value</c> pairs; values are <c>"quoted"</c>, <c>$variables</c> or single words.</summary>
    static List<KeyValuePair<string, string>> Attributes(string text, int offset)
    {
        var attributes = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var equals = text.IndexOf('=', i);
            if (equals < 0)
                throw new Failure(TemplateErrors.UnsupportedExpression(text[i..]), offset);
            var key = text[i..equals].Trim();
            if (key.Length == 0 || !IsIdentifier(key))
                throw new Failure(TemplateErrors.UnsupportedExpression(text[i..]), offset);
            i = equals + 1;
            int end;
            if (i < text.Length && text[i] == '"')
            {
                end = text.IndexOf('"', i + 1);
                if (end < 0)
                    throw new Failure(TemplateErrors.UnsupportedExpression(text[i..]), offset);
                end++;
            }
            else
            {
                end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                    end++;
            }
            attributes.Add(new(key, text[i..end]));
            i = end;
        }
        return attributes;
    }

    /// <summary>A Greenbar value as a Liquid expression.</summary>
    static string Operand(string text, int offset)
    {
        text = text.Trim();
        if (text.StartsWith("length(", StringComparison.Ordinal) && text.EndsWith(')'))
            return Operand(text[7..^1], offset) + " | size";
        if (text.StartsWith('$'))
        {
            var path = text[1..];
            if (path.Length == 0 || !IsPath(path))
                throw new Failure(TemplateErrors.UnsupportedExpression(text), offset);
            return path;
        }
        if (text.StartsWith('"') && text.EndsWith('"') && text.Length >= 2)
            return Quote(text[1..^1], text, offset);
        if (text is "true" or "false" || double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
            return text;
        return IsIdentifier(text) ? Quote(text, text, offset) : throw new Failure(TemplateErrors.UnsupportedExpression(text), offset);
    }

    /// <summary>A condition: <c>$x</c>, <c>$x OP value</c>, <c>$x empty?</c> / <c>not_empty?</c> / <c>bound?</c> /
    /// <c>not_bound?</c>.</summary>
    static string Condition(string text, int offset, StringBuilder prelude)
    {
        // Liquid conditions take no filters: a length() is assigned to a variable first.
        string Operand(string operand, int at)
        {
            if (!operand.StartsWith("length(", StringComparison.Ordinal))
                return GreenbarTranslator.Operand(operand, at);
            var name = $"cog_length_{prelude.Length}";
            prelude.Append("{% assign ").Append(name).Append(" = ").Append(GreenbarTranslator.Operand(operand, at)).Append(" %}");
            return name;
        }

        var parts = Words(text);
        switch (parts.Length)
        {
            case 1:
                return Operand(parts[0], offset);
            case 2:
                var operand = Operand(parts[0], offset);
                return parts[1] switch
                {
                    "empty?" => $"{operand} == empty or {operand} == nil",
                    "not_empty?" => $"{operand} != empty and {operand} != nil",
                    "bound?" => $"{operand} != nil",
                    "not_bound?" => $"{operand} == nil",
                    _ => throw new Failure(TemplateErrors.UnsupportedExpression(text), offset),
                };
            case 3 when parts[1] is ">" or ">=" or "<" or "<=" or "==" or "!=":
                return $"{Operand(parts[0], offset)} {parts[1]} {Operand(parts[2], offset)}";
            default:
                throw new Failure(TemplateErrors.UnsupportedExpression(text), offset);
        }
    }

    /// <summary>The words of a condition; a quoted string is one word.</summary>
    static string[] Words(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var end = i;
            if (text[i] == '"')
            {
                end = text.IndexOf('"', i + 1);
                end = end < 0 ? text.Length : end + 1;
            }
            else
            {
                while (end < text.Length && !char.IsWhiteSpace(text[end]))
                    end++;
            }
            words.Add(text[i..end]);
            i = end;
        }
        return [.. words];
    }

    static string Bare(string text, int offset) =>
        IsIdentifier(text) ? text : throw new Failure(TemplateErrors.UnsupportedExpression(text), offset);

    static string Unquote(string text) => text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : text;

    static string Quote(string text, string original, int offset) =>
        !text.Contains('"', StringComparison.Ordinal) ? $"\"{text}\""
        : !text.Contains('\'', StringComparison.Ordinal) ? $"'{text}'"
        : throw new Failure(TemplateErrors.UnsupportedExpression(original), offset);

    static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
            return false;
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return false;
        }
        return true;
    }

    /// <summary><c>name.key[0].other</c>.</summary>
    static bool IsPath(string text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '[' or ']'))
                return false;
        }
        return char.IsAsciiLetter(text[0]) || text[0] == '_';
    }
}
