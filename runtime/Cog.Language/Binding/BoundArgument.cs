using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Binding;

/// <summary>
/// One argument of an invocation after its variables were bound against an input item:
/// either a positional value or an option with an optional value.
/// </summary>
/// <remarks>
/// Create instances with <see cref="Positional"/> or <see cref="Option"/>. A positional argument always has a
/// <see cref="Value"/>; an option has one only when it was written with <c>=</c>.
/// </remarks>
public sealed record BoundArgument
{
    BoundArgument(string? optionName, bool isLong, Value? value, SourceSpan span)
    {
        OptionName = optionName;
        IsLong = isLong;
        Value = value;
        Span = span;
    }

    /// <summary>The option name without dashes, or <see langword="null"/> for a positional argument.</summary>
    public string? OptionName { get; }

    /// <summary>Whether the option was written with two dashes; <see langword="false"/> for positional arguments.</summary>
    public bool IsLong { get; }

    /// <summary>The bound value: always present for a positional argument; for an option, the value given with
    /// <c>=</c> or <see langword="null"/>.</summary>
    public Value? Value { get; }

    /// <summary>The argument in the source; errors about it are reported at its start.</summary>
    public SourceSpan Span { get; }

    /// <summary>Whether this is an option (<c>-x</c>, <c>--name</c>, with or without a value).</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(OptionName))]
    public bool IsOption => OptionName is not null;

    /// <summary>A positional argument.</summary>
    public static BoundArgument Positional(Value value, SourceSpan span)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(null, false, value, span);
    }

    /// <summary>An option, with the value written after <c>=</c> or <see langword="null"/>.</summary>
    public static BoundArgument Option(string name, bool isLong, Value? value, SourceSpan span)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new(name, isLong, value, span);
    }

    /// <summary>The argument as it appears in an invocation text (<see cref="InvocationText"/>).</summary>
    public override string ToString() => InvocationText.FormatArgument(this);
}
