using System.Globalization;
using System.Text.Json.Nodes;

namespace Cog.Manifest.Yaml;

/// <summary>Types plain (unquoted) YAML scalars by the YAML 1.2 core schema: null, booleans, integers, floats, else text.</summary>
/// <remarks>
/// <c>.inf</c> and <c>.nan</c> have no JSON form and stay text. Integers beyond 64 bits become floats.
/// </remarks>
static class CoreSchemaScalars
{
    public static JsonNode? Resolve(string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (text.Length > 2 && text[0] == '0' && (text[1] == 'o' || text[1] == 'x'))
        {
            return ResolveBased(text);
        }
        if (IsDecimalInteger(text))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? JsonValue.Create(integer)
                : JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        if (IsFloat(text))
        {
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return JsonValue.Create(text);
    }

    static JsonNode? ResolveBased(string text)
    {
        var digits = text.AsSpan(2);
        if (text[1] == 'x')
        {
            foreach (var c in digits)
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    return JsonValue.Create(text);
                }
            }
            return ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex) && hex <= long.MaxValue
                ? JsonValue.Create((long)hex)
                : JsonValue.Create(text);
        }
        long value = 0;
        foreach (var c in digits)
        {
            if (c is < '0' or > '7' || value > (long.MaxValue >> 3))
            {
                return JsonValue.Create(text);
            }
            value = (value << 3) + (c - '0');
        }
        return JsonValue.Create(value);
    }

    // [-+]? [0-9]+
    static bool IsDecimalInteger(string text)
    {
        var i = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        if (i == text.Length)
        {
            return false;
        }
        for (; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    static bool IsFloat(string text)
    {
        var i = text.Length > 0 && (text[0] == '-' || text[0] == '+') ? 1 : 0;
        var integerDigits = CountDigits(text, ref i);
        var fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fractionDigits = CountDigits(text, ref i);
            if (integerDigits == 0 && fractionDigits == 0)
            {
                return false;
            }
        }
        else if (integerDigits == 0)
        {
            return false;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            i++;
            if (i < text.Length && (text[i] == '-' || text[i] == '+'))
            {
                i++;
            }
            if (CountDigits(text, ref i) == 0)
            {
                return false;
            }
        }
        return i == text.Length;
    }

    static int CountDigits(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        return i - start;
    }
}
