namespace Cog.Cli.Configuration;

/// <summary>
/// The INI dialect of the original cogctl's configuration file (Python configobj): <c>[section]</c> headers,
/// <c>key = value</c> lines, <c>#</c> comments, values optionally in single or double quotes. Edits keep every
/// other line (comments, unknown sections, order) as it was.
/// </summary>
sealed class IniFile
{
    readonly List<string> _lines;

    IniFile(List<string> lines) => _lines = lines;

    /// <summary>An empty file.</summary>
    public static IniFile Empty() => new([]);

    /// <summary>Reads <paramref name="text"/>; null and a reason naming the line when a line is not INI.</summary>
    public static IniFile? Parse(string text, out string? problem)
    {
        var lines = new List<string>(text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        for (var i = 0; i < lines.Count; i++)
        {
            if (Classify(lines[i], out _, out _, out _) == LineKind.Invalid)
            {
                problem = ConfigErrors.LineNotIni(i + 1);
                return null;
            }
        }
        problem = null;
        return new IniFile(lines);
    }

    /// <summary>The section names in file order (each once).</summary>
    public IReadOnlyList<string> Sections()
    {
        var names = new List<string>();
        foreach (var line in _lines)
        {
            if (Classify(line, out var section, out _, out _) == LineKind.Section && !names.Contains(section!))
            {
                names.Add(section!);
            }
        }
        return names;
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="section"/>, or null.</summary>
    public string? Get(string section, string key)
    {
        string? current = null;
        string? found = null;
        foreach (var line in _lines)
        {
            switch (Classify(line, out var name, out var k, out var value))
            {
                case LineKind.Section:
                    current = name;
                    break;
                case LineKind.Entry when current == section && k == key:
                    found = value;
                    break;
            }
        }
        return found;
    }

    /// <summary>The keys and values of <paramref name="section"/> in file order.</summary>
    public IReadOnlyDictionary<string, string> Entries(string section)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        foreach (var line in _lines)
        {
            switch (Classify(line, out var name, out var k, out var value))
            {
                case LineKind.Section:
                    current = name;
                    break;
                case LineKind.Entry when current == section:
                    entries[k!] = value!;
                    break;
            }
        }
        return entries;
    }

    /// <summary>Sets <paramref name="key"/> in <paramref name="section"/>, adding the key (after the section's last
    /// entry) or the section (at the end) when missing.</summary>
    public void Set(string section, string key, string value)
    {
        var entry = $"{key} = {Quote(value)}";
        string? current = null;
        var sectionLine = -1;
        var lastEntry = -1;
        for (var i = 0; i < _lines.Count; i++)
        {
            switch (Classify(_lines[i], out var name, out var k, out _))
            {
                case LineKind.Section:
                    current = name;
                    if (name == section && sectionLine < 0)
                    {
                        sectionLine = i;
                        lastEntry = i;
                    }
                    break;
                case LineKind.Entry when current == section:
                    if (k == key)
                    {
                        _lines[i] = entry;
                        return;
                    }
                    lastEntry = i;
                    break;
            }
        }
        if (sectionLine >= 0)
        {
            _lines.Insert(lastEntry + 1, entry);
            return;
        }
        if (_lines.Count > 0 && _lines[^1].Trim().Length > 0)
        {
            _lines.Add("");
        }
        _lines.Add($"[{section}]");
        _lines.Add(entry);
    }

    /// <summary>The file's text, one line per line, ending with a newline.</summary>
    public override string ToString() => _lines.Count == 0 ? "" : string.Join('\n', _lines) + "\n";

    enum LineKind { Blank, Section, Entry, Invalid }

    static LineKind Classify(string line, out string? section, out string? key, out string? value)
    {
        section = key = value = null;
        var text = line.Trim();
        if (text.Length == 0 || text[0] == '#' || text[0] == ';')
        {
            return LineKind.Blank;
        }
        if (text[0] == '[')
        {
            var end = text.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || !IsComment(text.AsSpan(end + 1)))
            {
                return LineKind.Invalid;
            }
            section = text[1..end].Trim();
            return LineKind.Section;
        }
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return LineKind.Invalid;
        }
        key = text[..equals].Trim();
        var rest = text[(equals + 1)..].Trim();
        if (rest.Length > 0 && (rest[0] == '"' || rest[0] == '\''))
        {
            var close = rest.IndexOf(rest[0], 1);
            if (close < 0 || !IsComment(rest.AsSpan(close + 1)))
            {
                return LineKind.Invalid;
            }
            value = rest[1..close];
            return LineKind.Entry;
        }
        var hash = rest.IndexOf('#', StringComparison.Ordinal);
        value = (hash < 0 ? rest : rest[..hash]).Trim();
        return LineKind.Entry;
    }

    static bool IsComment(ReadOnlySpan<char> rest)
    {
        var trimmed = rest.Trim();
        return trimmed.IsEmpty || trimmed[0] == '#';
    }

    /// <summary>Quotes a value when configobj would otherwise read it differently (comment, list, padding).</summary>
    static string Quote(string value)
    {
        var plain = value.Length > 0 && value.Trim().Length == value.Length && value.IndexOfAny(['#', ',', '"', '\'', '=']) < 0;
        if (plain)
        {
            return value;
        }
        return value.Contains('"', StringComparison.Ordinal) ? $"'{value}'" : $"\"{value}\"";
    }
}
