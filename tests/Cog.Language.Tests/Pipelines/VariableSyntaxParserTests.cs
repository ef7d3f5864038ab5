using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Tests.Pipelines;

public class VariableSyntaxParserTests
{
    [Theory]
    [InlineData("$thing", "(var \"thing\" \"$thing\")")]
    [InlineData("$instance-id", "(var \"instance-id\" \"$instance-id\")")]
    [InlineData("$a_b2", "(var \"a_b2\" \"$a_b2\")")]
    [InlineData("$a.b[1].c", "(var \"a\" \"$a.b[1].c\" (key \"b\") (index 1) (key \"c\"))")]
    [InlineData("$author[user][handle]", "(var \"author\" \"$author[user][handle]\" (key \"user\") (key \"handle\"))")]
    [InlineData("$envs[0]['env owners'][1]", "(var \"envs\" \"$envs[0]['env owners'][1]\" (index 0) (key \"env owners\") (index 1))")]
    [InlineData("$x['0']", "(var \"x\" \"$x['0']\" (key \"0\"))")]
    [InlineData("$x[007]", "(var \"x\" \"$x[007]\" (index 7))")]
    [InlineData("$x[0a]", "(var \"x\" \"$x[0a]\" (key \"0a\"))")]
    [InlineData("$x[-1]", "(var \"x\" \"$x[-1]\" (key \"-1\"))")]
    [InlineData("$x.0a", "(var \"x\" \"$x.0a\" (key \"0a\"))")]
    [InlineData("$a.\"k\"", "(var \"a\" \"$a.\\\"k\\\"\" (key \"k\"))")]
    [InlineData("$a.'it\\'s'", "(var \"a\" \"$a.'it\\\\'s'\" (key \"it's\"))")]
    [InlineData("$a['x.y[z]']", "(var \"a\" \"$a['x.y[z]']\" (key \"x.y[z]\"))")]
    [InlineData("$a['']", "(var \"a\" \"$a['']\" (key \"\"))")]
    [InlineData("$a.b-c", "(var \"a\" \"$a.b-c\" (key \"b-c\"))")]
    public void Variable_paths_are_parsed(string text, string expected)
    {
        var result = VariableSyntaxParser.Parse(text);
        Assert.True(result.Succeeded, result.Error?.ToString());
        Assert.Equal(expected, SyntaxShape.Of(result.Value));
    }

    [Theory]
    [InlineData("$x.0", "syntax error before: \"0\"", 4)]
    [InlineData("$x.00", "syntax error before: \"00\"", 4)]
    [InlineData("$a[$i]", "Variables cannot be used as an index or key ('$a[$i]'); use a literal index such as [0] or a key such as ['name'].", 3)]
    [InlineData("$a[$i.b].c", "Variables cannot be used as an index or key ('$a[$i.b].c'); use a literal index such as [0] or a key such as ['name'].", 3)]
    [InlineData("$", "illegal characters \"$\"", 1)]
    [InlineData("$1", "illegal characters \"$1\"", 1)]
    [InlineData("$_a", "illegal characters \"$_\"", 1)]
    [InlineData("x", "illegal characters \"x\"", 1)]
    [InlineData("", "syntax error before: ", 1)]
    [InlineData("$a.", "syntax error before: ", 4)]
    [InlineData("$a[", "syntax error before: ", 4)]
    [InlineData("$a[]", "syntax error before: \"]\"", 4)]
    [InlineData("$a[0", "syntax error before: ", 5)]
    [InlineData("$a[0]x", "syntax error before: \"x\"", 6)]
    [InlineData("$a..b", "syntax error before: \".\"", 4)]
    [InlineData("$a.$b", "syntax error before: \"$b\"", 4)]
    [InlineData("$a%", "syntax error before: \"%\"", 3)]
    [InlineData("$a]", "syntax error before: \"]\"", 3)]
    [InlineData("$a['k", "Missing single quote: 'k", 4)]
    [InlineData("$a.'k'x", "syntax error before: \"x\"", 7)]
    [InlineData("$a[2147483648]", "Integer '2147483648' is out of range.", 4)]
    public void Malformed_variables_are_reported(string text, string message, int column)
    {
        var result = VariableSyntaxParser.Parse(text);
        Assert.False(result.Succeeded);
        Assert.Equal(message, result.Error.Message);
        Assert.Equal(column, result.Error.Position.Column);
    }

    [Fact]
    public void Error_positions_are_relative_to_the_given_start()
    {
        var result = VariableSyntaxParser.Parse("$x.0", new SourcePosition(20, 3, 7));
        Assert.Equal(new SourcePosition(23, 3, 10), result.Error!.Position);
    }

    [Fact]
    public void A_variable_cannot_be_a_command_name() =>
        Parsing.FailsWith("$cmd arg", "illegal characters \"$\"", 1, 1);
}
