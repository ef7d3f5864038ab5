using Cog.Language.Values;

namespace Cog.Language.Binding;

/// <summary>The messages of variable binding. Tests pin the exact text.</summary>
public static class BindingErrors
{
    /// <summary>The variable's name is not in the input item, or is JSON null there.</summary>
    /// <param name="name">The variable name without <c>$</c>.</param>
    public static string VariableNotFound(string name) => KeyNotFound(name, "$" + name);

    /// <summary>An object in the path lacks the key (or holds JSON null under it).</summary>
    public static string KeyNotFound(string key, string expression) => $"Key '{key}' not found in expression '{expression}'.";

    /// <summary>A list in the path is shorter than the index.</summary>
    public static string IndexOutOfBounds(int index, string expression) => $"Index {index} out of bounds in expression '{expression}'.";

    /// <summary>A list element in the path is JSON null and the path ends there.</summary>
    public static string NullAtIndex(int index, string expression) => $"Value at index {index} is null in expression '{expression}'.";

    /// <summary>A key is applied to something that is not an object.</summary>
    /// <param name="key">The key.</param>
    /// <param name="kind">What the key was applied to, with its article (<see cref="DescribeKind"/>).</param>
    /// <param name="expression">The variable expression as written.</param>
    public static string KeyOnNonObject(string key, string kind, string expression) =>
        $"Cannot look up key '{key}' in {kind} in expression '{expression}'.";

    /// <summary>An index is applied to something that is not a list.</summary>
    /// <param name="index">The index.</param>
    /// <param name="kind">What the index was applied to, with its article (<see cref="DescribeKind"/>).</param>
    /// <param name="expression">The variable expression as written.</param>
    public static string IndexOnNonList(int index, string kind, string expression) =>
        $"Cannot take index {index} of {kind} in expression '{expression}'.";

    /// <summary>Names the JSON type of a value with its article: <c>a string</c>, <c>an integer</c>, <c>a float</c>,
    /// <c>a boolean</c>, <c>a list</c>, <c>an object</c>, <c>null</c>.</summary>
    public static string DescribeKind(Value value) => value switch
    {
        StringValue => "a string",
        IntValue => "an integer",
        FloatValue => "a float",
        BoolValue => "a boolean",
        ListValue => "a list",
        ObjectValue => "an object",
        _ => "null",
    };
}
