using System.Text.Json;
using Cog.Sdk;
using Cog.Worker.Protocol;
using Cog.Worker.Results;

namespace Cog.Relay.Tests.Execution;

/// <summary>The worker's conversion of a command's result into the result message it sends.</summary>

public class ResultConverterTests
{
    [Fact]
    public void Objects_become_json_items_in_order()
    {
        var outcome = Convert(CommandResult.Ok(new { name = "a", n = 1 }, new Dictionary<string, object> { ["name"] = "b" }));

        Assert.Equal(ResultMessage.Ok, outcome.Status);
        Assert.Equal(["""{"name":"a","n":1}""", """{"name":"b"}"""], outcome.Items.Select(i => i.GetRawText()).ToArray());
    }

    [Fact]
    public void A_json_element_object_is_passed_through()
    {
        using var doc = JsonDocument.Parse("""{"x":[1,2]}""");
        var outcome = Convert(CommandResult.Ok(doc.RootElement));

        Assert.Equal("""{"x":[1,2]}""", Assert.Single(outcome.Items).GetRawText());
    }

    [Theory]
    [InlineData("text", "Output item 0 is a string, but every output item must be a JSON object.")]
    [InlineData(42, "Output item 0 is a number, but every output item must be a JSON object.")]
    public void An_item_that_is_not_an_object_fails_the_invocation(object item, string message)
    {
        var outcome = Convert(CommandResult.Ok(item));

        Assert.Equal(ResultMessage.Error, outcome.Status);
        Assert.Equal(message, outcome.Message);
    }

    [Fact]
    public void Output_over_the_limit_fails_the_invocation()
    {
        var big = new { text = new string('x', 2000) };
        var outcome = Convert(CommandResult.Ok(big), maxOutputBytes: 1000);

        Assert.Equal(ResultMessage.Error, outcome.Status);
        Assert.Equal("Command output exceeded the limit of 1000 bytes.", outcome.Message);
    }

    [Fact]
    public void Abort_and_error_keep_their_messages_and_template()
    {
        var abort = Convert(CommandResult.Abort("stop").WithTemplate("t"));
        Assert.Equal((ResultMessage.Abort, "stop", "t"), (abort.Status, abort.Message, abort.Template));
        var error = Convert(CommandResult.Error("boom"));
        Assert.Equal((ResultMessage.Error, "boom"), (error.Status, error.Message));
    }

    [Fact]
    public void Empty_is_ok_with_no_items()
    {
        var outcome = Convert(CommandResult.Empty);

        Assert.Equal(ResultMessage.Ok, outcome.Status);
        Assert.Empty(outcome.Items);
    }

    static ResultMessage Convert(CommandResult result, int maxOutputBytes = 4 * 1024 * 1024) => ResultConverter.ToResult(1, result, maxOutputBytes);
}
