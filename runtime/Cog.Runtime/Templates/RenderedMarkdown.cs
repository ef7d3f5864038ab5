using System.Text;

namespace Cog.Runtime.Templates;

/// <summary>
/// Turns a template's rendered output into Markdown in which every value reads back as exactly the text it is. While a
/// template renders, each value it outputs is only marked (<see cref="Mark"/>), because how a value must be written depends
/// on where it lands: <see cref="Assemble"/> then reads the template's own text to find its code and writes each value
/// accordingly — escaped as text (<see cref="MarkdownText.Escape"/>) in ordinary text, verbatim inside a fenced code
/// block or an inline code span, whose delimiters are lengthened so that no value can close them.
/// </summary>
/// <remarks>
/// <para>Code is what the template writes: a fence line of three or more backticks or tildes, up to the next such line
/// of the same character at least as long; an inline code span, a run of backticks up to the next run of the same length
/// in the same paragraph. Values never open or close code. Two forms follow Cog 1.0's Greenbar, whose Markdown had code
/// spans only, each ending at the next run of the same backticks: a value on the fence line itself
/// (<c>```~$line~</c>) is the first line of the block, not an info string; a code span that holds a line break is shown
/// as a code block.</para>
/// <para>Cog's attachment fences (<see cref="AttachmentFence.Info"/>) hold Markdown, not code: their bodies are read like
/// the rest.</para>
/// <para>Pure; thread-safe.</para>
/// </remarks>
static class RenderedMarkdown
{
    /// <summary>Starts a value in rendered output.</summary>
    const char Open = '\uE000';

    /// <summary>Ends a value in rendered output.</summary>
    const char Close = '\uE001';

    /// <summary><paramref name="value"/> marked as data, without carriage returns. The marks are private-use characters,
    /// removed from the value itself so that data cannot forge them (and a value holding output the template captured
    /// is shown as text as a whole).</summary>
    public static string Mark(string value) => Open + Unmarked(value).Replace("\r", "", StringComparison.Ordinal) + Close;

    /// <summary><paramref name="text"/> without the marks' characters: template text must not hold them either.</summary>
    public static string Unmarked(string text) =>
        text.AsSpan().IndexOfAny(Open, Close) < 0 ? text
        : text.Replace(Open.ToString(), "", StringComparison.Ordinal).Replace(Close.ToString(), "", StringComparison.Ordinal);

    /// <summary>The Markdown of <paramref name="rendered"/>, the output of a template whose values are marked.</summary>
    public static string Assemble(string rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        return new Reader(rendered).Run();
    }

    /// <summary>The rendered text split into characters and, for each, whether it came from data.</summary>
    sealed class Reader
    {
        readonly string _text;
        readonly bool[] _data;
        readonly StringBuilder _output;
        readonly Stack<(char Char, int Length)> _attachments = new();

        // Reading only moves forward, so each paragraph's end is found once, and a run length that found no closing run
        // up to the paragraph's end is not looked for again before it (which keeps many unmatched backticks linear).
        int _paragraphEnd = -1;
        readonly Dictionary<int, int> _noRunBefore = [];

        public Reader(string rendered)
        {
            var text = new StringBuilder(rendered.Length);
            var data = new List<bool>(rendered.Length);
            var depth = 0;
            foreach (var c in rendered)
            {
                if (c == Open)
                {
                    depth++;
                    continue;
                }
                if (c == Close)
                {
                    depth = Math.Max(0, depth - 1);
                    continue;
                }
                text.Append(c);
                data.Add(depth > 0);
            }
            _text = text.ToString();
            _data = [.. data];
            _output = new StringBuilder(_text.Length + 64);
        }

        public string Run()
        {
            var i = 0;
            while (i < _text.Length)
            {
                if (_data[i])
                {
                    var end = i;
                    while (end < _text.Length && _data[end])
                        end++;
                    _output.Append(MarkdownText.Escape(_text[i..end]));
                    i = end;
                    continue;
                }
                var c = _text[i];
                if (c == '\\' && i + 1 < _text.Length && !_data[i + 1])
                {
                    _output.Append(c).Append(_text[i + 1]);
                    i += 2;
                    continue;
                }
                if (IsLineStart(i) && TryFence(ref i))
                    continue;
                if (c == '`')
                {
                    i = CodeSpan(i);
                    continue;
                }
                _output.Append(c);
                i++;
            }
            return _output.ToString();
        }

        bool IsLineStart(int i) => i == 0 || _text[i - 1] == '\n';

        /// <summary>The length of the run of template <paramref name="c"/> at <paramref name="i"/>.</summary>
        int TemplateRun(int i, char c)
        {
            var end = i;
            while (end < _text.Length && _text[end] == c && !_data[end])
                end++;
            return end - i;
        }

        int LineEnd(int i)
        {
            var end = _text.IndexOf('\n', i);
            return end < 0 ? _text.Length : end;
        }

