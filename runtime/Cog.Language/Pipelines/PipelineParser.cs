using System.Collections.Immutable;
using Cog.Language.Text;

namespace Cog.Language.Pipelines;

/// <summary>Parses command-language text (<c>echo $x | sort --desc &gt; #ops</c>) into a <see cref="PipelineSyntax"/>.</summary>
/// <remarks>
/// <para>Grammar (with docs/language.md L5-L7):</para>
/// <code>
/// pipeline := stage ( ("|" | "&amp;&amp;") stage )* redirect?
/// stage    := NAME arg*
/// redirect := "&gt;" target | "*&gt;" target+        target := TEXT | QUOTED
/// </code>
/// <para>Pure and thread-safe: bad input gives a failed <see cref="Result{T}"/> whose <see cref="LanguageError"/> has the
/// message from <see cref="PipelineErrors"/> and the 1-based line and column where the offending token starts. It
/// never throws for any string.</para>
/// </remarks>
public static class PipelineParser
{
    /// <summary>Parses a pipeline.</summary>
    /// <param name="text">The pipeline text, after the chat prefix or mention has been removed.</param>
    public static Result<PipelineSyntax> Parse(string text) => Parse(text, PipelineLimits.Default, CancellationToken.None);

    /// <summary>Parses a pipeline within <paramref name="limits"/>.</summary>
    /// <param name="text">The pipeline text, after the chat prefix or mention has been removed.</param>
    /// <param name="limits">The bounds; the first one exceeded is the error.</param>
    /// <param name="cancellationToken">Stops the parse: checked for every token.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Result<PipelineSyntax> Parse(string text, PipelineLimits limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        if (text.Length > limits.MaxTextLength)
        {
            // Before lexing: nothing that grows with the text is done for a text over the limit.
            return new LanguageError(PipelineErrors.TextTooLong(text.Length, limits.MaxTextLength), SourcePosition.At(text, limits.MaxTextLength));
        }
        // A chat command rarely has more than 32 tokens; longer input moves to a pooled array.
        var tokens = new TokenBuffer(stackalloc PipelineToken[32]);
        try
        {
            var error = PipelineLexer.Lex(text, ref tokens, cancellationToken);
            if (error is not null)
            {
                return error;
            }
            return new Parser(text, tokens, limits, cancellationToken).ParsePipeline();
        }
        finally
        {
            tokens.Dispose();
        }
    }

    /// <summary>Parses one argument word on its own (for the printer, which checks that a word reads back unchanged).</summary>
    /// <returns>The argument, or <see langword="null"/> when the text is not exactly one complete argument word.</returns>
    internal static ArgumentSyntax? ParseSingleArgument(string text)
    {
        var tokens = new TokenBuffer(stackalloc PipelineToken[2]);
        try
        {
            if (PipelineLexer.Lex(text, ref tokens, CancellationToken.None) is not null || tokens.Count != 2 || !tokens[0].Kind.IsWord() || tokens[0].Length != text.Length)
            {
                return null;
            }
            var variables = new VariableCount(PipelineLimits.Default);
            var argument = ArgumentParser.Parse(text, tokens[0], ref variables, out var takesNext);
            return argument.Succeeded && !takesNext ? argument.Value : null;
        }
        finally
        {
            tokens.Dispose();
        }
    }


    ref struct Parser(string source, TokenBuffer tokens, PipelineLimits limits, CancellationToken cancellationToken)
    {
        readonly string _source = source;
        readonly TokenBuffer _tokens = tokens;
        readonly PipelineLimits _limits = limits;
        readonly CancellationToken _cancellationToken = cancellationToken;
        readonly ImmutableArray<ArgumentSyntax>.Builder _arguments = ImmutableArray.CreateBuilder<ArgumentSyntax>();
        VariableCount _variables = new(limits);
        int _argumentCount;
        int _next;

        readonly PipelineToken Peek => _tokens[_next];

        PipelineToken Take() => _tokens[_next++];

        public Result<PipelineSyntax> ParsePipeline()
        {
            var stages = ImmutableArray.CreateBuilder<StageSyntax>(1);
            var join = StageJoin.None;
            RedirectSyntax? redirect = null;
            while (true)
            {
                if (stages.Count == _limits.MaxStages && Peek.Kind == PipelineTokenKind.Text)
                {
                    return new LanguageError(PipelineErrors.TooManyStages(_limits.MaxStages), Peek.Start);
                }
                var stage = ParseStage(join);
                if (!stage.Succeeded)
                {
                    return stage.Error;
                }
                stages.Add(stage.Value);
                var token = Peek;
                if (token.Kind is PipelineTokenKind.Pipe or PipelineTokenKind.And)
                {
                    join = token.Kind == PipelineTokenKind.Pipe ? StageJoin.Pipe : StageJoin.And;
                    _next++;
                    continue;
                }
                if (token.Kind is PipelineTokenKind.Redirect or PipelineTokenKind.RedirectMulti)
                {
                    var parsed = ParseRedirect();
                    if (!parsed.Succeeded)
                    {
                        return parsed.Error;
                    }
                    redirect = parsed.Value;
                }
                break;
            }
            var first = _tokens[0];
            var last = _tokens[_next - 1];
            var span = new SourceSpan(first.Start, last.End - first.Start.Offset);
            return Result<PipelineSyntax>.Success(new PipelineSyntax(stages.Count == stages.Capacity ? stages.MoveToImmutable() : stages.ToImmutable(), redirect, span));
        }

        Result<StageSyntax> ParseStage(StageJoin join)
        {
            var nameToken = Take();
            if (nameToken.Kind != PipelineTokenKind.Text)
            {
                return SyntaxError(nameToken);
            }
            var name = CommandNameParser.Parse(_source, nameToken);
            if (!name.Succeeded)
            {
                return name.Error;
            }
            var end = nameToken.End;
            while (Peek.Kind.IsWord())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var token = Take();
                if (++_argumentCount > _limits.MaxArguments)
                {
                    return new LanguageError(PipelineErrors.TooManyArguments(_limits.MaxArguments), token.Start);
                }
                var parsed = ArgumentParser.Parse(_source, token, ref _variables, out var takesNext);
                if (!parsed.Succeeded)
                {
                    return parsed.Error;
                }
                var argument = parsed.Value;
                end = token.End;
                if (takesNext)
                {
                    var option = (OptionArgument)argument;
                    var valueToken = Peek;
                    if (!valueToken.Kind.IsWord())
                    {
                        return new LanguageError(PipelineErrors.MissingOptionValue(option.Name), token.Start);
                    }
                    _next++;
                    var value = ArgumentParser.Parse(_source, valueToken, ref _variables, out _);
                    if (!value.Succeeded)
                    {
                        return value.Error;
                    }
                    if (value.Value is OptionArgument)
                    {
                        // Cog 1.0 took the option itself as the value; an option cannot be a value.
                        return new LanguageError(PipelineErrors.MissingOptionValue(option.Name), token.Start);
                    }
                    end = valueToken.End;
                    argument = option with { Value = value.Value, Span = new SourceSpan(token.Start, end - token.Start.Offset) };
                }
                _arguments.Add(argument);
            }
            var span = new SourceSpan(nameToken.Start, end - nameToken.Start.Offset);
            return Result<StageSyntax>.Success(new StageSyntax(join, name.Value, _arguments.DrainToImmutable(), span));
        }

        Result<RedirectSyntax> ParseRedirect()
        {
            var arrow = Take();
            var isMulti = arrow.Kind == PipelineTokenKind.RedirectMulti;
            var targets = ImmutableArray.CreateBuilder<RedirectTarget>(1);
            while (Peek.Kind.IsWord())
            {
                var token = Take();
                if (!isMulti && targets.Count == 1)
                {
                    return new LanguageError(PipelineErrors.SingleTargetRedirect, token.Start);
                }
                var target = ParseTarget(token);
                if (target.Error is not null)
                {
                    return target.Error;
                }
                targets.Add(target.Value);
            }
            if (targets.Count == 0)
            {
                return SyntaxError(Peek);
            }
            var after = Peek;
            if (after.Kind is PipelineTokenKind.Pipe or PipelineTokenKind.And)
            {
                return new LanguageError(PipelineErrors.RedirectNotLast, arrow.Start);
            }
            if (after.Kind != PipelineTokenKind.End)
            {
                return SyntaxError(after);
            }
            var last = _tokens[_next - 1];
            return Result<RedirectSyntax>.Success(new RedirectSyntax(isMulti, targets.ToImmutable(), new SourceSpan(arrow.Start, last.End - arrow.Start.Offset)));
        }

        Result<RedirectTarget> ParseTarget(PipelineToken token)
        {
            var (text, quote) = token.Kind switch
            {
                PipelineTokenKind.DoubleQuoted => (SourceWalk.Unescape(_source, token.Start.Offset + 1, token.End - 1), QuoteKind.Double),
                PipelineTokenKind.SingleQuoted => (SourceWalk.Unescape(_source, token.Start.Offset + 1, token.End - 1), QuoteKind.Single),
                _ => (token.TextIn(_source), QuoteKind.None),
            };
            if (text.StartsWith("chat:", StringComparison.Ordinal) && !text.StartsWith("chat://", StringComparison.Ordinal))
            {
                return new LanguageError(PipelineErrors.ChatUrlRedirect, token.Start);
            }
            return Result<RedirectTarget>.Success(new RedirectTarget(text, quote, token.Span));
        }

        LanguageError SyntaxError(PipelineToken token)
        {
            var text = token.Kind switch
            {
                PipelineTokenKind.End => "",
                PipelineTokenKind.Text or PipelineTokenKind.DoubleQuoted or PipelineTokenKind.SingleQuoted => token.TextIn(_source),
                _ => token.Kind.Display(),
            };
            return new LanguageError(PipelineErrors.SyntaxErrorBefore(text), token.Start);
        }
    }
}
