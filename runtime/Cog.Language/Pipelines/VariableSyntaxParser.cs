using System.Collections.Immutable;
using System.Globalization;
using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>Parses variable expressions: <c>$name</c> followed by <c>.key</c>, <c>[index]</c> or <c>[key]</c> accessors.</summary>
/// <remarks>
/// <para>The name is <c>[a-zA-Z][a-zA-Z0-9_-]*</c> (a hyphen is part of it: <c>$instance-id</c>). A key is one or more
/// characters other than <c>$ [ ] .</c>, or a quoted key (<c>'k k'</c>, <c>"k"</c>) in which <c>\'</c>, <c>\"</c> and
/// <c>\\</c> are escapes. In brackets, an all-digit key is a list index; after a dot it is a syntax error
/// (<c>$x.0</c>: write <c>$x[0]</c>, or <c>$x['0']</c> for a map key made of digits). A variable inside brackets
/// (<c>$a[$i]</c>) is rejected as unsupported.</para>
/// <para>Pure and thread-safe; bad input gives a failed <see cref="Result{T}"/>, never an exception.</para>
/// </remarks>
public static class VariableSyntaxParser
{
    /// <summary>Parses a whole variable expression such as <c>$a.b[0]</c>, taken to start at the beginning of a source.</summary>
    /// <param name="text">The expression, starting with <c>$</c>.</param>
    public static Result<VariableExpression> Parse(string text) => Parse(text, SourcePosition.Start);

