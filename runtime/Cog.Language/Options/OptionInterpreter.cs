using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Cog.Language.Binding;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Options;

/// <summary>
/// Splits bound arguments into positional arguments and options, checking and converting option values against
/// the command's option definitions (with docs/language.md L8-L10).
/// </summary>
/// <remarks>Pure and thread-safe. Runs once per input item: prefer the <see cref="OptionTable"/> overload with a
/// table built once per command.</remarks>
public static class OptionInterpreter
{
    static readonly IntValue One = new(1);
    static readonly IntValue Zero = new(0);

    /// <summary>Interprets <paramref name="arguments"/> against <paramref name="definitions"/>.</summary>
    /// <param name="commandName">The qualified command name (<c>bundle:command</c>) used in messages.</param>
    /// <param name="arguments">The bound arguments in input order.</param>
    /// <param name="definitions">The command's option definitions.</param>
    public static Result<CommandInput> Interpret(string commandName, ImmutableArray<BoundArgument> arguments, IReadOnlyList<OptionDefinition> definitions) =>
        Interpret(OptionTable.Create(commandName, definitions), arguments);

    /// <summary>Interprets <paramref name="arguments"/> against a prepared option table.</summary>
    /// <param name="table">The command's options.</param>
    /// <param name="arguments">The bound arguments in input order.</param>
    /// <param name="stagePosition">Where to report errors that belong to no single argument (missing required
    /// options), normally the start of the stage; defaults to the start of the source.</param>
    /// <returns>The positional arguments and the options by name, or the first error, positioned at the offending
    /// option or argument.</returns>
    public static Result<CommandInput> Interpret(OptionTable table, ImmutableArray<BoundArgument> arguments, SourcePosition? stagePosition = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var count = arguments.IsDefault ? 0 : arguments.Length;
        var values = table.Definitions.Length == 0 ? [] : new Value?[table.Definitions.Length];
        var positional = ImmutableArray.CreateBuilder<Value>(count);
        // The items of repeated list options, gathered here and made into one list at the end, so that repeating a list
        // option costs its items once rather than a copy of everything gathered so far.
        ImmutableArray<Value>.Builder?[]? lists = null;
        for (var i = 0; i < count; i++)
        {
            var argument = arguments[i];
            if (!argument.IsOption)
            {
                positional.Add(argument.Value!);
                continue;
            }
            var at = argument.Span.Start;
            if (!table.TryFind(argument.OptionName, argument.IsLong, out var slot))
            {
                var written = (argument.IsLong ? "--" : "-") + argument.OptionName;
                return new LanguageError(OptionErrors.UnknownOption(written, table.CommandName, table.KnownOptions), at);
            }
            var definition = table.Definitions[slot];
            var given = argument.Value;
            if (given is null)
            {
                if (definition.Type == OptionType.Bool)
                {
                    given = BoolValue.True;
                }
                else if (definition.Type == OptionType.Incr)
                {
                    given = One;
                }
                else if (i + 1 >= count)
                {
                    return new LanguageError(OptionErrors.UnexpectedEndOfInput, at);
                }
                else if (arguments[i + 1].IsOption)
                {
                    return new LanguageError(OptionErrors.NoValueSupplied, at);
                }
                else
                {
                    i++;
                    given = arguments[i].Value!;
                    at = arguments[i].Span.Start;
                }
            }
            var value = Coerce(definition.Type, given);
            if (value is null)
            {
                return new LanguageError(OptionErrors.TypeError(OptionErrors.Show(given), OptionErrors.TypeName(definition.Type)), at);
            }
            if (definition.Type == OptionType.List)
            {
                lists ??= new ImmutableArray<Value>.Builder?[values.Length];
                (lists[slot] ??= ImmutableArray.CreateBuilder<Value>()).AddRange(((ListValue)value).Items);
            }
            values[slot] = Combine(definition.Type, values[slot], value);
        }
        for (var slot = 0; lists is not null && slot < lists.Length; slot++)
        {
            if (lists[slot] is { } items)
            {
                values[slot] = new ListValue(items.DrainToImmutable());
            }
        }

        List<string>? missing = null;
        foreach (var slot in table.RequiredSlots)
        {
            if (values[slot] is null)
            {
                (missing ??= []).Add(table.Definitions[slot].Name);
            }
        }
        if (missing is not null)
        {
            var at = stagePosition ?? (count > 0 ? arguments[0].Span.Start : SourcePosition.Start);
            return new LanguageError(OptionErrors.MissingRequiredOptions(missing), at);
        }
        foreach (var slot in table.CounterSlots)
        {
            values[slot] ??= Zero;
        }

        var options = ImmutableDictionary<string, Value>.Empty;
        if (values.Length > 0)
        {
            var builder = ImmutableDictionary.CreateBuilder<string, Value>(StringComparer.Ordinal);
            for (var slot = 0; slot < values.Length; slot++)
            {
                if (values[slot] is { } v)
                {
                    builder[table.Definitions[slot].Name] = v;
                }
            }
            options = builder.ToImmutable();
        }
        return Result<CommandInput>.Success(new CommandInput(positional.DrainToImmutable(), options));
    }

