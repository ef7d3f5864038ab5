using System.Globalization;
using System.Text;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>history [range] [--limit/-l N]</c>: the caller's own pipelines, one item <c>{"index", "text"}</c> each, newest
/// first. Ranges as Cog 1.0: none (the latest), <c>N</c> or <c>N-</c> (from N on), <c>-M</c> (up to M), <c>N-M</c> or
/// two numbers (between; a reversed range is turned round; no limit). <c>--limit</c> (default 20) caps the others.
/// </summary>
/// <remarks>The pipeline running <c>history</c> itself is left out. <c>-M</c> crashed Cog 1.0 and a negative number was
/// refused; here both mean "up to M".</remarks>
sealed class HistoryCommand(BuiltInAdministration administration) : IBuiltInCommand
{
    public const int DefaultLimit = 20;

    public string Name => "history";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        var limit = call.Input.Options.TryGetValue("limit", out var given) && given is IntValue { Number: var number } ? number : DefaultLimit;
        if (limit < 0)
            return CommandOutcome.Error(BuiltInMessages.HistoryNegativeLimit);
        var (range, error) = ParseRange(call.Input.Arguments);
        if (error is not null)
            return CommandOutcome.Error(error);
        var (from, to) = range;
        var capped = from is null || to is null;
        var query = new HistoryQuery(capped ? (int)Math.Min(limit + 1, int.MaxValue) : int.MaxValue)
        {
            UserId = call.Caller.UserId,
            FromIndex = from,
            ToIndex = to,
            OldestFirst = from is not null,
        };
        var entries = (await administration.Store.History.QueryAsync(query, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Id != call.PipelineId)
            .Take(capped ? (int)Math.Min(limit, int.MaxValue) : int.MaxValue)
            .OrderByDescending(static e => e.Index)
            .Select(static e => (Value)Output.Object(("index", new IntValue(e.Index)), ("text", new StringValue(e.Text))))
            .ToArray();
        return entries.Length == 0
            ? Output.Ok(Output.Body(new StringValue(BuiltInMessages.HistoryEmpty)), "text")
            : CommandOutcome.Ok([.. entries], Name);
    }

    static ((long? From, long? To) Range, string? Error) ParseRange(IReadOnlyList<Value> arguments)
    {
        switch (arguments)
        {
            case []:
                return ((null, null), null);
            case [IntValue { Number: >= 0 } start]:
                return ((start.Number, null), null);
            case [IntValue { Number: < 0 } end] when end.Number != long.MinValue:
                return ((null, -end.Number), null);
            case [IntValue { Number: >= 0 } a, IntValue { Number: >= 0 } b]:
                return ((Math.Min(a.Number, b.Number), Math.Max(a.Number, b.Number)), null);
            case [StringValue { Text: var text }]:
                var parts = text.Split('-');
                switch (parts)
                {
                    case [var start]:
                        return Number(start, out var s) is { } e1 ? (default, e1) : ((s, null), null);
                    case ["", var end]:
                        return Number(end, out var m) is { } e2 ? (default, e2) : ((null, m), null);
                    case [var start, ""]:
                        return Number(start, out var n) is { } e3 ? (default, e3) : ((n, null), null);
                    case [var start, var end]:
                        if (Number(start, out var a) is { } e4)
                            return (default, e4);
                        if (Number(end, out var b) is { } e5)
                            return (default, e5);
                        return ((Math.Min(a, b), Math.Max(a, b)), null);
                }
                break;
        }
        return (default, BuiltInMessages.HistoryBadRange(Inspect(arguments)));
    }

    static string? Number(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) ? null : BuiltInMessages.HistoryBadNumber(text);

    /// <summary>The arguments as Elixir's <c>inspect</c> prints a list: <c>["a", 3]</c>.</summary>
    static string Inspect(IReadOnlyList<Value> arguments)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < arguments.Count; i++)
        {
            if (i > 0)
                text.Append(", ");
            text.Append(arguments[i] is StringValue s ? $"\"{s.Text.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : arguments[i].ToJson());
        }
        return text.Append(']').ToString();
    }
}
