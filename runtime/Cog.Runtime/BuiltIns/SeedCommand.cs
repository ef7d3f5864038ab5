using System.Text;
using System.Text.Json;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>seed '&lt;json&gt;'</c>: a JSON object becomes one item, a non-empty list of objects one item each.</summary>
/// <remarks>Cog 1.0's seed also turned <c>\"</c> into <c>"</c> because its parser kept backslashes in quoted arguments;
/// the command language now does that itself (docs/language.md L3), so the text is taken as it arrives.</remarks>
sealed class SeedCommand : IBuiltInCommand
{
    static readonly JsonDocumentOptions Json = new() { MaxDepth = 64 };

    public string Name => "seed";

    public ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Run(call));

    static CommandOutcome Run(CommandCall call)
    {
        if (call.Input.Arguments.Length != 1)
        {
            return CommandOutcome.Error(BuiltInMessages.SeedSingleArgument);
        }
        if (call.Input.Arguments[0] is not StringValue { Text: var text })
        {
            return CommandOutcome.Error(BuiltInMessages.SeedNotString);
        }
        Value value;
        try
        {
            using var document = JsonDocument.Parse(text, Json);
            value = Value.FromJson(document.RootElement);
        }
        catch (JsonException e)
        {
            var (line, column) = Where(text, e);
            return CommandOutcome.Error(BuiltInMessages.SeedBadJson(line, column));
        }
        switch (value)
        {
            case ObjectValue:
                return Output.Ok(value);
            case ListValue { Items.Length: > 0 } list:
                foreach (var item in list.Items)
                {
                    if (item is not ObjectValue)
                    {
                        return CommandOutcome.Error(BuiltInMessages.SeedListOfMaps);
                    }
                }
                return CommandOutcome.Ok(list.Items);
            default:
                return CommandOutcome.Error(BuiltInMessages.SeedNotMapOrList);
        }
    }

    /// <summary>The 1-based line and column (in characters) of a JSON error, from the reader's 0-based line and byte offset.</summary>
    static (int Line, int Column) Where(string text, JsonException error)
    {
        var line = (int)(error.LineNumber ?? 0);
        var bytes = (int)(error.BytePositionInLine ?? 0);
        var start = 0;
        for (var i = 0; i < line && start < text.Length; i++)
        {
            var next = text.IndexOf('\n', start);
            start = next < 0 ? text.Length : next + 1;
        }
        var end = text.IndexOf('\n', start);
        var lineText = text.AsSpan(start, (end < 0 ? text.Length : end) - start);
        var utf8 = Encoding.UTF8.GetBytes(lineText.ToArray());
        var column = Encoding.UTF8.GetCharCount(utf8, 0, Math.Min(bytes, utf8.Length));
        return (line + 1, column + 1);
    }
}
