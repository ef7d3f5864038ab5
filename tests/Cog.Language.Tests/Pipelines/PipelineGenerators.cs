using System.Collections.Immutable;
using System.Text;
using Cog.Language.Pipelines;
using Cog.Language.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Cog.Language.Tests.Pipelines;

/// <summary>A generated well-formed pipeline tree, shown by its shape when a property fails.</summary>
public sealed record GeneratedPipeline(PipelineSyntax Syntax)
{
    public override string ToString() => SyntaxShape.Of(Syntax);
}

/// <summary>A generated string rich in the command language's special characters.</summary>
public sealed record NastyText(string Text)
{
    public override string ToString() => System.Text.Json.JsonSerializer.Serialize(Text);
}

/// <summary>FsCheck generators for pipeline syntax trees the parser can produce, and for hostile input text.</summary>
public static class PipelineGenerators
{
    static readonly SourceSpan NoSpan = default;

    static readonly string[] Fragments =
    [
        "a", "b", "z", "X", "0", "7", "-", "--", "=", ".", "[", "]", "{", "}", "$", "${", "\\", "\"", "'",
        "|", "&", "&&", "*", ">", "*>", ":", "#", "@", "/", " ", "  ", "\t", "\n", "\r\n", "\r", "\u00e9", "\u4e2d", "\U0001F600",
        "true", "echo", "$x", "1.5", "chat:", "(", ")", "+", ",", "\u00a0",
    ];

    static readonly char[] BareFirst = "abcxyzABQ#@/:+,%^~!?_\u00e9".ToCharArray();
    static readonly string[] BareRest =
        ["a", "b", "z", "Q", "0", "9", "-", "=", ".", "[", "]", "$", ":", "#", "@", "/", "|", "&", ">", "*", "{", "}", "+", "_", "!", "%", "\u00e9", "\u4e2d", "\U0001F600"];

    static Gen<string> Concat(Gen<string> piece, int max) =>
        Gen.Choose(0, max).SelectMany(n => Gen.ArrayOf(piece, n)).Select(string.Concat);

    public static Gen<string> AnyText => Concat(Gen.Elements(Fragments), 8);

    /// <summary>Text in which every <c>${</c> follows a backslash, so it can be written in quotes without becoming an interpolation.</summary>
    public static Gen<string> QuotableText => AnyText.Where(IsQuotable);

    static bool IsQuotable(string text)
    {
        for (var i = text.IndexOf("${", StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 1, StringComparison.Ordinal))
        {
            if (i == 0 || text[i - 1] != '\\')
            {
                return false;
            }
        }
        return true;
    }

    public static Gen<string> BareText =>
        from first in Gen.Elements(BareFirst)
        from rest in Concat(Gen.Elements(BareRest), 6)
        select first + rest;

    static Gen<string> Identifier(string firstChars, string restChars, int max) =>
        from first in Gen.Elements(firstChars.ToCharArray())
        from rest in Gen.ArrayOf(Gen.Elements(restChars.ToCharArray())).Select(a => new string(a.Take(max).ToArray()))
        select first + rest;

    const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const string NameChars = Letters + "0123456789_-";

    static Gen<CommandNameSyntax> CommandName
    {
        get
        {
            var name = Identifier("abcdefghijklmnopqrstuvwxyz", NameChars, 8);
            var emojiBody = Identifier(NameChars + "+", NameChars + "+", 6);
            var emoji = Gen.OneOf(emojiBody.Select(e => ":" + e + ":"), emojiBody.Select(e => "(" + e + ")"));
            var entity = Gen.Frequency((3, name), (1, emoji));
            return Gen.OneOf(
                entity.Select(e => new CommandNameSyntax(null, e, NoSpan)),
                Gen.Zip(name, entity, (b, e) => new CommandNameSyntax(b, e, NoSpan)));
        }
    }

