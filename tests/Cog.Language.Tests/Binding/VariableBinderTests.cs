using Cog.Language.Binding;
using Cog.Language.Pipelines;
using Cog.Language.Values;
using static Cog.Language.Tests.Binding.ArgumentBuilder;

namespace Cog.Language.Tests.Binding;

public class VariableBinderTests
{
    static readonly Value Empty = Json("{}");

    static Value BindOne(ArgumentSyntax argument, string item)
    {
        var result = VariableBinder.Bind(Args(argument), Json(item));
        Assert.True(result.Succeeded, result.Error?.ToString());
        var bound = Assert.Single(result.Value);
        Assert.False(bound.IsOption);
        return bound.Value!;
    }

    static string BindError(ArgumentSyntax argument, string item)
    {
        var result = VariableBinder.Bind(Args(argument), Json(item));
        Assert.False(result.Succeeded);
        return result.Error.Message;
    }

    [Fact]
    public void Literals_become_values_of_their_type()
    {
        var result = VariableBinder.Bind(Args(Str("abc"), Int(-5), Float(2.5), Bool(true), Bool(false)), Empty);

        Assert.True(result.Succeeded);
        Assert.Equal(
            [new StringValue("abc"), new IntValue(-5), new FloatValue(2.5), BoolValue.True, BoolValue.False],
            result.Value.Select(a => a.Value));
    }

