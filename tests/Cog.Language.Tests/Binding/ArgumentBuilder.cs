using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cog.Language.Binding;
using Cog.Language.Pipelines;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Tests.Binding;

/// <summary>Builds AST nodes, bound arguments and values for binding and option tests without the parser.
/// Every node takes the offset it starts at (on line 1), so tests can check error positions.</summary>
static class ArgumentBuilder
{
    public static SourcePosition At(int offset) => new(offset, 1, offset + 1);

    public static SourceSpan Span(int offset, int length = 1) => new(At(offset), length);

    public static StringArgument Str(string text, int at = 0) => new(text, QuoteKind.None, Span(at, text.Length));

    public static IntegerArgument Int(long number, int at = 0) => new(number, Span(at));

    public static FloatArgument Float(double number, int at = 0) => new(number, Span(at));

    public static BooleanArgument Bool(bool flag, int at = 0) => new(flag, Span(at));

    public static VariableArgument Var(string expression, int at = 0) => new(Expr(expression), Span(at, expression.Length));

    public static OptionArgument Long(string name, ArgumentSyntax? value = null, int at = 0) => new(name, true, value, Span(at, name.Length + 2));

    public static OptionArgument Short(string name, ArgumentSyntax? value = null, int at = 0) => new(name, false, value, Span(at, name.Length + 1));

    /// <summary>A double-quoted string whose <c>${...}</c> parts become variables: <c>Interpolated("host ${h}")</c>.</summary>
    public static InterpolatedArgument Interpolated(string raw, int at = 0)
    {
        var parts = ImmutableArray.CreateBuilder<InterpolationPart>();
        var i = 0;
        while (i < raw.Length)
        {
            var open = raw.IndexOf("${", i, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new TextPart(raw[i..]));
                break;
            }
            if (open > i)
            {
                parts.Add(new TextPart(raw[i..open]));
            }
            var close = raw.IndexOf('}', open);
            parts.Add(new VariablePart(Expr(raw[(open + 2)..close])));
            i = close + 1;
        }
        return new InterpolatedArgument(parts.ToImmutable(), QuoteKind.Double, raw, Span(at, raw.Length + 2));
    }

    /// <summary>Builds a variable expression from its text (<c>$a.b[1]['k k']</c>); <c>$</c> is optional.</summary>
    public static VariableExpression Expr(string text)
    {
        var s = text.StartsWith('$') ? text[1..] : text;
        var i = 0;
        while (i < s.Length && s[i] is not ('.' or '['))
        {
            i++;
        }
        var name = s[..i];
        var path = ImmutableArray.CreateBuilder<VariableAccessor>();
        while (i < s.Length)
        {
            if (s[i] == '.')
            {
                var start = ++i;
                while (i < s.Length && s[i] is not ('.' or '['))
                {
                    i++;
                }
                path.Add(new KeyAccessor(Unquote(s[start..i])));
            }
            else
            {
                var close = s.IndexOf(']', i);
                var inner = s[(i + 1)..close];
                path.Add(inner.Length > 0 && inner.All(char.IsAsciiDigit)
                    ? new IndexAccessor(int.Parse(inner, CultureInfo.InvariantCulture))
                    : new KeyAccessor(Unquote(inner)));
                i = close + 1;
            }
        }
        return new VariableExpression(name, path.ToImmutable(), "$" + s);
    }

    public static Value Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Value.FromJson(document.RootElement);
    }

    public static ImmutableArray<ArgumentSyntax> Args(params ArgumentSyntax[] arguments) => [.. arguments];

    public static BoundArgument Pos(Value value, int at = 0) => BoundArgument.Positional(value, Span(at));

    public static BoundArgument Pos(string text, int at = 0) => Pos(new StringValue(text), at);

    public static BoundArgument Pos(long number, int at = 0) => Pos(new IntValue(number), at);

    public static BoundArgument LongOpt(string name, Value? value = null, int at = 0) => BoundArgument.Option(name, true, value, Span(at));

    public static BoundArgument ShortOpt(string name, Value? value = null, int at = 0) => BoundArgument.Option(name, false, value, Span(at));

    public static ImmutableArray<BoundArgument> Bound(params BoundArgument[] arguments) => [.. arguments];

    static string Unquote(string key) =>
        key.Length >= 2 && key[0] == key[^1] && key[0] is '\'' or '"' ? key[1..^1] : key;
}
