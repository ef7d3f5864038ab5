using System.Collections.Immutable;
using Cog.Language.Binding;
using Cog.Language.Options;
using Cog.Language.Text;
using Cog.Language.Values;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Cog.Language.Tests.Binding.ArgumentBuilder;

namespace Cog.Language.Tests.Options;

public class OptionInterpreterTests
{
    const string Command = "b:cmd";

    static readonly OptionDefinition[] Definitions =
    [
        new("bar", OptionType.String, ShortFlag: "b"),
        new("count", OptionType.Int, ShortFlag: "c"),
        new("ratio", OptionType.Float),
        new("force", OptionType.Bool, ShortFlag: "f"),
        new("verbose", OptionType.Incr, ShortFlag: "v"),
        new("tags", OptionType.List, ShortFlag: "t"),
    ];

    static CommandInput Interpret(params BoundArgument[] arguments) => Interpret(Definitions, arguments);

    static CommandInput Interpret(OptionDefinition[] definitions, params BoundArgument[] arguments)
    {
        var result = OptionInterpreter.Interpret(Command, [.. arguments], definitions);
        Assert.True(result.Succeeded, result.Error?.ToString());
        return result.Value;
    }

    static LanguageError Fail(params BoundArgument[] arguments) => Fail(Definitions, arguments);

    static LanguageError Fail(OptionDefinition[] definitions, params BoundArgument[] arguments)
    {
        var result = OptionInterpreter.Interpret(Command, [.. arguments], definitions);
        Assert.False(result.Succeeded);
        return result.Error;
    }

    static OptionDefinition[] One(OptionType type, bool required = false) => [new("opt", type, required)];

    [Fact]
    public void Positional_arguments_are_kept_in_order()
    {
        var input = Interpret(Pos("a"), LongOpt("count", new IntValue(1)), Pos(2), Pos(Json("{\"k\":1}")));

        Assert.Equal([new StringValue("a"), new IntValue(2), Json("{\"k\":1}")], input.Arguments);
    }

    [Fact]
    public void Options_are_keyed_by_long_name_whether_written_long_or_short()
    {
        var input = Interpret(LongOpt("bar", new StringValue("x")), ShortOpt("c", new IntValue(2)));

        Assert.Equal(new StringValue("x"), input.Options["bar"]);
        Assert.Equal(new IntValue(2), input.Options["count"]);
    }

    [Fact]
    public void Long_names_and_short_flags_share_one_namespace_as_in_cog()
    {
        var input = Interpret([new("n", OptionType.Int), new("verbose", OptionType.Incr, ShortFlag: "v")], ShortOpt("n", new IntValue(4)), LongOpt("v"));

        Assert.Equal(new IntValue(4), input.Options["n"]);
        Assert.Equal(new IntValue(1), input.Options["verbose"]);
    }

    [Fact]
    public void L8_unknown_option_is_an_error_naming_the_option_and_command_with_known_options()
    {
        var error = Fail(Pos("x"), LongOpt("foo", at: 9));

        Assert.Equal(
            "Unknown option '--foo' for command 'b:cmd'. Known options: --bar (-b), --count (-c), --force (-f), --ratio, --tags (-t), --verbose (-v).",
            error.Message);
        Assert.Equal(At(9), error.Position);
    }

    [Fact]
    public void L8_unknown_option_for_a_command_without_options_says_it_takes_none()
    {
        Assert.Equal("Unknown option '-x' for command 'b:cmd'. It takes no options.", Fail([], ShortOpt("x")).Message);
    }