    [Fact]
    public void No_arguments_bind_to_nothing()
    {
        var result = VariableBinder.Bind([], Empty);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Value);
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("2.5")]
    [InlineData("true")]
    [InlineData("[1,\"two\",null]")]
    [InlineData("{\"x\":{\"y\":[1]}}")]
    public void Variable_keeps_the_json_type_of_its_value(string json)
    {
        var bound = BindOne(Var("$a"), $"{{\"a\":{json}}}");

        Assert.Equal(Json(json), bound);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("0")]
    [InlineData("\"\"")]
    public void False_zero_and_empty_string_are_valid_values(string json)
    {
        var bound = BindOne(Var("$a"), $"{{\"a\":{json}}}");

        Assert.Equal(Json(json), bound);
    }

    [Theory]
    [InlineData("$a.b[1].c", "{\"a\":{\"b\":[{\"c\":1},{\"c\":2}]}}", "2")]
    [InlineData("$author[user][handle]", "{\"author\":{\"user\":{\"handle\":\"vanstee\"}}}", "\"vanstee\"")]
    [InlineData("$envs[0]['env owners'][1]", "{\"envs\":[{\"env owners\":[\"a\",\"b\"]}]}", "\"b\"")]
    [InlineData("$instance-id", "{\"instance-id\":\"i-123\"}", "\"i-123\"")]
    [InlineData("$a['0']", "{\"a\":{\"0\":\"zero\"}}", "\"zero\"")]
    [InlineData("$a[1]", "{\"a\":[1,null,3]}", null)]
    public void Variable_path_walks_objects_and_lists(string expression, string item, string? expected)
    {
        if (expected is null)
        {
            Assert.Equal("Value at index 1 is null in expression '$a[1]'.", BindError(Var(expression), item));
            return;
        }
        Assert.Equal(Json(expected), BindOne(Var(expression), item));
    }

    [Theory]
    [InlineData("$a", "{}", "Key 'a' not found in expression '$a'.")]
    [InlineData("$a", "{\"a\":null}", "Key 'a' not found in expression '$a'.")]
    [InlineData("$a", "{\"A\":1}", "Key 'a' not found in expression '$a'.")]
    [InlineData("$a.b[0]", "{}", "Key 'a' not found in expression '$a'.")]
    [InlineData("$a[3]", "{\"a\":[1,2,3]}", "Index 3 out of bounds in expression '$a[3]'.")]
    [InlineData("$a[0]", "{\"a\":[]}", "Index 0 out of bounds in expression '$a[0]'.")]
    [InlineData("$a.x", "{\"a\":{\"y\":1}}", "Key 'x' not found in expression '$a.x'.")]
    [InlineData("$a.x", "{\"a\":{\"x\":null}}", "Key 'x' not found in expression '$a.x'.")]
    [InlineData("$a['k k'].z", "{\"a\":{\"k k\":{}}}", "Key 'z' not found in expression '$a['k k'].z'.")]
    public void Missing_values_are_reported_with_the_expression(string expression, string item, string message)
    {
        Assert.Equal(message, BindError(Var(expression), item));
    }

    [Theory]
    [InlineData("$a.x", "{\"a\":[1]}", "Cannot look up key 'x' in a list in expression '$a.x'.")]
    [InlineData("$a[0]", "{\"a\":{\"0\":1}}", "Cannot take index 0 of an object in expression '$a[0]'.")]
    [InlineData("$a.x", "{\"a\":\"text\"}", "Cannot look up key 'x' in a string in expression '$a.x'.")]
    [InlineData("$a[0]", "{\"a\":\"text\"}", "Cannot take index 0 of a string in expression '$a[0]'.")]
    [InlineData("$a.x", "{\"a\":5}", "Cannot look up key 'x' in an integer in expression '$a.x'.")]
    [InlineData("$a[2]", "{\"a\":5.5}", "Cannot take index 2 of a float in expression '$a[2]'.")]
    [InlineData("$a.b.c", "{\"a\":{\"b\":true}}", "Cannot look up key 'c' in a boolean in expression '$a.b.c'.")]
    [InlineData("$a[0].c", "{\"a\":[null]}", "Cannot look up key 'c' in null in expression '$a[0].c'.")]
    public void Accessor_of_the_wrong_kind_is_a_clean_type_error(string expression, string item, string message)
    {
        Assert.Equal(message, BindError(Var(expression), item));
    }

    [Fact]
    public void Variable_is_not_found_when_the_item_is_not_an_object()
    {
        Assert.Equal("Key 'a' not found in expression '$a'.", BindError(Var("$a"), "[{\"a\":1}]"));
    }

    [Fact]
    public void Error_is_reported_at_the_start_of_the_argument()
    {
        var result = VariableBinder.Bind(Args(Str("x", at: 5), Var("$a.b", at: 7)), Json("{\"a\":{}}"));

        Assert.False(result.Succeeded);
        Assert.Equal(At(7), result.Error.Position);
    }

    [Fact]
    public void Error_in_an_option_value_is_reported_at_the_start_of_the_option()
    {
        var result = VariableBinder.Bind(Args(Long("name", Var("$missing", at: 17), at: 10)), Empty);

        Assert.False(result.Succeeded);
        Assert.Equal("Key 'missing' not found in expression '$missing'.", result.Error.Message);
        Assert.Equal(At(10), result.Error.Position);
    }

    [Fact]
    public void Error_in_an_interpolation_is_reported_at_the_start_of_the_string()
    {
        var result = VariableBinder.Bind(Args(Interpolated("at ${a.b}", at: 3)), Json("{\"a\":{}}"));

        Assert.False(result.Succeeded);
        Assert.Equal("Key 'b' not found in expression '$a.b'.", result.Error.Message);
        Assert.Equal(At(3), result.Error.Position);
    }

    [Fact]
    public void Options_keep_name_and_form_and_bind_their_values()
    {
        var result = VariableBinder.Bind(
            Args(Long("count", Var("$n")), Short("v"), Long("tag", Str("x")), Short("r", Interpolated("${r}-1"))),
            Json("{\"n\":3,\"r\":\"eu\"}"));

        Assert.True(result.Succeeded);
        Assert.Equal(
            [
                BoundArgument.Option("count", true, new IntValue(3), Span(0, 7)),
                BoundArgument.Option("v", false, null, Span(0, 2)),
                BoundArgument.Option("tag", true, new StringValue("x"), Span(0, 5)),
                BoundArgument.Option("r", false, new StringValue("eu-1"), Span(0, 2)),
            ],
            result.Value);
    }

    [Fact]
    public void Positional_arguments_keep_their_span()
    {
        var result = VariableBinder.Bind(Args(Str("abc", at: 4)), Empty);

        Assert.Equal(Span(4, 3), Assert.Single(result.Value).Span);
    }

    [Theory]
    [InlineData("host ${h}:${p}", "{\"h\":\"web\",\"p\":80}", "host web:80")]
    [InlineData("${f} ${t} ${z}", "{\"f\":2.5,\"t\":true,\"z\":false}", "2.5 true false")]
    [InlineData("obj=${o} list=${l}", "{\"o\":{\"a\":[1,\"x\"]},\"l\":[1,2]}", "obj={\"a\":[1,\"x\"]} list=[1,2]")]
    [InlineData("${a}${a}", "{\"a\":\"\"}", "")]
    [InlineData("${u[0].name}!", "{\"u\":[{\"name\":\"ann\"}]}", "ann!")]
    public void Interpolation_concatenates_text_and_display_strings(string raw, string item, string expected)
    {
        Assert.Equal(new StringValue(expected), BindOne(Interpolated(raw), item));
    }

    [Fact]
    public void Resolve_returns_the_value_at_the_path()
    {
        var result = VariableBinder.Resolve(Expr("$a[1]"), Json("{\"a\":[1,{\"b\":2}]}"), At(0));

        Assert.True(result.Succeeded);
        Assert.Equal(Json("{\"b\":2}"), result.Value);
    }

    [Fact]
    public void Resolve_reports_errors_at_the_given_position()
    {
        var result = VariableBinder.Resolve(Expr("$a"), Empty, At(12));

        Assert.False(result.Succeeded);
        Assert.Equal(At(12), result.Error.Position);
    }
}
