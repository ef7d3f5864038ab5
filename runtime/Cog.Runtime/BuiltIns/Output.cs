using System.Collections.Immutable;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>Small builders for the outcomes of built-in commands.</summary>
static class Output
{
    /// <summary>One item <c>{"body": [value]}</c>: how Cog 1.0 wraps a command's text or number.</summary>
    public static ObjectValue Body(Value value) => new([new("body", new ListValue([value]))]);

    public static ObjectValue Object(params (string Key, Value Value)[] members)
    {
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, Value>>(members.Length);
        foreach (var (key, value) in members)
        {
            builder.Add(new(key, value));
        }
        return new ObjectValue(builder.MoveToImmutable());
    }

    public static CommandOutcome Ok(Value item, string? template = null) => CommandOutcome.Ok([item], template);

    /// <summary>A list's elements become items; anything else is one item.</summary>
    public static CommandOutcome Items(Value data, string? template = null) =>
        CommandOutcome.Ok(data is ListValue list ? list.Items : [data], template);

    /// <summary>A collect-all command's answer before the last item: nothing yet.</summary>
    public static CommandOutcome Nothing { get; } = CommandOutcome.Ok([]);

    public static string? Text(CommandCall call, string option) =>
        call.Input.Options.TryGetValue(option, out var value) ? value.ToDisplayString() : null;

    public static bool Flag(CommandCall call, string option) =>
        call.Input.Options.TryGetValue(option, out var value) && value is BoolValue { Flag: true };
}