    [Theory]
    [InlineData("Bar", true, "--Bar")]
    [InlineData("B", false, "-B")]
    [InlineData("barr", true, "--barr")]
    [InlineData("x", false, "-x")]
    public void L8_option_names_are_case_sensitive_and_unknown_ones_are_reported_as_written(string name, bool isLong, string written)
    {
        var error = Fail(BoundArgument.Option(name, isLong, new StringValue("v"), Span(0)));

        Assert.StartsWith($"Unknown option '{written}' for command 'b:cmd'. Known options: --bar (-b), ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bool_flag_without_value_is_true_and_does_not_consume_the_next_argument()
    {
        var input = Interpret(LongOpt("force"), Pos("false"));

        Assert.Equal(BoolValue.True, input.Options["force"]);
        Assert.Equal([new StringValue("false")], input.Arguments);
    }

    [Fact]
    public void Incr_flag_without_value_adds_one_and_does_not_consume_a_following_integer()
    {
        var input = Interpret(LongOpt("verbose"), Pos(2));

        Assert.Equal(new IntValue(1), input.Options["verbose"]);
        Assert.Equal([new IntValue(2)], input.Arguments);
    }

    [Fact]
    public void Incr_repeats_sum_their_values()
    {
        var input = Interpret(ShortOpt("v"), LongOpt("verbose"), LongOpt("verbose", new IntValue(3)), ShortOpt("v", new StringValue("-1")));

        Assert.Equal(new IntValue(4), input.Options["verbose"]);
    }

    [Theory]
    [InlineData(OptionType.Int, "3", "3")]
    [InlineData(OptionType.String, "\"eu\"", "\"eu\"")]
    [InlineData(OptionType.Float, "2", "2.0")]
    [InlineData(OptionType.List, "\"a,b\"", "[\"a\",\"b\"]")]
    public void Other_types_without_value_consume_the_next_argument(OptionType type, string next, string expected)
    {
        var input = Interpret(One(type), LongOpt("opt"), Pos(Json(next)), Pos("rest"));

        Assert.Equal(Json(expected), input.Options["opt"]);
        Assert.Equal([new StringValue("rest")], input.Arguments);
    }

    [Theory]
    [InlineData(OptionType.Int)]
    [InlineData(OptionType.Float)]
    [InlineData(OptionType.String)]
    [InlineData(OptionType.List)]
    public void Option_followed_by_another_option_has_no_value(OptionType type)
    {
        var error = Fail([.. One(type), new("force", OptionType.Bool)], LongOpt("opt", at: 4), LongOpt("force", at: 10));

        Assert.Equal("No value supplied!", error.Message);
        Assert.Equal(At(4), error.Position);
    }

    [Theory]
    [InlineData(OptionType.Int)]
    [InlineData(OptionType.Float)]
    [InlineData(OptionType.String)]
    [InlineData(OptionType.List)]
    public void Option_at_the_end_without_value_is_unexpected_end_of_input(OptionType type)
    {
        var error = Fail(One(type), Pos("a"), LongOpt("opt", at: 6));

        Assert.Equal("Unexpected end of input.", error.Message);
        Assert.Equal(At(6), error.Position);
    }

    [Theory]
    // int: integers and strings that are wholly an integer
    [InlineData(OptionType.Int, "3", "3")]
    [InlineData(OptionType.Int, "-3", "-3")]
    [InlineData(OptionType.Int, "\"42\"", "42")]
    [InlineData(OptionType.Int, "\"-7\"", "-7")]
    [InlineData(OptionType.Int, "\"+7\"", "7")]
    [InlineData(OptionType.Int, "\"007\"", "7")]
    // float: floats, integers, strings that are wholly a number
    [InlineData(OptionType.Float, "2.5", "2.5")]
    [InlineData(OptionType.Float, "3", "3.0")]
    [InlineData(OptionType.Float, "\"2.5\"", "2.5")]
    [InlineData(OptionType.Float, "\"-0.5\"", "-0.5")]
    [InlineData(OptionType.Float, "\"4\"", "4.0")]
    [InlineData(OptionType.Float, "\"1e3\"", "1000.0")]
    [InlineData(OptionType.Float, "\"1.5E-1\"", "0.15")]
    // bool: booleans, integers (> 0), the known words
    [InlineData(OptionType.Bool, "true", "true")]
    [InlineData(OptionType.Bool, "false", "false")]
    [InlineData(OptionType.Bool, "1", "true")]
    [InlineData(OptionType.Bool, "5", "true")]
    [InlineData(OptionType.Bool, "0", "false")]
    [InlineData(OptionType.Bool, "-1", "false")]
    [InlineData(OptionType.Bool, "\"true\"", "true")]
    [InlineData(OptionType.Bool, "\"t\"", "true")]
    [InlineData(OptionType.Bool, "\"y\"", "true")]
    [InlineData(OptionType.Bool, "\"yes\"", "true")]
    [InlineData(OptionType.Bool, "\"on\"", "true")]
    [InlineData(OptionType.Bool, "\"false\"", "false")]
    [InlineData(OptionType.Bool, "\"f\"", "false")]
    [InlineData(OptionType.Bool, "\"n\"", "false")]
    [InlineData(OptionType.Bool, "\"no\"", "false")]
    [InlineData(OptionType.Bool, "\"off\"", "false")]
    // string: strings (numbers and booleans: see L9)
    [InlineData(OptionType.String, "\"us-east-1\"", "\"us-east-1\"")]
    [InlineData(OptionType.String, "\"\"", "\"\"")]
    // incr: integers
    [InlineData(OptionType.Incr, "2", "2")]
    [InlineData(OptionType.Incr, "\"3\"", "3")]
    // list: a list value, or a string split on unescaped commas
    [InlineData(OptionType.List, "[\"a\",1]", "[\"a\",1]")]
    [InlineData(OptionType.List, "\"a,b\"", "[\"a\",\"b\"]")]
    [InlineData(OptionType.List, "\"a\\\\,b,c\"", "[\"a,b\",\"c\"]")]
    [InlineData(OptionType.List, "\"a,,b,\"", "[\"a\",\"b\"]")]
    [InlineData(OptionType.List, "\"single\"", "[\"single\"]")]
    [InlineData(OptionType.List, "\"x\\\\y\"", "[\"x\\\\y\"]")]
    public void Option_values_are_coerced_to_the_option_type(OptionType type, string given, string expected)
    {
        var input = Interpret(One(type), LongOpt("opt", Json(given)));

        Assert.Equal(Json(expected), input.Options["opt"]);
    }

    [Theory]
    [InlineData(OptionType.Int, "3.5", "Type Error: `3.5` is not of type `int`")]
    [InlineData(OptionType.Int, "\"3.5\"", "Type Error: `\"3.5\"` is not of type `int`")]
    [InlineData(OptionType.Int, "\"abc\"", "Type Error: `\"abc\"` is not of type `int`")]
    [InlineData(OptionType.Int, "\"12abc\"", "Type Error: `\"12abc\"` is not of type `int`")]
    [InlineData(OptionType.Int, "\"99999999999999999999\"", "Type Error: `\"99999999999999999999\"` is not of type `int`")]
    [InlineData(OptionType.Int, "true", "Type Error: `true` is not of type `int`")]
    [InlineData(OptionType.Int, "[1]", "Type Error: `[1]` is not of type `int`")]
    [InlineData(OptionType.Float, "\"abc\"", "Type Error: `\"abc\"` is not of type `float`")]
    [InlineData(OptionType.Float, "\".5\"", "Type Error: `\".5\"` is not of type `float`")]
    [InlineData(OptionType.Float, "\"1.\"", "Type Error: `\"1.\"` is not of type `float`")]
    [InlineData(OptionType.Float, "\"1e999\"", "Type Error: `\"1e999\"` is not of type `float`")]
    [InlineData(OptionType.Float, "\"NaN\"", "Type Error: `\"NaN\"` is not of type `float`")]
    [InlineData(OptionType.Float, "false", "Type Error: `false` is not of type `float`")]
    [InlineData(OptionType.Bool, "2.5", "Type Error: `2.5` is not of type `bool`")]
    [InlineData(OptionType.Bool, "{\"a\":1}", "Type Error: `{\"a\":1}` is not of type `bool`")]
    [InlineData(OptionType.String, "[\"a\"]", "Type Error: `[\"a\"]` is not of type `string`")]
    [InlineData(OptionType.String, "{}", "Type Error: `{}` is not of type `string`")]
    [InlineData(OptionType.Incr, "2.5", "Type Error: `2.5` is not of type `incr`")]
    [InlineData(OptionType.Incr, "\"x\"", "Type Error: `\"x\"` is not of type `incr`")]
    [InlineData(OptionType.Incr, "true", "Type Error: `true` is not of type `incr`")]
    [InlineData(OptionType.List, "5", "Type Error: `5` is not of type `list`")]
    [InlineData(OptionType.List, "{}", "Type Error: `{}` is not of type `list`")]
    [InlineData(OptionType.Int, "\"say \\\"hi\\\"\"", "Type Error: `\"say \\\"hi\\\"\"` is not of type `int`")]
    public void Values_of_the_wrong_type_are_type_errors(OptionType type, string given, string message)
    {
        var error = Fail(One(type), Pos("a"), LongOpt("opt", Json(given), at: 2));

        Assert.Equal(message, error.Message);
        Assert.Equal(At(2), error.Position);
    }

    [Fact]
    public void Type_error_in_a_consumed_argument_is_reported_at_that_argument()
    {
        var error = Fail(LongOpt("count", at: 0), Pos("many", at: 8));

        Assert.Equal("Type Error: `\"many\"` is not of type `int`", error.Message);
        Assert.Equal(At(8), error.Position);
    }

    [Theory]
    [InlineData("5", "5")]
    [InlineData("-5", "-5")]
    [InlineData("2.5", "2.5")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    public void L9_number_or_boolean_given_to_a_string_option_becomes_its_text(string given, string expected)
    {
        var input = Interpret(LongOpt("bar", Json(given)));

        Assert.Equal(new StringValue(expected), input.Options["bar"]);
    }

    [Theory]
    [InlineData("\"2.5abc\"")]
    [InlineData("\"3 apples\"")]
    [InlineData("\"1e\"")]
    [InlineData("\" 2.5\"")]
    public void L10_float_option_rejects_a_numeric_prefix(string given)
    {
        var error = Fail(LongOpt("ratio", Json(given)));

        Assert.Equal($"Type Error: `{given}` is not of type `float`", error.Message);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("TRUE")]
    [InlineData("Yes")]
    [InlineData("1")]
    [InlineData("")]
    public void L10_bool_option_rejects_unknown_words(string given)
    {
        var error = Fail(LongOpt("force", new StringValue(given)));

        Assert.Equal($"Type Error: `\"{given}\"` is not of type `bool`", error.Message);
    }

    [Fact]
    public void List_repeats_concatenate()
    {
        var input = Interpret(LongOpt("tags", new StringValue("a,b")), ShortOpt("t", Json("[1]")), LongOpt("tags"), Pos("c"));

        Assert.Equal(Json("[\"a\",\"b\",1,\"c\"]"), input.Options["tags"]);
    }

    [Theory]
    [InlineData("bar", "\"one\"", "\"two\"")]
    [InlineData("count", "1", "2")]
    [InlineData("ratio", "1.5", "2.5")]
    [InlineData("force", "true", "false")]
    public void Other_repeats_keep_the_last_value(string name, string first, string last)
    {
        var input = Interpret(LongOpt(name, Json(first)), LongOpt(name, Json(last)));

        Assert.Equal(Json(last), input.Options[name]);
    }

    [Fact]
    public void Missing_required_options_are_listed_by_name()
    {
        OptionDefinition[] definitions = [new("b", OptionType.String, Required: true), new("c", OptionType.Int), new("a", OptionType.Bool, Required: true)];

        var result = OptionInterpreter.Interpret(OptionTable.Create(Command, definitions), Bound(LongOpt("c", new IntValue(1))), At(3));

        Assert.False(result.Succeeded);
        Assert.Equal("Looks like you forgot to include some required options: 'a, b'", result.Error.Message);
        Assert.Equal(At(3), result.Error.Position);
    }

    [Fact]
    public void Required_option_given_by_short_flag_is_present()
    {
        var input = Interpret([new("region", OptionType.String, Required: true, ShortFlag: "r")], ShortOpt("r", new StringValue("eu")));

        Assert.Equal(new StringValue("eu"), input.Options["region"]);
    }

    [Fact]
    public void Absent_incr_options_are_zero_and_other_absent_options_are_left_out()
    {
        var input = Interpret(Pos("x"));

        Assert.Equal(new IntValue(0), input.Options["verbose"]);
        Assert.Single(input.Options);
    }

    [Fact]
    public void Table_built_once_gives_the_same_result_for_every_item()
    {
        var table = OptionTable.Create(Command, Definitions);
        ImmutableArray<BoundArgument>[] items =
        [
            Bound(LongOpt("count", new IntValue(1)), Pos("a")),
            Bound(LongOpt("count", new IntValue(2)), Pos("b")),
        ];

        var counts = items.Select(a => OptionInterpreter.Interpret(table, a).Value.Options["count"]);

        Assert.Equal([new IntValue(1), new IntValue(2)], counts);
        Assert.Equal(Command, table.CommandName);
        Assert.Equal(Definitions.Length, table.Definitions.Length);
    }

    [Fact]
    public void No_arguments_and_no_options_give_empty_input()
    {
        var input = Interpret([], []);

        Assert.Empty(input.Arguments);
        Assert.Empty(input.Options);
    }

    [Property]
    public Property List_items_joined_with_escaped_commas_split_back_into_the_same_items()
    {
        var item = ArbMap.Default.GeneratorFor<NonEmptyString>()
            .Select(s => s.Get.Replace("\\", "", StringComparison.Ordinal))
            .Where(s => s.Length > 0);
        return Prop.ForAll(
            item.NonEmptyListOf().ToArbitrary(),
            items =>
            {
                var joined = string.Join(",", items.Select(i => i.Replace(",", "\\,", StringComparison.Ordinal)));
                var expected = new ListValue([.. items.Select(i => (Value)new StringValue(i))]);
                return expected.Equals(OptionInterpreter.Coerce(OptionType.List, new StringValue(joined)));
            });
    }
}
