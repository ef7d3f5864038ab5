namespace Cog.Language.Tests.Pipelines;

public class CommandNameParserTests
{
    [Theory]
    [InlineData("echo", null, "echo")]
    [InlineData("ec-ho_2", null, "ec-ho_2")]
    [InlineData("fooBar", null, "fooBar")]
    [InlineData(":shipit:", null, ":shipit:")]
    [InlineData(":+1:", null, ":+1:")]
    [InlineData("(shipit)", null, "(shipit)")]
    [InlineData("operable:echo", "operable", "echo")]
    [InlineData("operable::shipit:", "operable", ":shipit:")]
    [InlineData("operable:(a-b)", "operable", "(a-b)")]
    [InlineData("my-bundle:rule-create", "my-bundle", "rule-create")]
    public void Names_emoji_and_qualified_names_are_accepted(string word, string? bundle, string name)
    {
        var command = Parsing.Succeeds(word + " x").Stages[0].Command;
        Assert.Equal((bundle, name), (command.Bundle, command.Name));
        Assert.Equal(word, command.ToString());
        Assert.Equal((0, word.Length), (command.Span.Start.Offset, command.Span.Length));
    }

    [Theory]
    [InlineData("Echo", "illegal characters \"E\"", 1)]
    [InlineData("1echo", "illegal characters \"1\"", 1)]
    [InlineData("\u00ebcho", "illegal characters \"\u00eb\"", 1)]
    [InlineData("ec\U0001F600", "illegal characters \"\U0001F600\"", 3)]
    [InlineData("$var", "illegal characters \"$\"", 1)]
    [InlineData("-x", "illegal characters \"-\"", 1)]
    [InlineData("echo.foo", "illegal characters \".\"", 5)]
    [InlineData("a:b:c", "syntax error before: \":b:\"", 2)]
    [InlineData("a:b:c!", "illegal characters \"!\"", 6)]
    [InlineData(":foo", "syntax error before: \":\"", 1)]
    [InlineData("foo:", "syntax error before: ", 5)]
    [InlineData("foo:Bar", "illegal characters \"B\"", 5)]
    [InlineData(":a::b:", "syntax error before: \":b:\"", 4)]
    [InlineData(":a:b", "syntax error before: \"b\"", 4)]
    [InlineData("a::", "syntax error before: \":\"", 3)]
    [InlineData("(foo", "HipChat emoji missing paren: \"(foo\"", 1)]
    [InlineData("()", "illegal characters \"()\"", 1)]
    [InlineData("(", "illegal characters \"(\"", 1)]
    [InlineData("\"echo\"", "syntax error before: \"\\\"echo\\\"\"", 1)]
    [InlineData("'echo'", "syntax error before: \"'echo'\"", 1)]
    public void Malformed_command_names_are_reported_with_cogs_messages(string word, string message, int column) =>
        Parsing.FailsWith(word + " x", message, 1, column);

    [Fact]
    public void A_command_name_error_in_a_later_stage_points_into_its_line() =>
        Parsing.FailsWith("echo a |\n  Foo", "illegal characters \"F\"", 2, 3);
}
