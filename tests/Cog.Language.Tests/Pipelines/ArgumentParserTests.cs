namespace Cog.Language.Tests.Pipelines;

public class ArgumentParserTests
{
    [Theory]
    [InlineData("123", "(int 123)")]
    [InlineData("007", "(int 7)")]
    [InlineData("-5", "(int -5)")]
    [InlineData("-0", "(int 0)")]
    [InlineData("9223372036854775807", "(int 9223372036854775807)")]
    [InlineData("-9223372036854775808", "(int -9223372036854775808)")]
    [InlineData("1.5", "(float 1.5)")]
    [InlineData("-2.25", "(float -2.25)")]
    [InlineData("007.50", "(float 7.5)")]
    [InlineData("true", "(bool true)")]
    [InlineData("false", "(bool false)")]
    [InlineData("TRUE", "(string None \"TRUE\")")]
    [InlineData("True", "(string None \"True\")")]
    [InlineData("trueish", "(string None \"trueish\")")]
    [InlineData("1.2.3", "(string None \"1.2.3\")")]
    [InlineData("1.", "(string None \"1.\")")]
    [InlineData("1e5", "(string None \"1e5\")")]
    [InlineData("+5", "(string None \"+5\")")]
    [InlineData("0x10", "(string None \"0x10\")")]
    [InlineData("123abc", "(string None \"123abc\")")]
    [InlineData("a=b", "(string None \"a=b\")")]
    [InlineData("c:d", "(string None \"c:d\")")]
    [InlineData("#room", "(string None \"#room\")")]
    [InlineData("@user", "(string None \"@user\")")]
    [InlineData("foo$bar", "(string None \"foo$bar\")")]
    [InlineData("a|b", "(string None \"a|b\")")]
    [InlineData(">#room", "(string None \">#room\")")]
    [InlineData("||", "(string None \"||\")")]
    [InlineData(">>", "(string None \">>\")")]
    [InlineData("foo.'a b'", "(string None \"foo.'a b'\")")]
    [InlineData("$x", "(var \"x\" \"$x\")")]
    [InlineData("$instance-id", "(var \"instance-id\" \"$instance-id\")")]
    [InlineData("$x[0]", "(var \"x\" \"$x[0]\" (index 0))")]
    [InlineData("$a['k k'][1]", "(var \"a\" \"$a['k k'][1]\" (key \"k k\") (index 1))")]
    [InlineData("$a.'k k'", "(var \"a\" \"$a.'k k'\" (key \"k k\"))")]
    public void Unquoted_words_are_typed_like_cog(string word, string expected) =>
        Assert.Equal(expected, Parsing.Arguments("echo " + word));

    [Theory]
    [InlineData("-x", "(option -\"x\")")]
    [InlineData("-7", "(int -7)")]
    [InlineData("-x=5", "(option -\"x\" (int 5))")]
    [InlineData("-x=abc", "(option -\"x\" (string None \"abc\"))")]
    [InlineData("--name", "(option --\"name\")")]
    [InlineData("--5", "(option --\"5\")")]
    [InlineData("--2fa", "(option --\"2fa\")")]
    [InlineData("--dry-run", "(option --\"dry-run\")")]
    [InlineData("--a_b", "(option --\"a_b\")")]
    [InlineData("--a=b=c", "(option --\"a\" (string None \"b=c\"))")]
    [InlineData("--n=3", "(option --\"n\" (int 3))")]
    [InlineData("--n=-3", "(option --\"n\" (int -3))")]
    [InlineData("--f=1.5", "(option --\"f\" (float 1.5))")]
    [InlineData("--f=true", "(option --\"f\" (bool true))")]
    [InlineData("--s=abc", "(option --\"s\" (string None \"abc\"))")]
    [InlineData("--s=$v", "(option --\"s\" (var \"v\" \"$v\"))")]
    [InlineData("--s=$a['k k']", "(option --\"s\" (var \"a\" \"$a['k k']\" (key \"k k\")))")]
    [InlineData("--s=\"a b\"", "(option --\"s\" (string Double \"a b\"))")]
    [InlineData("-x= 5", "(option -\"x\" (int 5))")]
    [InlineData("--name= 'a b'", "(option --\"name\" (string Single \"a b\"))")]
    [InlineData("--name= $v.w", "(option --\"name\" (var \"v\" \"$v.w\" (key \"w\")))")]
    [InlineData("--name= \"${v}\"", "(option --\"name\" (interp Double \"${v}\" (var \"v\" \"$v\")))")]
    [InlineData("-x= -5", "(option -\"x\" (int -5))")]
    public void Options_are_typed_like_cog(string word, string expected) =>
        Assert.Equal(expected, Parsing.Arguments("echo " + word));

