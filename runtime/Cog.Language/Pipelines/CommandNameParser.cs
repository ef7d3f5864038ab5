using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>Parses the first word of a stage as a command name.</summary>
/// <remarks>
/// Words: a name <c>[a-z][a-zA-Z0-9_-]*</c>, an emoji <c>:[a-zA-Z0-9_+-]+:</c> or <c>([a-zA-Z0-9_+-]+)</c>, and
/// <c>:</c>. Accepted forms: <c>name</c>, <c>emoji</c>, <c>bundle:name</c>, <c>bundle:emoji</c>. As in Cog 1.0 the whole
/// word is lexed first, so an illegal character anywhere wins over a syntax error.
/// </remarks>
static class CommandNameParser
{
    enum Kind
    {
        Name,
        Emoji,
        Colon,
    }

    readonly record struct Piece(Kind Kind, int Start, int Length);

    public static Result<CommandNameSyntax> Parse(string source, PipelineToken token)
    {
        var start = token.Start.Offset;
        var end = token.End;
        // The grammar needs at most four pieces; the rest is only lexed for illegal characters.
        Span<Piece> pieces = stackalloc Piece[4];
        var count = 0;
        for (var i = start; i < end;)
        {
            var error = Next(source, i, end, token, out var piece);
            if (error is not null)
            {
                return error;
            }
            if (count < pieces.Length)
            {
                pieces[count] = piece;
            }
            count++;
            i += piece.Length;
        }
        // Forms: name | emoji | name ':' (name | emoji).
        if (pieces[0].Kind == Kind.Colon)
        {
            return SyntaxError(source, token, pieces[0]);
        }
        if (count == 1)
        {
            return Result<CommandNameSyntax>.Success(new CommandNameSyntax(null, source.Substring(start, pieces[0].Length), token.Span));
        }
        if (pieces[0].Kind == Kind.Emoji || pieces[1].Kind != Kind.Colon)
        {
            return SyntaxError(source, token, pieces[1]);
        }
        if (count == 2)
        {
            return new LanguageError(PipelineErrors.SyntaxErrorAtEnd, SourceWalk.Advance(source, start, token.Start, end));
        }
        if (pieces[2].Kind == Kind.Colon)
        {
            return SyntaxError(source, token, pieces[2]);
        }
        if (count > 3)
        {
            return SyntaxError(source, token, pieces[3]);
        }
        var bundle = source.Substring(start, pieces[0].Length);
        var name = source.Substring(pieces[2].Start, pieces[2].Length);
        return Result<CommandNameSyntax>.Success(new CommandNameSyntax(bundle, name, token.Span));
    }

    static LanguageError SyntaxError(string source, PipelineToken token, Piece piece) => new(
        PipelineErrors.SyntaxErrorBefore(source.Substring(piece.Start, piece.Length)),
        SourceWalk.Advance(source, token.Start.Offset, token.Start, piece.Start));

    static bool IsEmojiChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+';

    static LanguageError? Next(string source, int index, int end, PipelineToken token, out Piece piece)
    {
        var c = source[index];
        var i = index + 1;
        if (char.IsAsciiLetterLower(c))
        {
            while (i < end && SourceWalk.IsNameChar(source[i]))
            {
                i++;
            }
            piece = new Piece(Kind.Name, index, i - index);
            return null;
        }
        if (c is ':' or '(')
        {
            while (i < end && IsEmojiChar(source[i]))
            {
                i++;
            }
            var close = c == ':' ? ':' : ')';
            if (i > index + 1 && i < end && source[i] == close)
            {
                piece = new Piece(Kind.Emoji, index, i + 1 - index);
                return null;
            }
            if (c == ':')
            {
                piece = new Piece(Kind.Colon, index, 1);
                return null;
            }
            piece = default;
            var position = SourceWalk.Advance(source, token.Start.Offset, token.Start, index);
            if (i > index + 1)
            {
                return new LanguageError(PipelineErrors.HipChatEmojiMissingParen(source[index..i]), position);
            }
            // `(` then a character no rule accepts: Cog 1.0 reported both.
            var illegal = i < end ? source[index..i] + SourceWalk.CodePointAt(source, i) : source[index..i];
            return new LanguageError(PipelineErrors.IllegalCharacters(illegal), position);
        }
        piece = default;
        return new LanguageError(
            PipelineErrors.IllegalCharacters(SourceWalk.CodePointAt(source, index)),
            SourceWalk.Advance(source, token.Start.Offset, token.Start, index));
    }
}
