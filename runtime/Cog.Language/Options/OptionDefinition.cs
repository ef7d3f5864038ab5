namespace Cog.Language.Options;

/// <summary>The type of a command option, as declared in a bundle manifest.</summary>
public enum OptionType
{
    /// <summary>An integer.</summary>
    Int,

    /// <summary>A number.</summary>
    Float,

    /// <summary>A flag; given without a value it is <see langword="true"/>.</summary>
    Bool,

    /// <summary>Text.</summary>
    String,

    /// <summary>A counter: each occurrence adds one (or its value); absent means 0.</summary>
    Incr,

    /// <summary>A list: a list value, or text split on unescaped commas; repeats concatenate.</summary>
    List,
}

/// <summary>A command option as its bundle declares it.</summary>
/// <param name="Name">The option name, which is also its long flag (<c>--name</c>).</param>
/// <param name="Type">The value type.</param>
/// <param name="Required">Whether the invocation must give it.</param>
/// <param name="ShortFlag">The one-character short flag (<c>-x</c>), or <see langword="null"/>.</param>
public sealed record OptionDefinition(string Name, OptionType Type, bool Required = false, string? ShortFlag = null);
