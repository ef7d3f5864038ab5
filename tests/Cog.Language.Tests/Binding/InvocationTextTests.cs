using System.Collections.Immutable;
using Cog.Language.Binding;
using Cog.Language.Values;
using static Cog.Language.Tests.Binding.ArgumentBuilder;

namespace Cog.Language.Tests.Binding;

public class InvocationTextTests
{
    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("#room", "#room")]
    [InlineData("a=b", "a=b")]
    [InlineData("c:d", "c:d")]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("a$b", "a$b")]
    [InlineData("", "\"\"")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("tab\there", "\"tab\there\"")]
    [InlineData("5", "\"5\"")]
    [InlineData("007", "\"007\"")]
    [InlineData("2.5", "\"2.5\"")]
    [InlineData("-5", "\"-5\"")]
    [InlineData("true", "\"true\"")]
    [InlineData("false", "\"false\"")]
    [InlineData("-x", "\"-x\"")]
    [InlineData("--name", "\"--name\"")]
    [InlineData("$var", "\"$var\"")]
    [InlineData("=x", "\"=x\"")]
    [InlineData(".bar", "\".bar\"")]
    [InlineData("[0]", "\"[0]\"")]
    [InlineData("|", "\"|\"")]
    [InlineData("&&", "\"&&\"")]
    [InlineData(">", "\">\"")]
    [InlineData("*>", "\"*>\"")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    public void Strings_are_quoted_when_they_would_read_differently(string text, string expected)
    {
        Assert.Equal("b:cmd " + expected, InvocationText.Format("b:cmd", Bound(Pos(text))));
    }

    [Theory]
    [InlineData("5", "5")]
    [InlineData("-3", "-3")]
    [InlineData("2.5", "2.5")]
    [InlineData("2.0", "2.0")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("[1, \"a b\", null]", "[1,\"a b\",null]")]
    [InlineData("{ \"a\": { \"b\": [true] } }", "{\"a\":{\"b\":[true]}}")]
    public void Other_values_print_as_literals_or_compact_json(string json, string expected)
    {
        Assert.Equal("b:cmd " + expected, InvocationText.Format("b:cmd", Bound(Pos(Json(json)))));
    }

    [Fact]
    public void Options_print_with_their_dashes_and_values()
    {
        var arguments = Bound(
            LongOpt("verbose"),
            ShortOpt("v"),
            LongOpt("count", new IntValue(3)),
            ShortOpt("n", new StringValue("a b")),
            LongOpt("tags", Json("[\"x\",\"y\"]")),
            LongOpt("region", new StringValue("5")));

        Assert.Equal(
            "b:cmd --verbose -v --count=3 -n=\"a b\" --tags=[\"x\",\"y\"] --region=\"5\"",
            InvocationText.Format("b:cmd", arguments));
    }

    [Fact]
    public void Invocation_prints_the_command_and_its_arguments_in_order()
    {
        var arguments = Bound(Pos("hello world"), LongOpt("opt", new StringValue("value")), Pos(42));

        Assert.Equal("operable:echo \"hello world\" --opt=value 42", InvocationText.Format("operable:echo", arguments));
    }

    [Fact]
    public void Invocation_without_arguments_is_the_command_name()
    {
        Assert.Equal("operable:help", InvocationText.Format("operable:help", []));
        Assert.Equal("operable:help", InvocationText.Format("operable:help", default(ImmutableArray<BoundArgument>)));
    }

    [Fact]
    public void Bound_argument_prints_as_in_the_invocation_text()
    {
        Assert.Equal("--name=\"a b\"", LongOpt("name", new StringValue("a b")).ToString());
        Assert.Equal("12", Pos(12).ToString());
    }
}
