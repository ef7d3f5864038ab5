using Cog.Language.Values;

namespace Cog.Language.Options;

/// <summary>The messages of option interpretation (docs/language.md L8-L10). Tests pin the exact text.</summary>
public static class OptionErrors
{
    /// <summary>An option that takes a value was followed by another option.</summary>
    public const string NoValueSupplied = "No value supplied!";

    /// <summary>An option that takes a value was the last argument.</summary>
    public const string UnexpectedEndOfInput = "Unexpected end of input.";

    /// <summary>L8: the command has no option of that name.</summary>
    /// <param name="option">The option as written, with its dashes (<c>--foo</c>, <c>-f</c>).</param>
    /// <param name="commandName">The qualified command name (<c>bundle:command</c>).</param>
    /// <param name="knownOptions">The command's options as <see cref="KnownOptions"/> renders them; empty when it has none.</param>
    public static string UnknownOption(string option, string commandName, string knownOptions) =>
        knownOptions.Length == 0
            ? $"Unknown option '{option}' for command '{commandName}'. It takes no options."
            : $"Unknown option '{option}' for command '{commandName}'. Known options: {knownOptions}.";

    /// <summary>Lists options for <see cref="UnknownOption"/>, sorted by name: <c>--bar (-b), --count</c>.</summary>
    public static string KnownOptions(IEnumerable<OptionDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var sorted = definitions.OrderBy(d => d.Name, StringComparer.Ordinal);
        return string.Join(", ", sorted.Select(d => d.ShortFlag is null ? $"--{d.Name}" : $"--{d.Name} (-{d.ShortFlag})"));
    }

    /// <summary>A value cannot be used as the option's type.</summary>
    /// <param name="value">The value as <see cref="Show"/> renders it.</param>
    /// <param name="type">The option type as the manifest spells it (<see cref="TypeName"/>).</param>
    public static string TypeError(string value, string type) => $"Type Error: `{value}` is not of type `{type}`";

    /// <summary>Some required options were not given.</summary>
    /// <param name="names">The missing option names, in the order to list them.</param>
    public static string MissingRequiredOptions(IEnumerable<string> names) =>
        $"Looks like you forgot to include some required options: '{string.Join(", ", names)}'";

    /// <summary>An option type as the manifest spells it: <c>int</c>, <c>float</c>, <c>bool</c>, <c>string</c>,
    /// <c>incr</c>, <c>list</c>.</summary>
    public static string TypeName(OptionType type) => type switch
    {
        OptionType.Int => "int",
        OptionType.Float => "float",
        OptionType.Bool => "bool",
        OptionType.String => "string",
        OptionType.Incr => "incr",
        OptionType.List => "list",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Shows a value in a type error: strings in double quotes, numbers and booleans as literals, lists
    /// and objects as compact JSON (<c>"abc"</c>, <c>3.5</c>, <c>["a"]</c>).</summary>
    public static string Show(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value switch
        {
            StringValue s => Quote(s.Text),
            FloatValue f => FloatValue.Format(f.Number),
            _ => value.ToDisplayString(),
        };
    }

    static string Quote(string text)
    {
        if (!text.Contains('"', StringComparison.Ordinal) && !text.Contains('\\', StringComparison.Ordinal))
        {
            return $"\"{text}\"";
        }
        return "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
