using System.Text.Json.Nodes;
using Cog.Manifest.Yaml;

namespace Cog.Manifest.Tests.Yaml;

public class CoreSchemaScalarsTests
{
    [Theory]
    [InlineData("", "null")]
    [InlineData("~", "null")]
    [InlineData("null", "null")]
    [InlineData("NULL", "null")]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    [InlineData("TRUE", "true")]
    [InlineData("0", "0")]
    [InlineData("-12", "-12")]
    [InlineData("+7", "7")]
    [InlineData("0o17", "15")]
    [InlineData("0x1F", "31")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e3", "1000")]
    [InlineData(".5", "0.5")]
    [InlineData("-2.5E-1", "-0.25")]
    [InlineData("5.", "5")]
    [InlineData("99999999999999999999", "1E+20")]
    public void Plain_scalars_are_typed_by_the_yaml_1_2_core_schema(string text, string json)
    {
        Assert.Equal(json, CoreSchemaScalars.Resolve(text)?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("no")]
    [InlineData("on")]
    [InlineData("0.1.0")]
    [InlineData("1_000")]
    [InlineData("0o8")]
    [InlineData("0xZZ")]
    [InlineData(".")]
    [InlineData("1e")]
    [InlineData(".inf")]
    [InlineData(".nan")]
    [InlineData("-")]
    [InlineData("12:30")]
    public void Everything_else_is_text(string text)
    {
        var value = Assert.IsAssignableFrom<JsonValue>(CoreSchemaScalars.Resolve(text));
        Assert.Equal(text, value.GetValue<string>());
    }
}
