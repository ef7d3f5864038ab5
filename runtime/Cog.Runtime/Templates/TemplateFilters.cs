using System.Text;
using Cog.Language.Values;
using Cog.Runtime.Rendering;
using Fluid;
using Fluid.Values;
using CogObject = Cog.Language.Values.ObjectValue;
using CogValue = Cog.Language.Values.Value;
using FluidString = Fluid.Values.StringValue;

namespace Cog.Runtime.Templates;

/// <summary>Cog's Liquid filters (docs/templates.md "Helpers"): <c>table</c>, <c>list</c>, <c>code</c>, <c>json</c>, <c>inline_code</c>,
/// <c>count</c>, <c>join</c> and <c>mention</c>. <c>table</c>, <c>list</c>, <c>code</c>, <c>json</c>, <c>inline_code</c>
/// and <c>mention</c> write Markdown structure and so return raw (unescaped) output, with every piece of data in it escaped
/// or encoded; <c>count</c> and <c>join</c> return plain values.</summary>
/// <remarks>Pure; thread-safe. A filter given arguments it cannot use fails the rendering with a
/// <see cref="TemplateFilterException"/>.</remarks>
static class TemplateFilters
{
    /// <summary>Adds the filters to <paramref name="filters"/> (replacing Liquid's own <c>join</c> and <c>json</c>).</summary>
    public static void Register(FilterCollection filters)
    {
        filters.AddFilter("table", Table);
        filters.AddFilter("list", List);
        filters.AddFilter("code", Code);
        filters.AddFilter("json", Json);
        filters.AddFilter("inline_code", InlineCode);
        filters.AddFilter("count", Count);
        filters.AddFilter("join", Join);
        filters.AddFilter("mention", Mention);
    }

