using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cog.Sdk;

namespace Cog.Relay.Execution;

/// <summary>Turns an SDK <see cref="CommandResult"/> (from a script or a plugin type) into an <see cref="ExecutionOutcome"/>:
/// serializes the items, checks that each is a JSON object, and enforces the output limit.</summary>
static class ResultConverter
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General) { MaxDepth = 64 };

    public static ExecutionOutcome ToOutcome(CommandResult result, ExecutionLimits limits) => ToOutcome(result, limits, Options);

    /// <summary>Creates serializer options for items whose types live in an unloadable load context. Their metadata is
    /// cached in these options, which must be dropped with the load context: the shared static options would keep the
    /// bundle's types, and so its load context, alive forever.</summary>
    public static JsonSerializerOptions CreateOptions() =>
        new(JsonSerializerDefaults.General) { MaxDepth = 64, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>Converts <paramref name="result"/>, serializing items with <paramref name="options"/> (see <see cref="CreateOptions"/>).</summary>
    public static ExecutionOutcome ToOutcome(CommandResult result, ExecutionLimits limits, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Status)
        {
            case CommandStatus.Abort:
                return ExecutionOutcome.Abort(result.Message ?? "", result.Template);
            case CommandStatus.Error:
                return ExecutionOutcome.Error(result.Message ?? "");
        }
        var items = ImmutableArray.CreateBuilder<JsonElement>(result.Items.Count);
        long total = 0;
        for (var i = 0; i < result.Items.Count; i++)
        {
            byte[] bytes;
            try
            {
                bytes = result.Items[i] is JsonElement element
                    ? JsonSerializer.SerializeToUtf8Bytes(element, options)
                    : JsonSerializer.SerializeToUtf8Bytes(result.Items[i], result.Items[i].GetType(), options);
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
            {
                return ExecutionOutcome.Error(ExecutionErrors.Threw(e.GetType().Name, e.Message));
            }
            total += bytes.Length;
            if (total > limits.MaxOutputBytes)
            {
                return ExecutionOutcome.Error(ExecutionErrors.OutputTooLarge(limits.MaxOutputBytes));
            }
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ExecutionOutcome.Error(ExecutionErrors.ItemNotAnObject(i, Describe(document.RootElement.ValueKind)));
            }
            items.Add(document.RootElement.Clone());
        }
        return ExecutionOutcome.Ok(items.MoveToImmutable(), result.Template);
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "not a value",
    };
}
