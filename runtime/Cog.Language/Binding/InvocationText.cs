using System.Collections.Immutable;
using System.Text;
using Cog.Language.Values;

namespace Cog.Language.Binding;

/// <summary>
/// Prints a bound invocation back as command text, <c>bundle:cmd arg --opt=value</c>, for audit records and
/// error messages ("Invocation text as seen by errors/audit").
/// </summary>
/// <remarks>
/// The text is unambiguous: a string is double-quoted whenever the command language would otherwise read it as
/// something else (a number, a boolean, an option, a variable, an operator, several words or nothing), with
/// <c>"</c> and <c>\</c> escaped by a backslash. Numbers and booleans print as literals (a float always with a
/// decimal point or exponent), lists and objects as compact JSON.
/// </remarks>
public static class InvocationText
{
    /// <summary>Formats a command name followed by its bound arguments, separated by single spaces.</summary>
    /// <param name="commandName">The command as it should be shown, normally the qualified <c>bundle:command</c>.</param>
    /// <param name="arguments">The bound arguments in order.</param>
    public static string Format(string commandName, ImmutableArray<BoundArgument> arguments)
    {
        ArgumentNullException.ThrowIfNull(commandName);
        var text = new StringBuilder(commandName.Length + (arguments.IsDefault ? 0 : arguments.Length * 12));
        text.Append(commandName);
        if (!arguments.IsDefault)
        {
            foreach (var argument in arguments)
            {
                text.Append(' ');
                AppendArgument(text, argument);
            }
        }
        return text.ToString();
    }

    /// <summary>Formats one argument: a value, <c>--name</c>, <c>-x</c> or <c>--name=value</c>.</summary>
    internal static string FormatArgument(BoundArgument argument)
    {
        var text = new StringBuilder();
        AppendArgument(text, argument);
        return text.ToString();
    }

    /// <summary>Formats a value as it would be written in command text.</summary>
    internal static string FormatValue(Value value)
    {
        var text = new StringBuilder();
        AppendValue(text, value);
        return text.ToString();
    }

    static void AppendArgument(StringBuilder text, BoundArgument argument)
    {
        if (!argument.IsOption)
        {
            AppendValue(text, argument.Value!);
            return;
        }
        text.Append(argument.IsLong ? "--" : "-").Append(argument.OptionName);
        if (argument.Value is not null)
        {
            text.Append('=');
            AppendValue(text, argument.Value);
        }
    }

    static void AppendValue(StringBuilder text, Value value)
    {
        switch (value)
        {
            case StringValue s:
                AppendString(text, s.Text);
                break;
            case FloatValue f:
                text.Append(FloatValue.Format(f.Number));
                break;
            default:
                // Integers, booleans, null, and lists and objects as compact JSON.
                text.Append(value.ToDisplayString());
                break;
        }
    }

    static void AppendString(StringBuilder text, string s)
    {
        if (!NeedsQuotes(s))
        {
            text.Append(s);
            return;
        }
        text.Append('"');
        foreach (var c in s)
        {
            if (c is '"' or '\\')
            {
                text.Append('\\');
            }
            text.Append(c);
        }
        text.Append('"');
    }

    static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || s is "true" or "false")
        {
            return true;
        }
        // An option, a variable, a leading '=' and a glued accessor would all read differently unquoted.
        if (s[0] is '-' or '$' or '=' or '.' or '[' || IsNumber(s))
        {
            return true;
        }
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '|' or '>' or '&' or '\\')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Whether the command language would read <paramref name="s"/> as an unsigned integer or float
    /// (<c>[0-9]+</c> or <c>[0-9]+\.[0-9]+</c>); a leading <c>-</c> is handled by the caller.</summary>
    static bool IsNumber(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        if (i == 0)
        {
            return false;
        }
        if (i == s.Length)
        {
            return true;
        }
        if (s[i] != '.')
        {
            return false;
        }
        var fraction = ++i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        return i > fraction && i == s.Length;
    }
}