    /// <summary><c>{{ rows | table }}</c>, <c>{{ rows | table: "name, version" }}</c>,
    /// <c>{{ rows | table: "name, version", headers: "Name, Version" }}</c>: a pipe table, one row per item. Columns
    /// default to every member of the items in order of first appearance; a column may be a path (<c>relay.name</c>).
    /// Columns whose values are all numbers are right-aligned.</summary>
    static ValueTask<FluidValue> Table(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var rows = Items(input);
        var columns = arguments.Count > 0 && !arguments.At(0).IsNil() ? Names(arguments.At(0)) : DefaultColumns(rows);
        var headers = arguments.HasNamed("headers") ? Names(arguments["headers"]) : columns.ConvertAll(static c => c.Length == 0 ? "value" : c);
        if (headers.Count != columns.Count)
            throw new TemplateFilterException(TemplateErrors.BadArgument("table", $"got {headers.Count} headers for {columns.Count} columns"));
        if (columns.Count == 0)
            return Raw("");

        var cells = new string[rows.Count, columns.Count];
        var numeric = new bool[columns.Count];
        Array.Fill(numeric, rows.Count > 0);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var value = columns[c].Length == 0 ? rows[r] : TemplateValues.At(rows[r], columns[c]);
                cells[r, c] = value is null ? "" : TemplateValues.Text(value);
                numeric[c] &= value is null or NullValue or IntValue or FloatValue;
            }
        }

        var markdown = new StringBuilder("\n\n");
        AppendRow(markdown, headers);
        markdown.Append('|');
        foreach (var isNumber in numeric)
            markdown.Append(isNumber ? " ---: |" : " --- |");
        markdown.Append('\n');
        var row = new string[columns.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
                row[c] = cells[r, c];
            AppendRow(markdown, row);
        }
        markdown.Append('\n');
        return Raw(markdown.ToString());
    }

    static void AppendRow(StringBuilder markdown, IReadOnlyList<string> cells)
    {
        markdown.Append('|');
        foreach (var cell in cells)
        {
            markdown.Append(' ');
            MarkdownText.AppendCell(markdown, cell);
            markdown.Append(" |");
        }
        markdown.Append('\n');
    }

    /// <summary><c>{{ items | list }}</c>, <c>{{ items | list: "name" }}</c>, <c>{{ items | list: "name", ordered: true }}</c>:
    /// a bulleted (or numbered) list of the items, or of one field of each.</summary>
    static ValueTask<FluidValue> List(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var path = arguments.Count > 0 && !arguments.At(0).IsNil() ? arguments.At(0).ToStringValue() : "";
        var ordered = arguments.HasNamed("ordered") && arguments["ordered"].ToBooleanValue();
        var markdown = new StringBuilder("\n\n");
        var number = 1;
        foreach (var item in Items(input))
        {
            var value = TemplateValues.At(item, path);
            markdown.Append(ordered ? $"{number++}. " : "- ");
            MarkdownText.AppendEscaped(markdown, value is null ? "" : TemplateValues.Text(value), lineStart: false);
            markdown.Append('\n');
        }
        markdown.Append('\n');
        return Raw(markdown.ToString());
    }

    /// <summary><c>{{ text | code }}</c>, <c>{{ text | code: "sh" }}</c>: a fenced code block (a list is shown one item per
    /// line, an object as JSON).</summary>
    static ValueTask<FluidValue> Code(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var language = arguments.Count > 0 && !arguments.At(0).IsNil() ? arguments.At(0).ToStringValue() : null;
        if (language is not null && (language.Contains('`', StringComparison.Ordinal) || language.Contains('\n', StringComparison.Ordinal)))
            throw new TemplateFilterException(TemplateErrors.BadArgument("code", "language must be one word"));
        var text = TemplateValues.ToCog(input) switch
        {
            ListValue list => string.Join('\n', list.Items.Select(TemplateValues.Text)),
            CogObject obj => TemplateValues.PrettyJson(obj),
            var other => TemplateValues.Text(other),
        };
        return Raw(MarkdownText.Fence(text, language));
    }

    /// <summary><c>{{ x | inline_code }}</c>: the text as inline code (backslashes are not escapes inside backticks, so
    /// <c>`{{ x }}`</c> would show them; this picks a fence the text cannot close).</summary>
    static ValueTask<FluidValue> InlineCode(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var text = TemplateValues.Text(input).Replace('\n', ' ').Replace('\r', ' ');
        if (text.Length == 0)
            return Raw("");
        var fence = new string('`', MarkdownText.LongestRun(text, '`') + 1);
        var pad = text.StartsWith('`') || text.EndsWith('`') || text.StartsWith(' ') ? " " : "";
        return Raw(fence + pad + text + pad + fence);
    }

    /// <summary><c>{{ data | json }}</c>: the data as indented JSON in a code block (Greenbar's <c>~json~</c>).</summary>
    static ValueTask<FluidValue> Json(FluidValue input, FilterArguments arguments, TemplateContext context) =>
        Raw(MarkdownText.Fence(TemplateValues.PrettyJson(TemplateValues.ToCog(input)), "json"));

    /// <summary><c>{{ x | count }}</c>: a list's length, an object's member count, else <c>N/A</c> (Greenbar's
    /// <c>~count~</c>).</summary>
    static ValueTask<FluidValue> Count(FluidValue input, FilterArguments arguments, TemplateContext context) => input switch
    {
        ArrayValue array => NumberValue.Create(array.Values.Count),
        DictionaryValue dictionary when dictionary.ToObjectValue() is IFluidIndexable indexable => NumberValue.Create(indexable.Count),
        _ => FluidString.Create("N/A"),
    };

    /// <summary><c>{{ items | join: ", " }}</c>, <c>{{ items | join: ", ", "name" }}</c>: the items' text (or one field
    /// of each) joined by the separator (default a space), as Liquid's <c>join</c> with an optional field.</summary>
    static ValueTask<FluidValue> Join(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var separator = arguments.Count > 0 ? arguments.At(0).ToStringValue() : " ";
        var path = arguments.Count > 1 ? arguments.At(1).ToStringValue() : "";
        var texts = new List<string>();
        foreach (var item in Items(input))
        {
            var value = TemplateValues.At(item, path);
            texts.Add(value is null ? "" : TemplateValues.Text(value));
        }
        return FluidString.Create(string.Join(separator, texts));
    }

    /// <summary><c>{{ person | mention }}</c>: a mention of a person given as <c>{provider, id, handle}</c>
    /// (<see cref="MentionData"/>; a text is read as a handle; nil and "" write nothing). Each provider shows it its own way
    /// (Slack <c>&lt;@U…&gt;</c> for its own people, <c>@handle</c> elsewhere).</summary>
    static ValueTask<FluidValue> Mention(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var value = TemplateValues.ToCog(input);
        if (value is NullValue or Cog.Language.Values.StringValue { Text.Length: 0 })
            return Raw("");
        return MentionData.Read(value) is { } mention
            ? Raw(MarkdownText.Mention(mention))
            : throw new TemplateFilterException(TemplateErrors.BadArgument("mention", "needs a person: an object with provider, id and handle"));
    }

    /// <summary>The items of a list; any other value is one item (nothing for nil).</summary>
    static List<CogValue> Items(FluidValue input)
    {
        var value = TemplateValues.ToCog(input);
        return value switch
        {
            ListValue list => [.. list.Items],
            NullValue => [],
            _ => [value],
        };
    }

    static List<string> Names(FluidValue value)
    {
        var names = new List<string>();
        if (value is ArrayValue array)
        {
            foreach (var item in array.Values)
                names.Add(item.ToStringValue().Trim());
            return names;
        }
        foreach (var name in value.ToStringValue().Split(','))
            names.Add(name.Trim());
        return names;
    }

    static List<string> DefaultColumns(List<CogValue> rows)
    {
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row is not CogObject obj)
            {
                if (seen.Add(""))
                    columns.Add("");
                continue;
            }
            foreach (var member in obj.Members)
            {
                if (seen.Add(member.Key))
                    columns.Add(member.Key);
            }
        }
        return columns;
    }

    static ValueTask<FluidValue> Raw(string markdown) => new FluidString(markdown, encode: false);
}

/// <summary>A Cog filter or tag refused its input; the rendering fails with <see cref="Exception.Message"/>.</summary>
sealed class TemplateFilterException(string message) : Exception(message);
