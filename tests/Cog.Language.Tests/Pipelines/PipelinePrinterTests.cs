using Cog.Language.Pipelines;
using Cog.Language.Text;

namespace Cog.Language.Tests.Pipelines;

public class PipelinePrinterTests
{
    static readonly SourceSpan NoSpan = default;

    [Theory]
    [InlineData("echo foo", "echo foo")]
    [InlineData("  echo   foo\t|\nsort  ", "echo foo | sort")]
    [InlineData("a && b", "a && b")]
    [InlineData("operable:echo 007 -0 1.50 true", "operable:echo 7 0 1.5 true")]
    [InlineData(":shipit: x", ":shipit: x")]
    [InlineData("echo --n=3 \"foo bar\" $x[0] | seed 'a b' -v | sort --desc > #ops", "echo --n=3 \"foo bar\" $x[0] | seed 'a b' -v | sort --desc > #ops")]
    [InlineData("echo -x= 5 --name= 'a b'", "echo -x=5 --name='a b'")]
    [InlineData("echo --s=$a['k k'] $b.'x y'", "echo --s=$a['k k'] $b.'x y'")]
    [InlineData("echo \"a\\\"b\" 'c\\'d' \"e\\\\\"", "echo \"a\\\"b\" 'c\\'d' \"e\\\\\"")]
    [InlineData("echo \"a\\qb\"", "echo \"a\\\\qb\"")]
    [InlineData("echo \"\" ''", "echo \"\" ''")]
    [InlineData("echo \"${a}-${b.c}\" '\\${x}'", "echo \"${a}-${b.c}\" '\\${x}'")]
    [InlineData("echo x *> #a '#b c' \"d\"", "echo x *> #a '#b c' \"d\"")]
    [InlineData("echo foo.'a b' > x.'y z'", "echo foo.'a b' > x.'y z'")]
    public void Printed_pipelines_are_canonical(string text, string printed) =>
        Assert.Equal(printed, PipelinePrinter.Print(Parsing.Succeeds(text)));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData("123", "\"123\"")]
    [InlineData("-5", "\"-5\"")]
    [InlineData("1.5", "\"1.5\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("false", "\"false\"")]
    [InlineData("-x", "\"-x\"")]
    [InlineData("--long", "\"--long\"")]
    [InlineData("=x", "\"=x\"")]
    [InlineData("$x", "\"$x\"")]
    [InlineData("|", "\"|\"")]
    [InlineData("&&", "\"&&\"")]
    [InlineData(">", "\">\"")]
    [InlineData("*>", "\"*>\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("a\\b", "a\\b")]
    [InlineData("a|b", "a|b")]
    [InlineData(">>", ">>")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("TRUE", "TRUE")]
    [InlineData("a=b", "a=b")]
    [InlineData("foo$bar", "foo$bar")]
    [InlineData("a${b}", "a${b}")]
    public void Unquoted_strings_are_quoted_when_they_would_not_read_back(string text, string printed)
    {
        Assert.Equal(printed, PipelinePrinter.Print(new StringArgument(text, QuoteKind.None, NoSpan)));
        var reread = Parsing.Succeeds("echo " + printed).Stages[0].Arguments[0];
        Assert.Equal(text, Assert.IsType<StringArgument>(reread).Text);
    }

    [Theory]
    [InlineData("a\"b", QuoteKind.Double, "\"a\\\"b\"")]
    [InlineData("a'b", QuoteKind.Double, "\"a'b\"")]
    [InlineData("a'b", QuoteKind.Single, "'a\\'b'")]
    [InlineData("a\\b", QuoteKind.Single, "'a\\\\b'")]
    [InlineData("\\${x}", QuoteKind.Double, "\"\\${x}\"")]
    [InlineData("\\\\${x}", QuoteKind.Double, "\"\\\\\\${x}\"")]
    [InlineData("a\nb", QuoteKind.Double, "\"a\nb\"")]
    public void Quoted_strings_keep_their_quotes_and_escape_them(string text, QuoteKind quote, string printed)
    {
        Assert.Equal(printed, PipelinePrinter.Print(new StringArgument(text, quote, NoSpan)));
        var reread = Assert.IsType<StringArgument>(Parsing.Succeeds("echo " + printed).Stages[0].Arguments[0]);
        Assert.Equal((text, quote), (reread.Text, reread.Quote));
    }

    [Theory]
    [InlineData(1e20, "100000000000000000000.0")]
    [InlineData(1.5e-5, "0.000015")]
    [InlineData(-1.25e-7, "-0.000000125")]
    [InlineData(5.0, "5.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(123.456, "123.456")]
    public void Floats_are_printed_as_plain_decimals_that_read_back_exactly(double number, string printed)
    {
        Assert.Equal(printed, PipelinePrinter.Print(new FloatArgument(number, NoSpan)));
        var reread = Assert.IsType<FloatArgument>(Parsing.Succeeds("echo " + printed).Stages[0].Arguments[0]);
        Assert.Equal(BitConverter.DoubleToInt64Bits(number), BitConverter.DoubleToInt64Bits(reread.Number));
    }

    [Fact]
    public void Extreme_floats_are_printed_with_all_their_digits()
    {
        Assert.Equal("17976931348623157" + new string('0', 292) + ".0", PipelinePrinter.Print(new FloatArgument(double.MaxValue, NoSpan)));
        Assert.Equal("0." + new string('0', 323) + "5", PipelinePrinter.Print(new FloatArgument(double.Epsilon, NoSpan)));
        Assert.Equal(double.MaxValue, Assert.IsType<FloatArgument>(Parsing.Succeeds("echo " + PipelinePrinter.Print(new FloatArgument(double.MaxValue, NoSpan))).Stages[0].Arguments[0]).Number);
        Assert.Equal(double.Epsilon, Assert.IsType<FloatArgument>(Parsing.Succeeds("echo " + PipelinePrinter.Print(new FloatArgument(double.Epsilon, NoSpan))).Stages[0].Arguments[0]).Number);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Floats_without_a_literal_cannot_be_printed(double number) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelinePrinter.Print(new FloatArgument(number, NoSpan)));

    [Theory]
    [InlineData("abc", "--s=abc")]
    [InlineData("a b", "--s=\"a b\"")]
    [InlineData("-x", "--s=\"-x\"")]
    [InlineData("=x", "--s=\"=x\"")]
    [InlineData("b=c", "--s=b=c")]
    [InlineData("3", "--s=\"3\"")]
    public void Option_values_are_written_after_the_equals_sign(string value, string printed)
    {
        var option = new OptionArgument("s", true, new StringArgument(value, QuoteKind.None, NoSpan), NoSpan);
        Assert.Equal(printed, PipelinePrinter.Print(option));
        var reread = Assert.IsType<OptionArgument>(Parsing.Succeeds("echo " + printed).Stages[0].Arguments[0]);
        Assert.Equal(value, Assert.IsType<StringArgument>(reread.Value).Text);
    }

    [Theory]
    [InlineData("#my room", "\"#my room\"")]
    [InlineData("|", "\"|\"")]
    [InlineData("", "\"\"")]
    [InlineData("#ops", "#ops")]
    [InlineData("$room", "$room")]
    public void Unquoted_redirect_targets_are_quoted_when_needed(string target, string printed)
    {
        var pipeline = new PipelineSyntax(
            [new StageSyntax(StageJoin.None, new CommandNameSyntax(null, "echo", NoSpan), [], NoSpan)],
            new RedirectSyntax(false, [new RedirectTarget(target, QuoteKind.None, NoSpan)], NoSpan),
            NoSpan);
        Assert.Equal("echo > " + printed, PipelinePrinter.Print(pipeline));
        Assert.Equal(target, Parsing.Succeeds("echo > " + printed).Redirect!.Targets[0].Text);
    }

    [Fact]
    public void Interpolation_bodies_are_built_from_their_parts()
    {
        var variable = VariableSyntaxParser.Parse("$a['k\"']").Value;
        var body = PipelinePrinter.InterpolationBody([new TextPart("x\\"), new VariablePart(variable), new TextPart("\"")], QuoteKind.Double);
        Assert.Equal("x\\\\${a['k\"']}\\\"", body);
    }
}
