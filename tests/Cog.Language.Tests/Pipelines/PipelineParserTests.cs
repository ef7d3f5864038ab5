using Cog.Language.Pipelines;

namespace Cog.Language.Tests.Pipelines;

public class PipelineParserTests
{
    [Fact]
    public void Example_pipeline_has_three_stages_and_a_redirect()
    {
        var p = Parsing.Succeeds("echo --n=3 \"foo bar\" $x[0] | seed 'a b' -v | sort --desc > #ops");
        Assert.Equal(
            "(pipeline (stage None (name - \"echo\") (option --\"n\" (int 3)) (string Double \"foo bar\") (var \"x\" \"$x[0]\" (index 0)))"
            + " (stage Pipe (name - \"seed\") (string Single \"a b\") (option -\"v\"))"
            + " (stage Pipe (name - \"sort\") (option --\"desc\"))"
            + " (redirect (target None \"#ops\")))",
            SyntaxShape.Of(p));
    }

    [Fact]
    public void And_joins_stages_like_a_pipe()
    {
        var p = Parsing.Succeeds("a && b | c");
        Assert.Equal([StageJoin.None, StageJoin.And, StageJoin.Pipe], p.Stages.Select(s => s.Join));
    }

    [Fact]
    public void Spans_cover_stages_arguments_and_the_whole_pipeline()
    {
        const string text = "  echo a  'b c' |\n sort > #x ";
        var p = Parsing.Succeeds(text);
        Assert.Equal((2, 26), (p.Span.Start.Offset, p.Span.Length));
        Assert.Equal((2, 13), (p.Stages[0].Span.Start.Offset, p.Stages[0].Span.Length));
        Assert.Equal("'b c'", text.Substring(p.Stages[0].Arguments[1].Span.Start.Offset, p.Stages[0].Arguments[1].Span.Length));
        Assert.Equal((2, 2), (p.Stages[1].Span.Start.Line, p.Stages[1].Span.Start.Column));
        Assert.Equal("> #x", text.Substring(p.Redirect!.Span.Start.Offset, p.Redirect.Span.Length));
        Assert.Equal("sort > #x", text[p.Stages[1].Span.Start.Offset..p.Span.End]);
    }

    [Theory]
    [InlineData("", 1, 1)]
    [InlineData("   ", 1, 4)]
    [InlineData("\n\t", 2, 2)]
    public void Blank_input_is_a_syntax_error(string text, int line, int column) =>
        Parsing.FailsWith(text, "syntax error before: ", line, column);

    [Theory]
    [InlineData("| echo", "syntax error before: \"|\"", 1)]
    [InlineData("&& echo", "syntax error before: \"&&\"", 1)]
    [InlineData("echo |", "syntax error before: ", 7)]
    [InlineData("echo &&", "syntax error before: ", 8)]
    [InlineData("echo | | sort", "syntax error before: \"|\"", 8)]
    [InlineData("echo | && sort", "syntax error before: \"&&\"", 8)]
    [InlineData("> #room", "syntax error before: \">\"", 1)]
    [InlineData("echo | > #room", "syntax error before: \">\"", 8)]
    public void Leading_trailing_and_doubled_joins_are_syntax_errors(string text, string message, int column) =>
        Parsing.FailsWith(text, message, 1, column);

    [Theory]
    [InlineData("echo hi > #ops", "(redirect (target None \"#ops\"))")]
    [InlineData("echo hi > me", "(redirect (target None \"me\"))")]
    [InlineData("echo hi *> #a @b here", "(redirect* (target None \"#a\") (target None \"@b\") (target None \"here\"))")]
    [InlineData("echo hi *> #a", "(redirect* (target None \"#a\"))")]
    [InlineData("echo hi > chat://slack/C123", "(redirect (target None \"chat://slack/C123\"))")]
    [InlineData("echo hi > $room", "(redirect (target None \"$room\"))")]
    [InlineData("echo hi > #a|b", "(redirect (target None \"#a|b\"))")]
    [InlineData("echo > #ops", "(redirect (target None \"#ops\"))")]
    public void Redirects_end_the_pipeline(string text, string redirect) =>
        Assert.EndsWith(" " + redirect + ")", SyntaxShape.Of(Parsing.Succeeds(text)));

    [Theory]
    [InlineData("echo hi > \"#my room\"", "(redirect (target Double \"#my room\"))")]
    [InlineData("echo hi > '#my room'", "(redirect (target Single \"#my room\"))")]
    [InlineData("echo hi *> '#a b' \"@c\\\"d\" e", "(redirect* (target Single \"#a b\") (target Double \"@c\\\"d\") (target None \"e\"))")]
    [InlineData("echo hi > \"${x}\"", "(redirect (target Double \"${x}\"))")]
    public void L7_quoted_redirect_targets_are_allowed(string text, string redirect) =>
        Assert.EndsWith(" " + redirect + ")", SyntaxShape.Of(Parsing.Succeeds(text)));

    [Theory]
    [InlineData("echo hi > #a #b", 14)]
    [InlineData("echo hi > #a '#b c'", 14)]
    public void L5_a_single_arrow_redirect_takes_exactly_one_target(string text, int column) =>
        Parsing.FailsWith(text, "A \">\" redirect takes exactly one target; use \"*>\" to send the output to several targets.", 1, column);

    [Theory]
    [InlineData("echo hi > #a | sort", 9)]
    [InlineData("echo hi *> #a #b && sort", 9)]
    [InlineData("a | echo hi > #a | sort", 13)]
    public void L6_a_redirect_is_only_allowed_at_the_end_of_the_pipeline(string text, int column) =>
        Parsing.FailsWith(text, "A redirect is only allowed at the end of the pipeline, after the last command.", 1, column);

    [Theory]
    [InlineData("echo hi > chat:foo", "URL redirect targets must begin with chat://.", 11)]
    [InlineData("echo hi > chat:/foo", "URL redirect targets must begin with chat://.", 11)]
    [InlineData("echo hi *> #a 'chat:x'", "URL redirect targets must begin with chat://.", 15)]
    [InlineData("echo hi >", "syntax error before: ", 10)]
    [InlineData("echo hi *>", "syntax error before: ", 11)]
    [InlineData("echo hi > | sort", "syntax error before: \"|\"", 11)]
    [InlineData("echo hi > #a > #b", "syntax error before: \">\"", 14)]
    [InlineData("echo hi *> #a #b > #c", "syntax error before: \">\"", 18)]
    [InlineData("echo hi > > #a", "syntax error before: \">\"", 11)]
    public void Malformed_redirects_are_reported(string text, string message, int column) =>
        Parsing.FailsWith(text, message, 1, column);

    [Fact]
    public void The_lexer_error_wins_over_an_earlier_syntax_error() =>
        Parsing.FailsWith("| echo \"x", "Missing double quote: \"x", 1, 8);

    [Fact]
    public void Errors_on_later_lines_have_their_line_and_column() =>
        Parsing.FailsWith("echo a\n  | sort -abc", "syntax error before: \"bc\"", 2, 12);

    [Fact]
    public void Errors_after_a_multi_line_quoted_string_count_its_lines() =>
        Parsing.FailsWith("echo 'a\nbc' -", "illegal characters \"-\"", 2, 5);
}
