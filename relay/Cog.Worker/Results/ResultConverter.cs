using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Cog.Sdk;
using Cog.Worker.Protocol;

namespace Cog.Worker.Results;

/// <summary>Turns an SDK <see cref="CommandResult"/> (from a script or a plugin type) into the <see cref="ResultMessage"/>
/// the worker sends: serializes the items, checks that each is a JSON object, and enforces the output limit.</summary>
/// <remarks>Serializing runs bundle code (property getters, lazy sequences), which is why it happens in the worker.</remarks>
static class ResultConverter
{
    static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Creates serializer options for items of one plug-in load context (their metadata is cached in them).</summary>
    public static JsonSerializerOptions CreateOptions() =>
        new(JsonSerializerDefaults.General) { MaxDepth = 64, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>Converts <paramref name="result"/> of invocation <paramref name="id"/> with the shared options.</summary>
    public static ResultMessage ToResult(long id, CommandResult result, int maxOutputBytes) => ToResult(id, result, maxOutputBytes, Options);

    /// <summary>Converts <paramref name="result"/>, serializing items with <paramref name="options"/>.</summary>
    public static ResultMessage ToResult(long id, CommandResult result, int maxOutputBytes, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        switch (result.Status)
        {
            case CommandStatus.Abort:
                return new ResultMessage(id, ResultMessage.Abort, [], result.Template, result.Message ?? "");
            case CommandStatus.Error:
                return Error(id, result.Message ?? "");
        }
        var items = new JsonElement[result.Items.Count];
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
                return Error(id, ExecutionErrors.Threw(e.GetType().Name, e.Message));
            }
            total += bytes.Length;
            if (total > maxOutputBytes)
            {
                return Error(id, ExecutionErrors.OutputTooLarge(maxOutputBytes));
            }
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error(id, ExecutionErrors.ItemNotAnObject(i, Describe(document.RootElement.ValueKind)));
            }
            items[i] = document.RootElement.Clone();
        }
        return new ResultMessage(id, ResultMessage.Ok, items, result.Template, null);
    }

    /// <summary>A failed invocation's result.</summary>
    public static ResultMessage Error(long id, string message, bool recycle = false) => new(id, ResultMessage.Error, [], null, message, recycle);

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
