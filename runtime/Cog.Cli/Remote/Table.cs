using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Cli.Remote;

/// <summary>
/// The original cogctl's plain tables: no borders, each column padded to its widest cell plus two spaces, trailing
/// spaces trimmed. <see cref="Rows"/> for key/value detail tables, <see cref="List"/> for a header row and records.
/// </summary>
static class Table
{
    /// <summary>The narrowest a column is cut to when a table is fitted to the terminal.</summary>
    const int NarrowestColumn = 6;

    static readonly AsyncLocal<int?> s_maxWidth = new();

    /// <summary>The width tables are fitted to in this run of cogctl (the terminal's, see
    /// <see cref="CogCtlEnvironment.TerminalWidth"/>), or <see langword="null"/> for no limit. Flows with the run's
    /// async context, so runs in parallel (tests) each keep their own.</summary>
    public static int? MaxWidth
    {
        get => s_maxWidth.Value;
        set => s_maxWidth.Value = value;
    }

    /// <summary>Renders rows as aligned columns; every line ends with a newline. With <see cref="MaxWidth"/> set, the
    /// widest columns are narrowed until a line fits and a cell longer than its column ends with "…".</summary>
    public static string Render(IReadOnlyList<string[]> rows)
    {
        var widths = new List<int>();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                var width = Width(row[i]);
                if (i == widths.Count)
                {
                    widths.Add(width);
                }
                else if (width > widths[i])
                {
                    widths[i] = width;
                }
            }
        }
        if (MaxWidth is { } max)
        {
            Fit(widths, max);
        }
        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                var cell = Flatten(row[i]);
                if (cell.Length > widths[i])
                {
                    cell = string.Concat(cell.AsSpan(0, widths[i] - 1), "…");
                }
                line.Append(cell).Append(' ', widths[i] - cell.Length + 2);
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A detail table: one <c>label value</c> row per field.</summary>
    public static string Rows(params (string Label, string Value)[] rows)
    {
        var cells = new List<string[]>(rows.Length);
        foreach (var (label, value) in rows)
        {
            cells.Add([label, value]);
        }
        return Render(cells);
    }

    /// <summary>A list table: the headers (upper-cased, '_' shown as ' ', as the original) then one row per record.
    /// With no records only the header row is printed.</summary>
    public static string List(string[] headers, IEnumerable<string[]> records)
    {
        var rows = new List<string[]>();
        var head = new string[headers.Length];
        for (var i = 0; i < headers.Length; i++)
        {
            head[i] = headers[i].ToUpperInvariant().Replace('_', ' ');
        }
        rows.Add(head);
        rows.AddRange(records);
        return Render(rows);
    }

    /// <summary>The given string fields of each object of <paramref name="items"/>, as list rows; times
    /// (<see cref="Fields.IsTime"/>) in cogctl's one time format (<see cref="Fields.Time"/>).</summary>
    public static List<string[]> Records(JsonArray items, params string[] fields)
    {
        var rows = new List<string[]>();
        foreach (var item in Fields.Objects(items))
        {
            var row = new string[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                row[i] = Fields.IsTime(fields[i]) ? Fields.Time(item, fields[i]) : Fields.Str(item, fields[i]) ?? "";
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The label the original derived from a field name: words capitalised, "id" as "ID".</summary>
    public static string Title(string field)
    {
        var words = field.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = words[i] == "id" ? "ID" : char.ToUpperInvariant(words[i][0]) + words[i][1..].ToLowerInvariant();
        }
        return string.Join(' ', words);
    }

    /// <summary>Narrows the widest column, one character at a time, until the columns and the two spaces between them fit
    /// in <paramref name="max"/> or every column is down to <see cref="NarrowestColumn"/>.</summary>
    static void Fit(List<int> widths, int max)
    {
        var total = 2 * (widths.Count - 1);
        foreach (var width in widths)
        {
            total += width;
        }
        while (total > max)
        {
            var widest = 0;
            for (var i = 1; i < widths.Count; i++)
            {
                if (widths[i] > widths[widest])
                {
                    widest = i;
                }
            }
            if (widths[widest] <= NarrowestColumn)
            {
                return;
            }
            widths[widest]--;
            total--;
        }
    }

    // A value with a line break would break the columns; show it on one line.
    static string Flatten(string cell) => cell.Contains('\n', StringComparison.Ordinal) ? cell.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) : cell;

    static int Width(string cell) => Flatten(cell).Length;
}
