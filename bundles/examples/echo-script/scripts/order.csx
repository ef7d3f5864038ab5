// order: collects every item of the stage, then returns them sorted by the field named by --by.
// A command runs once per input item; the pipeline store (Store) carries the items seen so far,
// keyed by the invocation id, until the last item arrives.
var field = Options.GetString("by") ?? throw new ArgumentException("--by is required");
await Store.AppendAsync(Context.InvocationId, Input, CancellationToken);
if (Context.Step != InvocationStep.Last)
{
    return null; // nothing yet: the output comes with the last item
}

var items = (await Store.RemoveAsync(Context.InvocationId, CancellationToken))!.Value.EnumerateArray().ToList();
Log.Debug($"sorting {items.Count} items by {field}");

// Numbers sort before text, text before anything else; items without the field come last.
static (int Rank, double Number, string Text) Key(JsonElement item, string field) =>
    !item.TryGetProperty(field, out var value) ? (3, 0, "")
    : value.ValueKind == JsonValueKind.Number ? (0, value.GetDouble(), "")
    : value.ValueKind == JsonValueKind.String ? (1, 0, value.GetString()!)
    : (2, 0, value.GetRawText());

var sorted = Options.GetBoolean("desc")
    ? items.OrderByDescending(i => Key(i, field))
    : items.OrderBy(i => Key(i, field));
return sorted.ToList();