    [Fact]
    public void An_option_taking_the_next_argument_spans_both()
    {
        var stage = Parsing.Succeeds("echo -x= 5 y").Stages[0];
        Assert.Equal(2, stage.Arguments.Length);
        Assert.Equal((5, 5), (stage.Arguments[0].Span.Start.Offset, stage.Arguments[0].Span.Length));
    }

    [Theory]
    [InlineData("echo -x=", "Missing value for option 'x'", 1, 6)]
    [InlineData("echo --name= | sort", "Missing value for option 'name'", 1, 6)]
    [InlineData("echo --name= > #room", "Missing value for option 'name'", 1, 6)]
    [InlineData("echo --name= --other", "Missing value for option 'name'", 1, 6)]
    public void An_option_ending_with_equals_needs_a_next_argument(string text, string message, int line, int column) =>
        Parsing.FailsWith(text, message, line, column);

    [Theory]
    [InlineData("-abc", "syntax error before: \"bc\"", 8)]
    [InlineData("-", "illegal characters \"-\"", 6)]
    [InlineData("--", "illegal characters \"--\"", 6)]
    [InlineData("--$flag", "illegal characters \"--$\"", 6)]
    [InlineData("-$x", "illegal characters \"-$\"", 6)]
    [InlineData("-\U0001F600", "illegal characters \"-\U0001F600\"", 6)]
    [InlineData("=x", "syntax error before: \"=\"", 6)]
    [InlineData("=", "syntax error before: \"=\"", 6)]
    [InlineData("-5a", "syntax error before: \"a\"", 8)]
    [InlineData("-5.5.5", "syntax error before: \".5\"", 10)]
    [InlineData("-a-", "illegal characters \"-\"", 8)]
    [InlineData("-ab-", "syntax error before: \"b-\"", 8)]
    [InlineData("-x-y", "syntax error before: \"-y\"", 8)]
    [InlineData("--a.b", "syntax error before: \".b\"", 9)]
    [InlineData("--a==b", "syntax error before: \"=\"", 10)]
    [InlineData("--s=-x", "syntax error before: \"-x\"", 10)]
    [InlineData("--s=-", "illegal characters \"-\"", 10)]
    [InlineData("--n=3x", "string", 0)]
    [InlineData("-x=-3x", "syntax error before: \"x\"", 11)]
    [InlineData("$", "illegal characters \"$\"", 6)]
    [InlineData("$1", "illegal characters \"$1\"", 6)]
    [InlineData("$x.0", "syntax error before: \"0\"", 9)]
    [InlineData("$x%", "syntax error before: \"%\"", 8)]
    [InlineData("--s=$1", "illegal characters \"$1\"", 10)]
    [InlineData("99999999999999999999", "Integer '99999999999999999999' is out of range.", 6)]
    [InlineData("-9223372036854775809", "Integer '-9223372036854775809' is out of range.", 6)]
    [InlineData("--n=9223372036854775808", "Integer '9223372036854775808' is out of range.", 10)]
    [InlineData("$a[$i]", "Variables cannot be used as an index or key ('$a[$i]'); use a literal index such as [0] or a key such as ['name'].", 8)]
    public void Malformed_words_are_reported_with_cogs_messages(string word, string message, int column)
    {
        if (message == "string")
        {
            // `3x` is text, so the option's value is the string "3x" (not an error).
            Assert.Equal("(option --\"n\" (string None \"3x\"))", Parsing.Arguments("echo " + word));
            return;
        }
        Parsing.FailsWith("echo " + word, message, 1, column);
    }

    [Fact]
    public void A_float_too_large_for_a_double_is_reported()
    {
        var digits = new string('9', 400) + ".5";
        Parsing.FailsWith("echo " + digits, $"Float '{digits}' is out of range.", 1, 6);
    }