    static Gen<long> Long => Gen.OneOf(
        Gen.Choose(-1000, 1000).Select(i => (long)i),
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => unchecked(((long)hi << 32) | (uint)lo)),
        Gen.Elements(long.MinValue, long.MaxValue, 0L));

    static Gen<double> Double => Gen.OneOf(
        Gen.Choose(-100000, 100000).Select(i => i / 100.0),
        Long.Select(BitConverter.Int64BitsToDouble).Where(double.IsFinite),
        Gen.Elements(0.0, -0.0, double.MaxValue, double.Epsilon, 1e21, 1e-7));

    static Gen<VariableAccessor> Accessor => Gen.Frequency(
        (2, Gen.Choose(0, int.MaxValue).Select(i => (VariableAccessor)new IndexAccessor(i))),
        (3, Identifier(NameChars, NameChars, 6).Where(k => !k.All(char.IsAsciiDigit)).Select(k => (VariableAccessor)new KeyAccessor(k))),
        (2, AnyText.Select(k => (VariableAccessor)new KeyAccessor(k))));

    /// <summary>A variable with its text written for the given context: unquoted, or inside <c>${...}</c> in quotes of that kind.</summary>
    static Gen<VariableExpression> Variable(QuoteKind context) =>
        from name in Identifier(Letters, NameChars, 6)
        from count in Gen.Choose(0, 3)
        from path in Gen.ArrayOf(Accessor, count)
        select new VariableExpression(name, [.. path], RenderVariable(name, path, context));

    internal static string RenderVariable(string name, IEnumerable<VariableAccessor> path, QuoteKind context)
    {
        var b = new StringBuilder("$").Append(name);
        var keyQuote = context == QuoteKind.Single ? '"' : '\'';
        foreach (var accessor in path)
        {
            switch (accessor)
            {
                case IndexAccessor index:
                    b.Append('[').Append(index.Index).Append(']');
                    break;
                case KeyAccessor key when key.Key.Length > 0 && key.Key.All(SimpleKeyChar) && !key.Key.All(char.IsAsciiDigit):
                    b.Append('.').Append(key.Key);
                    break;
                case KeyAccessor key:
                    b.Append('[').Append(keyQuote);
                    foreach (var c in key.Key)
                    {
                        var escape = c == '\\' || c == keyQuote
                            || (context == QuoteKind.Double && c == '"') || (context == QuoteKind.Single && c == '\'');
                        b.Append(escape ? "\\" + c : c.ToString());
                    }
                    b.Append(keyQuote).Append(']');
                    break;
            }
        }
        return b.ToString();
    }

    static bool SimpleKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    static Gen<ArgumentSyntax> Interpolated =>
        from quote in Gen.Elements(QuoteKind.Double, QuoteKind.Single)
        from lead in Gen.OneOf(Gen.Constant(""), QuotableText)
        from count in Gen.Choose(1, 3)
        from pieces in Gen.ArrayOf(Gen.Zip(Variable(quote), Gen.OneOf(Gen.Constant(""), QuotableText)), count)
        select MakeInterpolated(quote, lead, pieces);

    static ArgumentSyntax MakeInterpolated(QuoteKind quote, string lead, (VariableExpression Variable, string Text)[] pieces)
    {
        var parts = ImmutableArray.CreateBuilder<InterpolationPart>();
        if (lead.Length > 0)
        {
            parts.Add(new TextPart(lead));
        }
        foreach (var (variable, text) in pieces)
        {
            parts.Add(new VariablePart(variable));
            if (text.Length > 0)
            {
                parts.Add(new TextPart(text));
            }
        }
        var built = parts.ToImmutable();
        return new InterpolatedArgument(built, quote, PipelinePrinter.InterpolationBody(built, quote), NoSpan);
    }

    /// <summary>Arguments that can be an option's value.</summary>
    static Gen<ArgumentSyntax> Value => Gen.Frequency(
        (2, Long.Select(n => (ArgumentSyntax)new IntegerArgument(n, NoSpan))),
        (1, Double.Select(d => (ArgumentSyntax)new FloatArgument(d, NoSpan))),
        (1, Gen.Elements(true, false).Select(f => (ArgumentSyntax)new BooleanArgument(f, NoSpan))),
        (3, BareText.Select(t => (ArgumentSyntax)new StringArgument(t, QuoteKind.None, NoSpan))),
        (3, Gen.Zip(QuotableText, Gen.Elements(QuoteKind.Double, QuoteKind.Single), (t, q) => (ArgumentSyntax)new StringArgument(t, q, NoSpan))),
        (2, Variable(QuoteKind.None).Select(v => (ArgumentSyntax)new VariableArgument(v, NoSpan))),
        (2, Interpolated));

    static Gen<ArgumentSyntax> Option =>
        from isLong in Gen.Elements(true, false)
        from name in isLong ? Identifier(NameChars, NameChars, 6) : Gen.Elements(Letters.ToCharArray()).Select(c => c.ToString())
        from value in Gen.Frequency((1, Gen.Constant<ArgumentSyntax?>(null)), (2, Value.Select(v => (ArgumentSyntax?)v)))
        select (ArgumentSyntax)new OptionArgument(name, isLong, value, NoSpan);

    static Gen<ArgumentSyntax> Argument => Gen.Frequency((4, Value), (1, Option));

    static Gen<RedirectTarget> Target => Gen.OneOf(
            BareText.Select(t => new RedirectTarget(t, QuoteKind.None, NoSpan)),
            Gen.Zip(AnyText, Gen.Elements(QuoteKind.Double, QuoteKind.Single), (t, q) => new RedirectTarget(t, q, NoSpan)))
        .Where(t => !t.Text.StartsWith("chat:", StringComparison.Ordinal) || t.Text.StartsWith("chat://", StringComparison.Ordinal));

    static Gen<RedirectSyntax?> Redirect => Gen.Frequency(
        (2, Gen.Constant<RedirectSyntax?>(null)),
        (1, Target.Select(t => (RedirectSyntax?)new RedirectSyntax(false, [t], NoSpan))),
        (1, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Target, n)).Select(ts => (RedirectSyntax?)new RedirectSyntax(true, [.. ts], NoSpan))));

    static Gen<StageSyntax> Stage(StageJoin how) =>
        from name in CommandName
        from count in Gen.Choose(0, 4)
        from arguments in Gen.ArrayOf(Argument, count)
        select new StageSyntax(how, name, [.. arguments], NoSpan);

    static Gen<PipelineSyntax> Pipeline =>
        from first in Stage(StageJoin.None)
        from count in Gen.Choose(0, 3)
        from joins in Gen.ArrayOf(Gen.Elements(StageJoin.Pipe, StageJoin.And), count)
        from rest in Gen.CollectToArray(joins, Stage)
        from redirect in Redirect
        select new PipelineSyntax(ImmutableArray.Create(first).AddRange(rest), redirect, NoSpan);

    public static Arbitrary<GeneratedPipeline> GeneratedPipelines() => Arb.From(Pipeline.Select(p => new GeneratedPipeline(p)));

    static readonly string[] Words =
    [
        "echo", "a:b", ":x:", "|", "&&", ">", "*>", "-x", "-x=", "--n=3", "--s=", "-abc", "$x", "$x[0]", "$a.'k k'", "$a['k'][1]",
        "\"a b\"", "'${x}'", "\"${a.b}!\"", "''", "1.5", "-7", "true", "#room", "chat://x", "chat:x", "=", "-", "--", "\\", "\"\\\"\"",
    ];

    static readonly string[] Separators = [" ", " ", " ", "", "\t", "\n", "\r\n"];

    /// <summary>Word salad: real tokens with odd separators, so that many inputs parse and many fail late.</summary>
    static Gen<string> WordSalad =>
        Gen.Sized(size => Gen.Choose(1, Math.Max(1, size / 2)))
            .SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Frequency((3, Gen.Elements(Words)), (1, AnyText)), Gen.Elements(Separators)), n))
            .Select(pairs => "echo " + string.Concat(pairs.Select(p => p.Item1 + p.Item2)));

    public static Arbitrary<NastyText> NastyTexts() =>
        Arb.From(Gen.Frequency(
                (1, Gen.Sized(size => Concat(Gen.Elements(Fragments), Math.Max(1, size * 2)))),
                (1, Gen.Sized(size => Concat(Gen.Elements(Fragments), Math.Max(1, size))).Select(t => "echo " + t)),
                (2, WordSalad))
            .Select(t => new NastyText(t)));
}