        /// <summary>A fence line at <paramref name="i"/> (a line start): writes the block and moves past it.</summary>
        bool TryFence(ref int i)
        {
            var start = i;
            while (start < _text.Length && start - i < 3 && _text[start] == ' ' && !_data[start])
                start++;
            if (start >= _text.Length || _text[start] is not ('`' or '~') || _data[start])
                return false;
            var fenceChar = _text[start];
            var length = TemplateRun(start, fenceChar);
            if (length < 3)
                return false;
            var lineEnd = LineEnd(start);
            var after = start + length;
            // The info string is the template's text up to the line end or the first value (which starts the content).
            var infoEnd = after;
            while (infoEnd < lineEnd && !_data[infoEnd])
                infoEnd++;
            var info = _text[after..infoEnd];
            if (fenceChar == '`' && info.Contains('`', StringComparison.Ordinal))
                return false; // "```x```" on one line: a code span, as CommonMark and Greenbar read it.
            if (fenceChar == '`' && infoEnd < lineEnd && HasRun(infoEnd, lineEnd, length))
                return false; // "```~$x~```": a code span around a value.

            if (_attachments.TryPeek(out var open) && open.Char == fenceChar && length >= open.Length && info.Trim().Length == 0)
            {
                // The end of an attachment's Markdown body.
                _attachments.Pop();
                _output.Append(_text, i, lineEnd - i);
                i = lineEnd;
                return true;
            }
            if (info.TrimStart().StartsWith(AttachmentFence.Info, StringComparison.Ordinal))
            {
                _attachments.Push((fenceChar, length));
                _output.Append(_text, i, lineEnd - i);
                i = lineEnd;
                return true;
            }

            var content = new StringBuilder();
            var contentStart = infoEnd < lineEnd ? infoEnd : Math.Min(lineEnd + 1, _text.Length);
            var position = contentStart;
            var next = _text.Length;
            while (position < _text.Length)
            {
                var end = LineEnd(position);
                if (position > contentStart || infoEnd >= lineEnd)
                {
                    if (IsCloser(position, end, fenceChar, length))
                    {
                        next = end;
                        break;
                    }
                    if (_attachments.TryPeek(out var card) && IsCloser(position, end, card.Char, card.Length))
                    {
                        // An unclosed block inside an attachment ends with the attachment, as CommonMark ends it with
                        // its container; the attachment's closing line is read next.
                        next = position - 1;
                        break;
                    }
                }
                content.Append(_text, position, end - position).Append('\n');
                position = Math.Min(end + 1, _text.Length);
            }
            var body = content.ToString().TrimEnd('\n');
            var fence = new string(fenceChar, Math.Max(length, MarkdownText.LongestRun(body, fenceChar) + 1));
            _output.Append(fence).Append(info.TrimEnd()).Append('\n');
            if (body.Length > 0)
                _output.Append(body).Append('\n');
            _output.Append(fence);
            i = next;
            return true;
        }

        /// <summary>Whether the line <paramref name="start"/>..<paramref name="end"/> closes a fence: up to three spaces,
        /// at least <paramref name="length"/> of <paramref name="fenceChar"/>, then only spaces, all the template's.</summary>
        bool IsCloser(int start, int end, char fenceChar, int length)
        {
            var i = start;
            while (i < end && i - start < 3 && _text[i] == ' ' && !_data[i])
                i++;
            var run = TemplateRun(i, fenceChar);
            if (run < length)
                return false;
            for (i += run; i < end; i++)
            {
                if (_data[i] || _text[i] is not (' ' or '\t' or '\r'))
                    return false;
            }
            return true;
        }

        /// <summary>Whether the template has a run of exactly <paramref name="length"/> backticks in
        /// <paramref name="from"/>..<paramref name="to"/>.</summary>
        bool HasRun(int from, int to, int length) => FindRun(from, to, length) >= 0;

        int FindRun(int from, int to, int length)
        {
            var i = from;
            while (i < to)
            {
                if (_text[i] == '`' && !_data[i])
                {
                    var run = TemplateRun(i, '`');
                    if (run == length)
                        return i;
                    i += run;
                    continue;
                }
                i++;
            }
            return -1;
        }

        /// <summary>A run of backticks at <paramref name="i"/>: the code span it opens, or the run as text when no run of
        /// the same length closes it in the same paragraph. Returns where reading goes on.</summary>
        int CodeSpan(int i)
        {
            var length = TemplateRun(i, '`');
            var paragraphEnd = ParagraphEnd(i + length);
            var close = _noRunBefore.TryGetValue(length, out var until) && i < until ? -1 : FindRun(i + length, paragraphEnd, length);
            if (close < 0)
            {
                _noRunBefore[length] = paragraphEnd;
                _output.Append('`', length);
                return i + length;
            }
            var content = _text[(i + length)..close];
            if (content.Contains('\n', StringComparison.Ordinal))
            {
                // Greenbar's multi-line code span: a code block (its content trimmed, as Greenbar's Markdown did).
                var block = MarkdownText.Fence(content.Trim(), null);
                if (_output.Length > 0 && _output[^1] == '\n')
                    block = block[1..];
                _output.Append(block.TrimEnd('\n'));
                var next = close + length;
                // The fence ends its line: skip the rest of the closing line's spaces so the text after starts afresh.
                if (next < _text.Length && _text[next] != '\n')
                    _output.Append('\n');
                return next;
            }
            var runs = MarkdownText.LongestRun(content, '`');
            var delimiter = new string('`', runs >= length ? runs + 1 : length);
            var pad = content.StartsWith('`') || content.EndsWith('`') ? " " : "";
            _output.Append(delimiter).Append(pad).Append(content).Append(pad).Append(delimiter);
            return close + length;
        }

        /// <summary>Where the paragraph holding <paramref name="i"/> ends: the template's next blank line (a blank line
        /// inside a value does not end it), or the end.</summary>
        int ParagraphEnd(int i)
        {
            if (i <= _paragraphEnd)
                return _paragraphEnd;
            var position = i;
            while (true)
            {
                var newline = _text.IndexOf('\n', position);
                if (newline < 0)
                    return _paragraphEnd = _text.Length;
                var end = LineEnd(newline + 1);
                if (!_data[newline] && IsTemplateBlank(newline + 1, end))
                    return _paragraphEnd = newline;
                position = newline + 1;
            }
        }

        bool IsTemplateBlank(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                if (_data[i] || !char.IsWhiteSpace(_text[i]))
                    return false;
            }
            return true;
        }
    }
}
