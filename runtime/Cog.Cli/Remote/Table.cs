using System.Text;
using System.Text.Json.Nodes;

namespace Cog.Cli.Remote;

/// <summary>
/// The original cogctl's plain tables: no borders, each column padded to its widest cell plus two spaces, trailing
/// spaces trimmed. <see cref="Rows"/> for key/value detail tables, <see cref="List"/> for a header row and records.
/// </summary>
static class Table
{
    /// <summary>Renders rows as aligned columns; every line ends with a newline.</summary>
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
        var text = new StringBuilder();
        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                var cell = Flatten(row[i]);
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

    /// <summary>The given string fields of each object of <paramref name="items"/>, as list rows.</summary>
    public static List<string[]> Records(JsonArray items, params string[] fields)
    {
        var rows = new List<string[]>();
        foreach (var item in Fields.Objects(items))
        {
            var row = new string[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                row[i] = Fields.Str(item, fields[i]) ?? "";
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

    // A value with a line break would break the columns; show it on one line.
    static string Flatten(string cell) => cell.Contains('\n', StringComparison.Ordinal) ? cell.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) : cell;

    static int Width(string cell) => Flatten(cell).Length;
}