    /// <summary>Converts <paramref name="value"/> to the option type, or returns <see langword="null"/> for a type error.</summary>
    internal static Value? Coerce(OptionType type, Value value) => type switch
    {
        OptionType.Int or OptionType.Incr => value switch
        {
            IntValue => value,
            StringValue s when TryParseInteger(s.Text, out var n) => new IntValue(n),
            _ => null,
        },
        OptionType.Float => value switch
        {
            FloatValue => value,
            IntValue i => new FloatValue(i.Number),
            StringValue s when TryParseFloat(s.Text, out var d) => new FloatValue(d),
            _ => null,
        },
        OptionType.Bool => value switch
        {
            BoolValue => value,
            IntValue i => i.Number > 0 ? BoolValue.True : BoolValue.False,
            StringValue s => ParseBool(s.Text),
            _ => null,
        },
        // L9: a number or boolean given to a string option is taken as its text.
        OptionType.String => value switch
        {
            StringValue => value,
            IntValue or FloatValue or BoolValue => new StringValue(value.ToDisplayString()),
            _ => null,
        },
        OptionType.List => value switch
        {
            ListValue => value,
            StringValue s => SplitList(s.Text),
            _ => null,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Merges a repeated option: counters add up, anything else is replaced (lists are concatenated by the caller).</summary>
    static Value Combine(OptionType type, Value? previous, Value value)
    {
        if (previous is null)
        {
            return value;
        }
        if (type == OptionType.Incr)
        {
            return new IntValue(SaturatingAdd(((IntValue)previous).Number, ((IntValue)value).Number));
        }
        return value;
    }

    static long SaturatingAdd(long a, long b)
    {
        if (b > 0 && a > long.MaxValue - b)
        {
            return long.MaxValue;
        }
        if (b < 0 && a < long.MinValue - b)
        {
            return long.MinValue;
        }
        return a + b;
    }

    /// <summary>A whole string that is an integer: an optional sign and digits, within the range of <see cref="long"/>.</summary>
    static bool TryParseInteger(string text, out long number) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>L10: a whole string that is a number (<c>[+-]?digits(.digits)?([eE][+-]?digits)?</c>), finite.
    /// A numeric prefix followed by anything else is not a number.</summary>
    static bool TryParseFloat(string text, out double number)
    {
        number = 0;
        var i = 0;
        if (i < text.Length && text[i] is '+' or '-')
        {
            i++;
        }
        if (!SkipDigits(text, ref i))
        {
            return false;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }
            if (!SkipDigits(text, ref i))
            {
                return false;
            }
        }
        return i == text.Length
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }

    static bool SkipDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        return i > start;
    }

    /// <summary>L10: the words Cog reads as booleans; any other word is a type error.</summary>
    static BoolValue? ParseBool(string text) => text switch
    {
        "true" or "t" or "y" or "yes" or "on" => BoolValue.True,
        "false" or "f" or "n" or "no" or "off" => BoolValue.False,
        _ => null,
    };

    /// <summary>Splits on commas not preceded by a backslash; <c>\,</c> becomes a comma and empty items are dropped
    /// (<c>a\,b,,c</c> → <c>["a,b", "c"]</c>).</summary>
    static ListValue SplitList(string text)
    {
        var items = ImmutableArray.CreateBuilder<Value>();
        var current = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != ',')
            {
                current.Append(c);
            }
            else if (i > 0 && text[i - 1] == '\\')
            {
                current[^1] = ',';
            }
            else
            {
                AddItem(items, current);
            }
        }
        AddItem(items, current);
        return new ListValue(items.DrainToImmutable());
    }

    static void AddItem(ImmutableArray<Value>.Builder items, StringBuilder current)
    {
        if (current.Length > 0)
        {
            items.Add(new StringValue(current.ToString()));
            current.Clear();
        }
    }
}
