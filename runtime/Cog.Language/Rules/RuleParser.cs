using System.Collections.Immutable;
using System.Globalization;
using Cog.Language.Pipelines;
using Cog.Language.Text;
using Cog.Language.Values;

namespace Cog.Language.Rules;

/// <summary>Parses access rules (Cog 1.0's rule grammar, with the additions of docs/language.md).</summary>
public static class RuleParser
{
    /// <summary>How deep a condition or a permission expression may nest: a comparison or permission is one level, and
    /// each pair of parentheses and each <c>and</c>/<c>or</c> adds one over what it contains (a chain of <c>n</c> terms
    /// joined by <c>and</c> is <c>n</c> levels deep). Deeper rules are refused with a positioned error, which bounds the
    /// recursion of the parser and of everything that walks a rule (evaluation, printing, analysis).</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses one rule.</summary>
    /// <param name="text">The rule text, e.g. <c>when command is foo:bar with arg[0] == 'delete' must have foo:admin</c>.</param>
    /// <returns>The rule, or the first error with its position (render it with <see cref="RuleErrors.Format"/>).</returns>
    /// <remarks>A pure function of <paramref name="text"/>; bad input is a failed result, never an exception.</remarks>
    public static Result<RuleSyntax> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<RuleToken>();
        var error = RuleLexer.Tokenize(text, tokens);
        if (error is not null)
        {
            return error;
        }
        var parser = new Parser(text, tokens);
        var rule = parser.Rule();
        return rule is null ? Result<RuleSyntax>.Failure(parser.Error!) : Result<RuleSyntax>.Success(rule);
    }

    /// <summary>Recursive descent over the tokens. Each method returns <see langword="null"/> after recording the
    /// first error in <see cref="Error"/>.</summary>
    sealed class Parser(string text, List<RuleToken> tokens)
    {
        readonly List<int> _lineStarts = LineStarts(text);
        int _index;
        int _lastEnd;
        int _openParentheses;

        public LanguageError? Error { get; private set; }

        RuleToken Current => tokens[_index];

        RuleToken Advance()
        {
            var token = tokens[_index];
            if (token.Kind != RuleTokenKind.End)
            {
                _index++;
                _lastEnd = token.End;
            }
            return token;
        }

        public RuleSyntax? Rule()
        {
            var start = Current.Start;
            if (!Expect(RuleTokenKind.When) || !Expect(RuleTokenKind.Command) || !Expect(RuleTokenKind.Is))
            {
                return null;
            }
            var commandStart = Current.Start;
            if (!QualifiedName(RuleErrors.CommandNeedsBundle, out var name, out var quote))
            {
                return null;
            }
            var commandSpan = SpanFrom(commandStart);
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            var command = new CommandReference(name[..colon], name[(colon + 1)..]);

            InputExpression? condition = null;
            if (Current.Kind == RuleTokenKind.With)
            {
                Advance();
                condition = InputChain(out _);
                if (condition is null)
                {
                    return null;
                }
            }

            PermissionExpression? requirement = null;
            switch (Current.Kind)
            {
                case RuleTokenKind.Allow:
                    Advance();
                    break;
                case RuleTokenKind.Must:
                    Advance();
                    if (!Expect(RuleTokenKind.Have))
                    {
                        return null;
                    }
                    requirement = PermissionChain(out _);
                    if (requirement is null)
                    {
                        return null;
                    }
                    break;
                case RuleTokenKind.End:
                    // R4: Cog 1.0 accepted a rule without a permission part.
                    return Fail(RuleErrors.MissingPermissionPart, Current.Start);
                default:
                    return SyntaxError();
            }
            if (Current.Kind != RuleTokenKind.End)
            {
                return SyntaxError();
            }
            return new RuleSyntax(command, quote, commandSpan, condition, requirement, SpanFrom(start));
        }

        // ---- input conditions ----

        InputExpression? InputChain(out int depth) =>
            Chain(InputPrimary, static (op, left, right, span) => new InputLogical(op, left, right, span), out depth);

        InputExpression? InputPrimary(out int depth) => Primary(InputTerm, InputChain, out depth);

        InputExpression? InputTerm()
        {
            var start = Current.Start;
            var input = InputReference();
            if (input is null)
            {
                return null;
            }
            if (Current.Kind == RuleTokenKind.In)
            {
                Advance();
                var values = ValueList();
                return values is null ? null : new InputMembership(input, values.Value, SpanFrom(start));
            }
            ComparisonOperator op;
            switch (Current.Kind)
            {
                case RuleTokenKind.Equal: op = ComparisonOperator.Equal; break;
                case RuleTokenKind.NotEqual: op = ComparisonOperator.NotEqual; break;
                case RuleTokenKind.Less: op = ComparisonOperator.Less; break;
                case RuleTokenKind.Greater: op = ComparisonOperator.Greater; break;
                case RuleTokenKind.GreaterOrEqual: op = ComparisonOperator.GreaterOrEqual; break;
                case RuleTokenKind.LessOrEqual: op = ComparisonOperator.LessOrEqual; break;
                default: return SyntaxError<InputExpression>();
            }
            Advance();
            var value = Value();
            return value is null ? null : new InputComparison(input, op, value, SpanFrom(start));
        }

        InputReference? InputReference()
        {
            var start = Current.Start;
            switch (Current.Kind)
            {
                case RuleTokenKind.ArgIndex:
                    var token = Advance();
                    var digits = token.Text[4..^1];
                    return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                        ? new ArgumentReference(index, SpanFrom(start))
                        : Fail<InputReference>(RuleErrors.NumberTooLarge(digits), token.Start);
                case RuleTokenKind.Arg:
                    // R4: Cog 1.0 accepted a bare "arg" through an Erlang term-order accident.
                    return Fail<InputReference>(RuleErrors.ArgumentNeedsIndex, start);
                case RuleTokenKind.Option:
                    Advance();
                    var name = OptionName();
                    return name is null ? null : new OptionReference(name, RuleQuantifier.None, SpanFrom(start));
                case RuleTokenKind.Any:
                case RuleTokenKind.All:
                    var quantifier = Advance().Kind == RuleTokenKind.Any ? RuleQuantifier.Any : RuleQuantifier.All;
                    switch (Current.Kind)
                    {
                        case RuleTokenKind.Arg:
                            Advance();
                            return new ArgumentsReference(quantifier, SpanFrom(start));
                        case RuleTokenKind.ArgIndex:
                            return Fail<InputReference>(RuleErrors.ArgumentNeedsIndex, Current.Start);
                        case RuleTokenKind.Option:
                            Advance();
                            if (Current.Kind != RuleTokenKind.LeftBracket)
                            {
                                return new OptionsReference(quantifier, SpanFrom(start));
                            }
                            // R3: "any option[x]" is accepted like "all option[x]".
                            var aggregated = OptionName();
                            return aggregated is null ? null : new OptionReference(aggregated, quantifier, SpanFrom(start));
                        default:
                            return SyntaxError<InputReference>();
                    }
                default:
                    return SyntaxError<InputReference>();
            }
        }

        string? OptionName()
        {
            if (!Expect(RuleTokenKind.LeftBracket))
            {
                return null;
            }
            if (Current.Kind is not (RuleTokenKind.Name or RuleTokenKind.BareString))
            {
                return SyntaxError<string>();
            }
            var name = Advance().Text;
            return Expect(RuleTokenKind.RightBracket) ? name : null;
        }

        ImmutableArray<RuleValue>? ValueList()
        {
            if (!Expect(RuleTokenKind.LeftBracket))
            {
                return null;
            }
            var values = ImmutableArray.CreateBuilder<RuleValue>();
            if (Current.Kind == RuleTokenKind.RightBracket)
            {
                Advance();
                return values.ToImmutable();
            }
            while (true)
            {
                var value = Value();
                if (value is null)
                {
                    return null;
                }
                values.Add(value);
                if (Current.Kind == RuleTokenKind.Comma)
                {
                    Advance();
                    continue;
                }
                return Expect(RuleTokenKind.RightBracket) ? values.ToImmutable() : null;
            }
        }

        RuleValue? Value()
        {
            var token = Current;
            var span = Span(token.Start, token.Length);
            switch (token.Kind)
            {
                case RuleTokenKind.Integer:
                    Advance();
                    return long.TryParse(token.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                        ? new LiteralValue(new IntValue(number), QuoteKind.None, token.Text, span)
                        : Fail<RuleValue>(RuleErrors.NumberTooLarge(token.Text), token.Start);
                case RuleTokenKind.Float:
                    Advance();
                    return new LiteralValue(new FloatValue(double.Parse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)), QuoteKind.None, token.Text, span);
                case RuleTokenKind.True:
                case RuleTokenKind.False:
                    Advance();
                    return new LiteralValue(token.Kind == RuleTokenKind.True ? BoolValue.True : BoolValue.False, QuoteKind.None, token.Text, span);
                case RuleTokenKind.DoubleQuoted:
                case RuleTokenKind.SingleQuoted:
                    Advance();
                    return new LiteralValue(new StringValue(token.Text), token.Kind == RuleTokenKind.DoubleQuoted ? QuoteKind.Double : QuoteKind.Single, token.Text, span);
                case RuleTokenKind.Name:
                case RuleTokenKind.BareString:
                case RuleTokenKind.Emoji:
                    Advance();
                    return new LiteralValue(new StringValue(token.Text), QuoteKind.None, token.Text, span);
                case RuleTokenKind.Regex:
                    Advance();
                    return Regex(token) ? new RegexValue(token.Text, span) : null;
                default:
                    return SyntaxError<RuleValue>();
            }
        }

        /// <summary>Checks that a regex token compiles the way rule regexes are compiled (<see cref="RegexValue.Compile"/>),
        /// recording a positioned error when it does not.</summary>
        bool Regex(RuleToken token)
        {
            try
            {
                _ = RegexValue.Compile(token.Text);
                return true;
            }
            catch (ArgumentException)
            {
                return Fail<object>(RuleErrors.InvalidRegex(token.Text), token.Start) is not null;
            }
            catch (NotSupportedException e)
            {
                return Fail<object>(RuleErrors.UnsupportedRegex(token.Text, UnsupportedConstruct(e)), token.Start) is not null;
            }
        }

        /// <summary>Names what the non-backtracking engine refused, read from its (English) message; anything else it
        /// might refuse is named generically.</summary>
        static string UnsupportedConstruct(NotSupportedException e) => e.Message switch
        {
            var m when m.Contains("backreference", StringComparison.OrdinalIgnoreCase) => "a backreference",
            var m when m.Contains("lookahead", StringComparison.OrdinalIgnoreCase) || m.Contains("lookbehind", StringComparison.OrdinalIgnoreCase) => "a lookaround",
            var m when m.Contains("atomic", StringComparison.OrdinalIgnoreCase) => "an atomic group",
            var m when m.Contains("conditional", StringComparison.OrdinalIgnoreCase) => "a conditional",
            var m when m.Contains("\\G", StringComparison.Ordinal) => "\\G",
            _ => "a construct that needs backtracking",
        };

        // ---- permissions ----

        PermissionExpression? PermissionChain(out int depth) =>
            Chain(PermissionPrimary, static (op, left, right, span) => new PermissionLogical(op, left, right, span), out depth);

        PermissionExpression? PermissionPrimary(out int depth) => Primary(PermissionTerm, PermissionChain, out depth);

        // ---- shared by conditions and permissions ----

        /// <summary>Parses an operand and says how deep it nests (<see cref="MaxDepth"/>).</summary>
        delegate T? Operand<T>(out int depth);

        /// <summary>primary (("and" | "or") primary)*, one operator kind per chain (R1), grouped from the left; each
        /// operator nests the chain one level deeper than the deeper of its operands.</summary>
        T? Chain<T>(Operand<T> primary, Func<LogicalOperator, T, T, SourceSpan, T> combine, out int depth)
            where T : class
        {
            var start = Current.Start;
            var left = primary(out depth);
            if (left is null)
            {
                return null;
            }
            LogicalOperator? chain = null;
            while (Current.Kind is RuleTokenKind.And or RuleTokenKind.Or)
            {
                var operatorStart = Current.Start;
                if (!ChainOperator(ref chain, out var op))
                {
                    return null;
                }
                var right = primary(out var rightDepth);
                if (right is null)
                {
                    return null;
                }
                depth = Math.Max(depth, rightDepth) + 1;
                if (depth > MaxDepth)
                {
                    return Fail<T>(RuleErrors.TooDeep, operatorStart);
                }
                left = combine(op, left, right, SpanFrom(start));
            }
            return left;
        }

        /// <summary>term | "(" chain ")"; a term is one level, parentheses add one.</summary>
        T? Primary<T>(Func<T?> term, Operand<T> chain, out int depth)
            where T : class
        {
            if (Current.Kind != RuleTokenKind.LeftParen)
            {
                depth = 1;
                return term();
            }
            // Refused before descending, so the nesting of the text cannot exhaust the stack.
            var open = Advance();
            if (++_openParentheses > MaxDepth)
            {
                depth = 0;
                return Fail<T>(RuleErrors.TooDeep, open.Start);
            }
            var inner = chain(out depth);
            _openParentheses--;
            depth++;
            if (inner is not null && depth > MaxDepth)
            {
                return Fail<T>(RuleErrors.TooDeep, open.Start);
            }
            return inner is not null && Expect(RuleTokenKind.RightParen) ? inner : null;
        }

        PermissionExpression? PermissionTerm()
        {
            var start = Current.Start;
            if (Current.Kind is RuleTokenKind.Any or RuleTokenKind.All)
            {
                var quantifier = Advance().Kind == RuleTokenKind.Any ? RuleQuantifier.Any : RuleQuantifier.All;
                if (!Expect(RuleTokenKind.In) || !Expect(RuleTokenKind.LeftBracket))
                {
                    return null;
                }
                var items = ImmutableArray.CreateBuilder<PermissionItem>();
                if (Current.Kind == RuleTokenKind.RightBracket)
                {
                    Advance();
                    return new PermissionList(quantifier, items.ToImmutable(), SpanFrom(start));
                }
                while (true)
                {
                    var item = PermissionItem();
                    if (item is null)
                    {
                        return null;
                    }
                    items.Add(item);
                    if (Current.Kind == RuleTokenKind.Comma)
                    {
                        Advance();
                        continue;
                    }
                    return Expect(RuleTokenKind.RightBracket) ? new PermissionList(quantifier, items.ToImmutable(), SpanFrom(start)) : null;
                }
            }
            var name = PermissionName();
            return name is null ? null : new PermissionTerm(name, name.Span);
        }

        PermissionItem? PermissionItem()
        {
            var token = Current;
            if (token.Kind != RuleTokenKind.Regex)
            {
                return PermissionName();
            }
            Advance();
            return Regex(token) ? new PermissionPattern(token.Text, Span(token.Start, token.Length)) : null;
        }

        PermissionName? PermissionName()
        {
            var start = Current.Start;
            return QualifiedName(RuleErrors.PermissionNeedsNamespace, out var name, out var quote)
                ? new PermissionName(name, quote, SpanFrom(start))
                : null;
        }

        // ---- shared ----

        /// <summary>Reads <c>bundle:name</c> (spaces allowed around the colon; the name may be an emoji) or a quoted
        /// string containing a colon between non-empty parts.</summary>
        bool QualifiedName(string missingColon, out string name, out QuoteKind quote)
        {
            var token = Current;
            name = "";
            quote = QuoteKind.None;
            switch (token.Kind)
            {
                case RuleTokenKind.Name:
                    Advance();
                    if (Current.Kind != RuleTokenKind.Colon)
                    {
                        return Fail<object>(missingColon, token.Start) is not null;
                    }
                    Advance();
                    if (Current.Kind is not (RuleTokenKind.Name or RuleTokenKind.Emoji))
                    {
                        return SyntaxError<object>() is not null;
                    }
                    name = token.Text + ":" + Advance().Text;
                    return true;
                case RuleTokenKind.DoubleQuoted:
                case RuleTokenKind.SingleQuoted:
                    Advance();
                    var colon = token.Text.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0 || colon == token.Text.Length - 1)
                    {
                        return Fail<object>(missingColon, token.Start) is not null;
                    }
                    name = token.Text;
                    quote = token.Kind == RuleTokenKind.DoubleQuoted ? QuoteKind.Double : QuoteKind.Single;
                    return true;
                case RuleTokenKind.BareString:
                case RuleTokenKind.Emoji:
                    return Fail<object>(missingColon, token.Start) is not null;
                default:
                    return SyntaxError<object>() is not null;
            }
        }

        /// <summary>Reads <c>and</c>/<c>or</c>; R1: a chain may not mix them without parentheses.</summary>
        bool ChainOperator(ref LogicalOperator? chain, out LogicalOperator op)
        {
            var token = Current;
            op = token.Kind == RuleTokenKind.And ? LogicalOperator.And : LogicalOperator.Or;
            if (chain is not null && chain != op)
            {
                return Fail<object>(RuleErrors.MixedAndOr, token.Start) is not null;
            }
            chain = op;
            Advance();
            return true;
        }

        bool Expect(RuleTokenKind kind)
        {
            if (Current.Kind == kind)
            {
                Advance();
                return true;
            }
            return SyntaxError<object>() is not null;
        }

        RuleSyntax? SyntaxError() => SyntaxError<RuleSyntax>();

        /// <summary>Records "syntax error before" the current token, or "Unexpected end of input." at the end.</summary>
        T? SyntaxError<T>()
            where T : class
        {
            var token = Current;
            return token.Kind == RuleTokenKind.End
                ? Fail<T>(RuleErrors.UnexpectedEnd, token.Start)
                : Fail<T>(RuleErrors.SyntaxErrorBefore(token.Text), token.Start);
        }

        RuleSyntax? Fail(string message, int offset) => Fail<RuleSyntax>(message, offset);

        T? Fail<T>(string message, int offset)
            where T : class
        {
            Error ??= new LanguageError(message, Position(offset));
            return null;
        }

        SourceSpan SpanFrom(int start) => Span(start, _lastEnd - start);

        SourceSpan Span(int start, int length) => new(Position(start), length);

        SourcePosition Position(int offset)
        {
            var line = _lineStarts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }
            return new SourcePosition(offset, line + 1, offset - _lineStarts[line] + 1);
        }

        /// <summary>Offsets where lines start; breaks are <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> as in <see cref="SourcePosition.At"/>.</summary>
        static List<int> LineStarts(string text)
        {
            var starts = new List<int> { 0 };
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')))
                {
                    starts.Add(i + 1);
                }
            }
            return starts;
        }
    }
}
