using Cog.Language.Rules;

namespace Cog.Language.Tests.Rules;

public class RuleLexerTests
{
    static List<RuleToken> Tokens(string text)
    {
        var tokens = new List<RuleToken>();
        var error = RuleLexer.Tokenize(text, tokens);
        Assert.Null(error);
        return tokens;
    }

    static string Kinds(string text) => string.Join(" ", Tokens(text).Select(t => t.Kind));

    static string Illegal(string text)
    {
        var error = RuleLexer.Tokenize(text, []);
        Assert.NotNull(error);
        return RuleErrors.Format(error);
    }

    [Theory]
    [InlineData("when with must have command is allow any all in and or not true false", "When With Must Have Command Is Allow Any All In And Or Not True False End")]
    [InlineData("WHEN When", "Name Name End")]
    [InlineData("arg args arg[12] argx", "Arg Arg ArgIndex Name End")]
    [InlineData("arg[x]", "Arg LeftBracket Name RightBracket End")]
    [InlineData("option options optional", "Option Option Name End")]
    [InlineData("== != < > >= =< <=", "Equal NotEqual Less Greater GreaterOrEqual LessOrEqual LessOrEqual End")]
    [InlineData("12 12.5 123abc -x _y 12.5abc", "Integer Float BareString BareString BareString Float Name End")]
    [InlineData("foo-bar s3 a_b", "Name Name Name End")]
    [InlineData(":smile: (wave) (wave :x", "Emoji Emoji LeftParen Name Colon Name End")]
    [InlineData("foo:bar:", "Name Emoji End")]
    [InlineData("foo:bar:baz:", "Name Emoji Name Colon End")]
    [InlineData("[ ] ( ) , :", "LeftBracket RightBracket LeftParen RightParen Comma Colon End")]
    [InlineData("\"a b\" 'c' /^d/", "DoubleQuoted SingleQuoted Regex End")]
    [InlineData("a\tb\nc\r\nd", "Name Name Name Name End")]
    [InlineData("", "End")]
    public void Tokens_are_classified_by_longest_match(string text, string kinds) => Assert.Equal(kinds, Kinds(text));

    [Fact]
    public void Quoted_strings_and_regexes_keep_escapes_and_drop_delimiters()
    {
        var tokens = Tokens("\"a\\\"b\" 'it\\'s' /a\\/b/");
        Assert.Equal(["a\\\"b", "it\\'s", "a\\/b", ""], tokens.Select(t => t.Text));
        Assert.Equal([0, 7, 15, 21], tokens.Select(t => t.Start));
    }

    [Fact]
    public void Indexed_argument_is_one_token()
    {
        var token = Tokens("arg[3]")[0];
        Assert.Equal(new RuleToken(RuleTokenKind.ArgIndex, 0, 6, "arg[3]"), token);
    }

    [Theory]
    [InlineData("arg[0] = 5", "illegal characters \"= \".")]
    [InlineData("arg[0] =", "illegal characters \"=\".")]
    [InlineData("a !x", "illegal characters \"!x\".")]
    [InlineData(".55", "illegal characters \".\".")]
    [InlineData("1.", "illegal characters \".\".")]
    [InlineData("a @ b", "illegal characters \"@\".")]
    [InlineData("'abc", "illegal characters \"'abc\".")]
    [InlineData("\"ab\\\"", "illegal characters \"\\\"ab\\\\\\\"\".")]
    [InlineData("/ab", "illegal characters \"/ab\".")]
    [InlineData("a é", "illegal characters \"é\".")]
    [InlineData("a ~= b", "illegal characters \"~\".")]
    public void Characters_that_start_no_token_are_illegal(string text, string message) => Assert.Equal(message, Illegal(text));

    [Fact]
    public void Illegal_characters_carry_their_position()
    {
        var error = RuleLexer.Tokenize("when\n  @", []);
        Assert.Equal(new Cog.Language.Text.SourcePosition(7, 2, 3), error!.Position);
    }
}
