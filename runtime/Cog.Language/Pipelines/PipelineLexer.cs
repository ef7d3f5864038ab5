using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>Splits pipeline text into top-level tokens (with docs/language.md L1 and L2).</summary>
/// <remarks>
/// Any whitespace separates tokens (L1). A run of characters other than whitespace and quotes is one token (longest
/// match), so operators only count when they stand alone: <c>a|b</c>, <c>&gt;#room</c>, <c>||</c> and <c>&gt;&gt;</c>
/// are text. Quoted pieces are glued to adjacent text to form variable paths (L2: only when adjacent): text ending in
/// <c>[</c> + quoted + text starting with <c>]</c>, and text ending in <c>.</c> + quoted, followed by any adjacent text
/// starting with <c>.</c> or <c>[</c>. The whole input is lexed before parsing, so a missing quote is reported first,
/// as in Cog 1.0.
/// </remarks>
struct PipelineLexer
{
    readonly string _source;
    readonly CancellationToken _cancellationToken;
    int _index;
    int _line;
    int _lineStart;

    PipelineLexer(string source, CancellationToken cancellationToken)
    {
        _source = source;
        _cancellationToken = cancellationToken;
        _index = 0;
        _line = 1;
        _lineStart = 0;
    }

    /// <summary>Lexes <paramref name="source"/> into <paramref name="tokens"/>, ending with an <see cref="PipelineTokenKind.End"/> token.</summary>
    /// <returns><see langword="null"/>, or the error for an unterminated quoted string.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (checked for every token).</exception>
    public static LanguageError? Lex(string source, ref TokenBuffer tokens, CancellationToken cancellationToken)
    {
        var lexer = new PipelineLexer(source, cancellationToken);
        return lexer.LexAll(ref tokens);
    }

    /// <summary>Lexes into a list (for tests and tools; the parser uses the allocation-free overload).</summary>
    public static LanguageError? Lex(string source, List<PipelineToken> tokens)
    {
        var buffer = new TokenBuffer(stackalloc PipelineToken[16]);
        try
        {
            var error = Lex(source, ref buffer, CancellationToken.None);
            for (var i = 0; i < buffer.Count; i++)
            {
                tokens.Add(buffer[i]);
            }
            return error;
        }
        finally
        {
            buffer.Dispose();
        }
    }

    readonly SourcePosition Here => new(_index, _line, _index - _lineStart + 1);

    LanguageError? LexAll(ref TokenBuffer tokens)
    {
        var source = _source;
        while (true)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            while (_index < source.Length && char.IsWhiteSpace(source[_index]))
            {
                Step();
            }
            var start = Here;
            if (_index >= source.Length)
            {
                tokens.Add(new PipelineToken(PipelineTokenKind.End, start, 0));
                return null;
            }
            var c = source[_index];
            if (c is '"' or '\'')
            {
                if (!SkipQuoted())
                {
                    return Unterminated(start);
                }
                tokens.Add(new PipelineToken(c == '"' ? PipelineTokenKind.DoubleQuoted : PipelineTokenKind.SingleQuoted, start, _index - start.Offset));
                continue;
            }
            SkipRun();
            var length = _index - start.Offset;
            var kind = OperatorKind(source, start.Offset, length);
            if (kind == PipelineTokenKind.Text)
            {
                var error = Glue();
                if (error is not null)
                {
                    return error;
                }
                length = _index - start.Offset;
            }
            tokens.Add(new PipelineToken(kind, start, length));
        }
    }

    static PipelineTokenKind OperatorKind(string source, int start, int length) => length switch
    {
        1 when source[start] == '|' => PipelineTokenKind.Pipe,
        1 when source[start] == '>' => PipelineTokenKind.Redirect,
        2 when source[start] == '&' && source[start + 1] == '&' => PipelineTokenKind.And,
        2 when source[start] == '*' && source[start + 1] == '>' => PipelineTokenKind.RedirectMulti,
        _ => PipelineTokenKind.Text,
    };

    /// <summary>Extends the text token that ends at the current index with adjacent quoted pieces of a variable path.</summary>
    LanguageError? Glue()
    {
        var source = _source;
        while (_index < source.Length && source[_index] is '"' or '\'')
        {
            var last = source[_index - 1];
            if (last is not ('[' or '.'))
            {
                return null;
            }
            var quoteStart = Here;
            if (!SkipQuoted())
            {
                return Unterminated(quoteStart);
            }
            var next = _index < source.Length ? source[_index] : '\0';
            if (last == '[' ? next != ']' : next is not ('.' or '['))
            {
                if (last == '[')
                {
                    // `$a['k'` without `]`: the quoted piece is a token of its own.
                    Rewind(quoteStart);
                }
                return null;
            }
            SkipRun();
        }
        return null;
    }

    void Rewind(SourcePosition position)
    {
        _index = position.Offset;
        _line = position.Line;
        _lineStart = position.Offset - position.Column + 1;
    }

    LanguageError Unterminated(SourcePosition start)
    {
        var rest = _source[start.Offset..];
        var message = _source[start.Offset] == '"' ? PipelineErrors.MissingDoubleQuote(rest) : PipelineErrors.MissingSingleQuote(rest);
        return new LanguageError(message, start);
    }

    /// <summary>Skips characters that are neither whitespace nor quotes; none of them is a line break.</summary>
    void SkipRun()
    {
        var source = _source;
        var i = _index;
        while (i < source.Length)
        {
            var c = source[i];
            if (c is '"' or '\'' || char.IsWhiteSpace(c))
            {
                break;
            }
            i++;
        }
        _index = i;
    }

    /// <summary>Skips a quoted string starting at the current index; a backslash always protects the next character.</summary>
    /// <returns>Whether the closing quote was found.</returns>
    bool SkipQuoted()
    {
        var source = _source;
        var quote = source[_index];
        Step();
        while (_index < source.Length)
        {
            var c = source[_index];
            if (c == quote)
            {
                Step();
                return true;
            }
            Step();
            if (c == '\\' && _index < source.Length)
            {
                Step();
            }
        }
        return false;
    }

    /// <summary>Moves past one character, counting lines as <see cref="SourcePosition.At"/> does.</summary>
    void Step()
    {
        var source = _source;
        var c = source[_index];
        _index++;
        if (c == '\n' || (c == '\r' && (_index >= source.Length || source[_index] != '\n')))
        {
            _line++;
            _lineStart = _index;
        }
    }
}