    [Theory]
    [InlineData("\"foo bar\"", "(string Double \"foo bar\")")]
    [InlineData("'foo bar'", "(string Single \"foo bar\")")]
    [InlineData("\"123\"", "(string Double \"123\")")]
    [InlineData("'true'", "(string Single \"true\")")]
    [InlineData("\"-x\"", "(string Double \"-x\")")]
    [InlineData("\"it's\"", "(string Double \"it's\")")]
    [InlineData("'say \"hi\"'", "(string Single \"say \\\"hi\\\"\")")]
    [InlineData("\"a\\qb\"", "(string Double \"a\\\\qb\")")]
    [InlineData("\"$name\"", "(string Double \"$name\")")]
    [InlineData("'$a.b'", "(string Single \"$a.b\")")]
    [InlineData("\"\\${x}\"", "(string Double \"\\\\${x}\")")]
    [InlineData("\"$\"", "(string Double \"$\")")]
    [InlineData("\"a{b}\"", "(string Double \"a{b}\")")]
    public void Quoted_words_are_always_strings(string word, string expected) =>
        Assert.Equal(expected, Parsing.Arguments("echo " + word));

    [Theory]
    [InlineData("\"a\\\"b\"", "a\"b")]
    [InlineData("'a\\'b'", "a'b")]
    [InlineData("\"a\\'b\"", "a'b")]
    [InlineData("\"a\\\\b\"", "a\\b")]
    [InlineData("\"a\\\\\"", "a\\")]
    [InlineData("\"a\\nb\"", "a\\nb")]
    [InlineData("\"C:\\temp\"", "C:\\temp")]
    public void L3_backslash_quote_and_backslash_backslash_are_escapes_other_backslashes_are_kept(string word, string text) =>
        Assert.Equal(text, Assert.IsType<Cog.Language.Pipelines.StringArgument>(Parsing.Succeeds("echo " + word).Stages[0].Arguments[0]).Text);

    [Theory]
    [InlineData("\"\"", "(string Double \"\")")]
    [InlineData("''", "(string Single \"\")")]
    [InlineData("\"\" x ''", "(string Double \"\") (string None \"x\") (string Single \"\")")]
    public void L4_empty_quotes_are_empty_string_arguments(string words, string expected) =>
        Assert.Equal(expected, Parsing.Arguments("echo " + words));

    [Theory]
    [InlineData("\"${x}\"", "(interp Double \"${x}\" (var \"x\" \"$x\"))")]
    [InlineData("'a ${x.y[0]} b'", "(interp Single \"a ${x.y[0]} b\" (text \"a \") (var \"x\" \"$x.y[0]\" (key \"y\") (index 0)) (text \" b\"))")]
    [InlineData("\"${a}${b}\"", "(interp Double \"${a}${b}\" (var \"a\" \"$a\") (var \"b\" \"$b\"))")]
    [InlineData("\"${a['k k']}!\"", "(interp Double \"${a['k k']}!\" (var \"a\" \"$a['k k']\" (key \"k k\")) (text \"!\"))")]
    [InlineData("'${a[\"}\"]}'", "(interp Single \"${a[\\\"}\\\"]}\" (var \"a\" \"$a[\\\"}\\\"]\" (key \"}\")))")]
    [InlineData("\"\\\\${x}\"", "(interp Double \"\\\\\\\\${x}\" (text \"\\\\\") (var \"x\" \"$x\"))")]
    [InlineData("\"\\\"${x}\\\"\"", "(interp Double \"\\\\\\\"${x}\\\\\\\"\" (text \"\\\"\") (var \"x\" \"$x\") (text \"\\\"\"))")]
    [InlineData("\"$${x}\"", "(interp Double \"$${x}\" (text \"$\") (var \"x\" \"$x\"))")]
    [InlineData("\"\\${x} ${y}\"", "(interp Double \"\\\\${x} ${y}\" (text \"\\\\${x} \") (var \"y\" \"$y\"))")]
    public void Quoted_words_interpolate_variables_in_braces(string word, string expected) =>
        Assert.Equal(expected, Parsing.Arguments("echo " + word));

    [Theory]
    [InlineData("\"${x\"", "Missing closing brace: ${x", 7)]
    [InlineData("'a ${x.y'", "Missing closing brace: ${x.y", 9)]
    [InlineData("\"${}\"", "illegal characters \"$\"", 9)]
    [InlineData("\"${1}\"", "illegal characters \"$1\"", 9)]
    [InlineData("\"${a b}\"", "syntax error before: \" b\"", 10)]
    [InlineData("\"${a.0}\"", "syntax error before: \"0\"", 11)]
    [InlineData("\"${a[$i]}\"", "Variables cannot be used as an index or key ('$a[$i]'); use a literal index such as [0] or a key such as ['name'].", 10)]
    public void Malformed_interpolations_are_reported(string word, string message, int column) =>
        Parsing.FailsWith("echo " + word, message, 1, column);
}