    /// <summary>Parses a whole variable expression such as <c>$a.b[0]</c>.</summary>
    /// <param name="text">The expression, starting with <c>$</c>.</param>
    /// <param name="at">Where <paramref name="text"/> starts in its source; error positions are relative to it.</param>
    public static Result<VariableExpression> Parse(string text, SourcePosition at)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Scan(text, 0, text.Length, at, interpolation: false, PipelineLimits.Default.MaxVariablePathLength, out _);
    }

    /// <summary>Scans a variable expression in <c>source[start..end)</c>.</summary>
    /// <param name="source">The text holding the expression.</param>
    /// <param name="start">Index of the <c>$</c>, or for an interpolation of the first character after <c>${</c>.</param>
    /// <param name="end">Where the scan must stop at the latest.</param>
    /// <param name="startPosition">The position of <c>source[start]</c>.</param>
    /// <param name="interpolation">
    /// Whether this is the inside of <c>${...}</c>: there is no <c>$</c> (the expression's text gets one), and the scan
    /// stops before a <c>}</c>, which an unquoted key cannot contain.
    /// </param>
    /// <param name="maxPathLength">The most accessors after the name; one more is an error at that accessor.</param>
    /// <param name="stop">Where the scan stopped: <paramref name="end"/>, or for an interpolation the index of the <c>}</c>.</param>
    internal static Result<VariableExpression> Scan(string source, int start, int end, SourcePosition startPosition, bool interpolation, int maxPathLength, out int stop)
    {
        var scanner = new Scanner(source, start, end, startPosition, interpolation, maxPathLength);
        var result = scanner.Run();
        stop = scanner.Index;
        return result;
    }

    ref struct Scanner(string source, int start, int end, SourcePosition startPosition, bool interpolation, int maxPathLength)
    {
        readonly int _maxPathLength = maxPathLength;
        readonly string _source = source;
        readonly int _start = start;
        readonly int _end = end;
        readonly SourcePosition _startPosition = startPosition;
        readonly bool _interpolation = interpolation;
        int _index = start;

        public readonly int Index => _index;

        public Result<VariableExpression> Run()
        {
            var source = _source;
            if (!_interpolation)
            {
                if (_index >= _end)
                {
                    return Error(PipelineErrors.SyntaxErrorAtEnd, _index);
                }
                if (source[_index] != '$')
                {
                    return Error(PipelineErrors.IllegalCharacters(SourceWalk.CodePointAt(source, _index)), _index);
                }
                _index++;
            }
            var nameStart = _index;
            if (_index >= _end || !char.IsAsciiLetter(source[_index]))
            {
                var illegal = AtEnd() ? "$" : "$" + SourceWalk.CodePointAt(source, _index);
                return Error(PipelineErrors.IllegalCharacters(illegal), _start);
            }
            _index++;
            while (_index < _end && SourceWalk.IsNameChar(source[_index]))
            {
                _index++;
            }
            var name = source[nameStart.._index];
            ImmutableArray<VariableAccessor>.Builder? path = null;
            while (_index < _end)
            {
                var c = source[_index];
                if (_interpolation && c == '}')
                {
                    break;
                }
                if (path?.Count == _maxPathLength)
                {
                    return Error(PipelineErrors.VariablePathTooLong(name, _maxPathLength), _index);
                }
                VariableAccessor accessor;
                LanguageError? error;
                if (c == '.')
                {
                    _index++;
                    error = ScanDotKey(out accessor);
                }
                else if (c == '[')
                {
                    _index++;
                    error = ScanBracket(out accessor);
                }
                else
                {
                    error = SyntaxErrorHere();
                    accessor = null!;
                }
                if (error is not null)
                {
                    return error;
                }
                (path ??= ImmutableArray.CreateBuilder<VariableAccessor>()).Add(accessor);
            }
            var text = _interpolation ? "$" + source[_start.._index] : source[_start.._index];
            return Result<VariableExpression>.Success(new VariableExpression(name, path is null ? [] : path.ToImmutable(), text));
        }

        LanguageError? ScanDotKey(out VariableAccessor accessor)
        {
            accessor = null!;
            if (AtEnd())
            {
                return SyntaxErrorHere();
            }
            if (_source[_index] is '"' or '\'')
            {
                var error = ScanQuotedKey(out var quoted);
                accessor = new KeyAccessor(quoted);
                return error;
            }
            var runStart = _index;
            var allDigits = SkipKeyRun();
            if (_index == runStart || allDigits)
            {
                // An empty key, or `.0`: Cog 1.0 lexed digits as an integer, which may not follow a dot.
                _index = runStart;
                return SyntaxErrorHere();
            }
            accessor = new KeyAccessor(_source[runStart.._index]);
            return null;
        }

        LanguageError? ScanBracket(out VariableAccessor accessor)
        {
            accessor = null!;
            var bracket = _index - 1;
            if (_index < _end && _source[_index] == '$')
            {
                var closing = _interpolation ? _source.IndexOf('}', _index, _end - _index) : -1;
                var expression = _interpolation
                    ? "$" + _source[_start..(closing < 0 ? _end : closing)]
                    : _source[_start.._end];
                return new LanguageError(PipelineErrors.VariableIndexNotSupported(expression), PositionOf(bracket));
            }
            if (AtEnd())
            {
                return SyntaxErrorHere();
            }
            if (_source[_index] is '"' or '\'')
            {
                var error = ScanQuotedKey(out var quoted);
                if (error is not null)
                {
                    return error;
                }
                accessor = new KeyAccessor(quoted);
            }
            else
            {
                var runStart = _index;
                var allDigits = SkipKeyRun();
                if (_index == runStart)
                {
                    return SyntaxErrorHere();
                }
                if (allDigits)
                {
                    if (!int.TryParse(_source.AsSpan(runStart, _index - runStart), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                    {
                        return new LanguageError(PipelineErrors.IntegerOutOfRange(_source[runStart.._index]), PositionOf(runStart));
                    }
                    accessor = new IndexAccessor(number);
                }
                else
                {
                    accessor = new KeyAccessor(_source[runStart.._index]);
                }
            }
            if (_index >= _end || _source[_index] != ']')
            {
                return SyntaxErrorHere();
            }
            _index++;
            return null;
        }

        /// <summary>Skips an unquoted key; returns whether it was made of digits only (an empty run counts as not).</summary>
        bool SkipKeyRun()
        {
            var start = _index;
            var allDigits = true;
            while (_index < _end)
            {
                var c = _source[_index];
                if (c is '$' or '[' or ']' or '.' || (_interpolation && c == '}'))
                {
                    break;
                }
                allDigits &= char.IsAsciiDigit(c);
                _index++;
            }
            return allDigits && _index > start;
        }

        LanguageError? ScanQuotedKey(out string key)
        {
            var quoteIndex = _index;
            var quote = _source[quoteIndex];
            var i = quoteIndex + 1;
            while (i < _end && _source[i] != quote)
            {
                i += _source[i] == '\\' ? 2 : 1;
            }
            if (i >= _end)
            {
                key = "";
                var rest = _source[quoteIndex.._end];
                var message = quote == '"' ? PipelineErrors.MissingDoubleQuote(rest) : PipelineErrors.MissingSingleQuote(rest);
                return new LanguageError(message, PositionOf(quoteIndex));
            }
            key = SourceWalk.Unescape(_source, quoteIndex + 1, i);
            _index = i + 1;
            return null;
        }

        readonly bool AtEnd() => _index >= _end || (_interpolation && _source[_index] == '}');

        /// <summary>A syntax error before the variable-lexer token at the current index (the end when there is none).</summary>
        readonly LanguageError SyntaxErrorHere()
        {
            var token = AtEnd() ? "" : TokenAt(_index);
            return new LanguageError(PipelineErrors.SyntaxErrorBefore(token), PositionOf(_index));
        }

        /// <summary>The token Cog 1.0's variable lexer would read at <paramref name="index"/>, to quote it in a syntax error.</summary>
        readonly string TokenAt(int index)
        {
            var source = _source;
            var c = source[index];
            if (c is '[' or ']' or '.')
            {
                return source.Substring(index, 1);
            }
            var i = index + 1;
            if (c == '$')
            {
                while (i < _end && SourceWalk.IsNameChar(source[i]))
                {
                    i++;
                }
                return source[index..i];
            }
            if (c is '"' or '\'')
            {
                while (i < _end && source[i] != c)
                {
                    i += source[i] == '\\' ? 2 : 1;
                }
                return source[index..Math.Min(i + 1, _end)];
            }
            while (i < _end && source[i] is not ('$' or '[' or ']' or '.') && !(_interpolation && source[i] == '}'))
            {
                i++;
            }
            return source[index..i];
        }

        readonly LanguageError Error(string message, int index) => new(message, PositionOf(index));

        readonly SourcePosition PositionOf(int index) => SourceWalk.Advance(_source, _start, _startPosition, index);
    }
}
