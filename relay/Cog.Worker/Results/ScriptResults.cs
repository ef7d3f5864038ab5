using System.Collections;
using System.Text.Json;
using Cog.Sdk;

namespace Cog.Worker.Results;

/// <summary>Turns what a script returned into a <see cref="CommandResult"/>, as <see cref="ScriptGlobals"/> documents.</summary>
static class ScriptResults
{
    /// <summary>
    /// <see langword="null"/> → no output; a <see cref="CommandResult"/> → itself; a JSON array → its elements; a
    /// dictionary or a string → one item; any other sequence → its elements; anything else → one item. A
    /// <see langword="null"/> element fails the invocation (as an item that is not an object).
    /// </summary>
    /// <remarks>Enumerates the sequence, so it runs script code (a lazy query) and may throw.</remarks>
    public static CommandResult ToResult(object? value)
    {
        switch (value)
        {
            case null:
                return CommandResult.Empty;
            case CommandResult result:
                return result;
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                return CommandResult.Ok(array.EnumerateArray().Select(e => (object)e.Clone()));
            case string or JsonElement or IDictionary:
                return CommandResult.Ok(value);
            case IEnumerable sequence when !IsDictionary(value.GetType()):
                var items = new List<object>();
                foreach (var item in sequence)
                {
                    if (item is null)
                    {
                        return CommandResult.Error(ExecutionErrors.ItemNotAnObject(items.Count, "null"));
                    }
                    items.Add(item);
                }
                return CommandResult.Ok(items);
            default:
                return CommandResult.Ok(value);
        }
    }

    static bool IsDictionary(Type type)
    {
        foreach (var face in type.GetInterfaces())
        {
            if (face.IsGenericType && (face.GetGenericTypeDefinition() == typeof(IDictionary<,>) || face.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)))
            {
                return true;
            }
        }
        return false;
    }
}
