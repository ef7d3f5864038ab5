using System.Text.Json;
using Cog.Relay.Execution;
using Cog.Sdk;

namespace Cog.Relay.Tests.Execution;

public class ResultConverterTests
{
    [Fact]
    public void Objects_become_json_items_in_order()
    {
        var outcome = ResultConverter.ToOutcome(CommandResult.Ok(new { name = "a", n = 1 }, new Dictionary<string, object> { ["name"] = "b" }), ExecutionLimits.Default);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(["""{"name":"a","n":1}""", """{"name":"b"}"""], outcome.Items.Select(i => i.GetRawText()).ToArray());
    }

    [Fact]
    public void A_json_element_object_is_passed_through()
    {
        using var doc = JsonDocument.Parse("""{"x":[1,2]}""");
        var outcome = ResultConverter.ToOutcome(CommandResult.Ok(doc.RootElement), ExecutionLimits.Default);

        Assert.Equal("""{"x":[1,2]}""", Assert.Single(outcome.Items).GetRawText());
    }

    [Theory]
    [InlineData("text", "Output item 0 is a string, but every output item must be a JSON object.")]
    [InlineData(42, "Output item 0 is a number, but every output item must be a JSON object.")]
    public void An_item_that_is_not_an_object_fails_the_invocation(object item, string message)
    {
        var outcome = ResultConverter.ToOutcome(CommandResult.Ok(item), ExecutionLimits.Default);

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Equal(message, outcome.Message);
    }

    [Fact]
    public void Output_over_the_limit_fails_the_invocation()
    {
        var big = new { text = new string('x', 2000) };
        var outcome = ResultConverter.ToOutcome(CommandResult.Ok(big), new ExecutionLimits(MaxOutputBytes: 1000));

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Equal("Command output exceeded the limit of 1000 bytes.", outcome.Message);
    }

    [Fact]
    public void Abort_and_error_keep_their_messages_and_template()
    {
        Assert.Equal(ExecutionOutcome.Abort("stop", "t"), ResultConverter.ToOutcome(CommandResult.Abort("stop").WithTemplate("t"), ExecutionLimits.Default) with { Items = [] });
        var error = ResultConverter.ToOutcome(CommandResult.Error("boom"), ExecutionLimits.Default);
        Assert.Equal((CommandStatus.Error, "boom"), (error.Status, error.Message));
    }

    [Fact]
    public void Empty_is_ok_with_no_items()
    {
        var outcome = ResultConverter.ToOutcome(CommandResult.Empty, ExecutionLimits.Default);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Empty(outcome.Items);
    }
}
