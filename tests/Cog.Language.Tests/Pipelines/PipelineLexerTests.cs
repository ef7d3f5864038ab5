using Cog.Language.Pipelines;

namespace Cog.Language.Tests.Pipelines;

public class PipelineLexerTests
{
    static string Lex(string text)
    {
        var tokens = new List<PipelineToken>();
        var error = PipelineLexer.Lex(text, tokens);
        Assert.Null(error);
        Assert.Equal(PipelineTokenKind.End, tokens[^1].Kind);
        return string.Join(" ", tokens.SkipLast(1).Select(t => $"{t.Kind}[{t.TextIn(text)}]"));
    }

    [Theory]
    [InlineData("echo\ta", "Text[echo] Text[a]")]
    [InlineData("echo\na\r\nb\rc", "Text[echo] Text[a] Text[b] Text[c]")]
    [InlineData("  echo \u00a0 a  ", "Text[echo] Text[a]")]
    [InlineData("echo\t|\nsort", "Text[echo] Pipe[|] Text[sort]")]
    public void L1_any_whitespace_separates_tokens(string text, string expected) => Assert.Equal(expected, Lex(text));

    [Fact]
    public void L1_a_newline_inside_quotes_stays() =>
        Assert.Equal("(string Double \"a\\n b\")", Parsing.Arguments("echo \"a\n b\""));

    [Theory]
    [InlineData("|", "Pipe[|]")]
    [InlineData("&&", "And[&&]")]
    [InlineData(">", "Redirect[>]")]
    [InlineData("*>", "RedirectMulti[*>]")]
    [InlineData("a|b", "Text[a|b]")]
    [InlineData(">#room", "Text[>#room]")]
    [InlineData("||", "Text[||]")]
    [InlineData(">>", "Text[>>]")]
    [InlineData("&&&", "Text[&&&]")]
    [InlineData("*>>", "Text[*>>]")]
    [InlineData("&", "Text[&]")]
    [InlineData("*", "Text[*]")]
    [InlineData("|\"a\"", "Pipe[|] DoubleQuoted[\"a\"]")]
    public void Operators_count_only_when_they_stand_alone(string text, string expected) => Assert.Equal(expected, Lex(text));

    [Theory]
    [InlineData("$x[0]", "Text[$x[0]]")]
    [InlineData("$a.'k k'", "Text[$a.'k k']")]
    [InlineData("$a['k k'][1]", "Text[$a['k k'][1]]")]
    [InlineData("$a['x'][\"y\"]", "Text[$a['x'][\"y\"]]")]
    [InlineData("$a.'x'.b['y']", "Text[$a.'x'.b['y']]")]
    [InlineData("$a.'x'c", "Text[$a.'x'] Text[c]")]
    [InlineData("$a.'x''y'", "Text[$a.'x'] SingleQuoted['y']")]
    [InlineData("$a['k'", "Text[$a[] SingleQuoted['k']")]
    [InlineData("$a['k'x", "Text[$a[] SingleQuoted['k'] Text[x]")]
    [InlineData("a\"b\"", "Text[a] DoubleQuoted[\"b\"]")]
    [InlineData("\"a\"[0]", "DoubleQuoted[\"a\"] Text[[0]]")]
    public void Quoted_pieces_of_variable_paths_are_glued_to_adjacent_text(string text, string expected) => Assert.Equal(expected, Lex(text));

    [Theory]
    [InlineData("echo foo .bar", "Text[echo] Text[foo] Text[.bar]")]
    [InlineData("echo $x [0]", "Text[echo] Text[$x] Text[[0]]")]
    [InlineData("echo $a. 'k'", "Text[echo] Text[$a.] SingleQuoted['k']")]
    [InlineData("echo $a[ 'k' ]", "Text[echo] Text[$a[] SingleQuoted['k'] Text[]]")]
    public void L2_text_starting_with_a_dot_or_bracket_is_glued_only_when_adjacent(string text, string expected) => Assert.Equal(expected, Lex(text));

    [Theory]
    [InlineData("\"a\\\"b\" 'c\\'d'", "DoubleQuoted[\"a\\\"b\"] SingleQuoted['c\\'d']")]
    [InlineData("\"a\\\\\" b", "DoubleQuoted[\"a\\\\\"] Text[b]")]
    [InlineData("\"\" ''", "DoubleQuoted[\"\"] SingleQuoted['']")]
    public void A_backslash_protects_the_next_character_inside_quotes(string text, string expected) => Assert.Equal(expected, Lex(text));

    [Theory]
    [InlineData("echo \"foo bar", "Missing double quote: \"foo bar", 1, 6)]
    [InlineData("echo 'foo bar", "Missing single quote: 'foo bar", 1, 6)]
    [InlineData("echo \"a\\\"", "Missing double quote: \"a\\\"", 1, 6)]
    [InlineData("echo x |\n sort 'a\nb", "Missing single quote: 'a\nb", 2, 7)]
    [InlineData("echo $a['k", "Missing single quote: 'k", 1, 9)]
    [InlineData("| echo \"x", "Missing double quote: \"x", 1, 8)]
    public void Unterminated_quotes_report_the_rest_of_the_input(string text, string message, int line, int column) =>
        Parsing.FailsWith(text, message, line, column);

    [Fact]
    public void Token_positions_count_lines_and_columns()
    {
        var tokens = new List<PipelineToken>();
        Assert.Null(PipelineLexer.Lex("echo 'a\r\nb' |\r\n  sort", tokens));
        Assert.Equal((1, 6), (tokens[1].Start.Line, tokens[1].Start.Column));
        Assert.Equal((2, 4), (tokens[2].Start.Line, tokens[2].Start.Column));
        Assert.Equal((3, 3), (tokens[3].Start.Line, tokens[3].Start.Column));
        Assert.Equal((3, 7), (tokens[4].Start.Line, tokens[4].Start.Column));
    }

    [Theory]
    [InlineData("Pipe", "|")]
    [InlineData("And", "&&")]
    [InlineData("Redirect", ">")]
    [InlineData("RedirectMulti", "*>")]
    [InlineData("DoubleQuoted", "\"text\"")]
    [InlineData("End", "end of input")]
    public void Token_kinds_carry_a_display_example(string kind, string display) =>
        Assert.Equal(display, Enum.Parse<PipelineTokenKind>(kind).Display());
}
