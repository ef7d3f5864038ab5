using Cog.Relay.Execution;
using Cog.Relay.Execution.Executables;
using Cog.Sdk;
using Cog.Worker;

namespace Cog.Relay.Tests.Execution.Executables;

public class OutputParserTests
{
    static (ExecutionOutcome Outcome, RecordingLog Log) Run(string stdout)
    {
        var log = new RecordingLog();
        return (OutputParser.ToOutcome(OutputParser.Parse(stdout, log)), log);
    }

    static string[] Items(ExecutionOutcome outcome) => [.. outcome.Items.Select(i => i.GetRawText())];

    [Fact]
    public void Plain_lines_become_one_item_with_a_body_list()
    {
        var (outcome, _) = Run("first line\n  second line \n");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(["""{"body":["first line","  second line "]}"""], Items(outcome));
    }

    [Fact]
    public void Empty_output_is_no_items()
    {
        var (outcome, _) = Run("");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Empty(outcome.Items);
    }

    [Fact]
    public void Only_one_trailing_newline_is_removed()
    {
        Assert.Equal(["""{"body":[""]}"""], Items(Run("\n").Outcome));
        Assert.Equal(["""{"body":["a",""]}"""], Items(Run("a\n\n").Outcome));
        Assert.Equal(["""{"body":["a"]}"""], Items(Run("a").Outcome));
    }

    [Theory]
    [InlineData("COGCMD_DEBUG: looking", "debug", "looking")]
    [InlineData("COGCMD_INFO: working", "info", "working")]
    [InlineData("COGCMD_WARN:  careful  ", "warn", "careful")]
    [InlineData("COGCMD_ERR: broken", "error", "broken")]
    [InlineData("COGCMD_ERROR: very broken", "error", "very broken")]
    [InlineData("COGCMD_INFO:no space", "info", "no space")]
    public void Log_tags_are_logged_at_their_level_and_are_not_output(string line, string level, string message)
    {
        var (outcome, log) = Run(line + "\nresult\n");

        Assert.Equal([(level, message)], log.Entries);
        Assert.Equal(["""{"body":["result"]}"""], Items(outcome));
    }

    [Fact]
    public void A_log_tag_with_no_text_logs_nothing_and_is_not_output()
    {
        var (outcome, log) = Run("COGCMD_INFO:   \n");

        Assert.Empty(log.Entries);
        Assert.Empty(outcome.Items);
    }

    [Theory]
    [InlineData("COGCMD_TRACE: x")]
    [InlineData(" COGCMD_INFO: x")]
    [InlineData("cogcmd_info: x")]
    [InlineData("COG_TEMPLATE")]
    [InlineData("JSON ")]
    public void Near_misses_are_ordinary_output(string line)
    {
        var (outcome, log) = Run(line);

        Assert.Empty(log.Entries);
        Assert.Equal(line, Assert.Single(outcome.Items).GetProperty("body")[0].GetString());
    }

    [Fact]
    public void The_template_tag_names_the_template_trimmed_and_the_last_one_wins()
    {
        var (outcome, _) = Run("COG_TEMPLATE: first\nCOG_TEMPLATE:  second  \ntext\n");

        Assert.Equal("second", outcome.Template);
        Assert.Equal(["""{"body":["text"]}"""], Items(outcome));
    }

    [Fact]
    public void A_json_object_after_the_marker_is_one_item()
    {
        var (outcome, _) = Run("COG_TEMPLATE: card\nJSON\n{\"name\": \"a\",\n \"n\": 1.50}\n");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal("card", outcome.Template);
        var item = Assert.Single(outcome.Items);
        Assert.Equal("a", item.GetProperty("name").GetString());
        Assert.Equal("1.50", item.GetProperty("n").GetRawText());
    }

    [Fact]
    public void A_json_list_of_objects_is_one_item_each()
    {
        var (outcome, _) = Run("JSON\n[{\"n\":1},{\"n\":2},{\"n\":3}]");

        Assert.Equal(["""{"n":1}""", """{"n":2}""", """{"n":3}"""], Items(outcome));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("null")]
    public void An_empty_list_or_null_is_no_items(string json)
    {
        var (outcome, _) = Run("JSON\n" + json);

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Empty(outcome.Items);
    }

    [Theory]
    [InlineData("\"text\"", "Output item 0 is a string, but every output item must be a JSON object.")]
    [InlineData("42", "Output item 0 is a number, but every output item must be a JSON object.")]
    [InlineData("true", "Output item 0 is a boolean, but every output item must be a JSON object.")]
    [InlineData("[{\"a\":1},[2]]", "Output item 1 is a list, but every output item must be a JSON object.")]
    [InlineData("[{\"a\":1},{\"b\":2},\"c\"]", "Output item 2 is a string, but every output item must be a JSON object.")]
    public void A_json_body_that_is_not_objects_is_an_error(string json, string message)
    {
        var (outcome, _) = Run("JSON\n" + json);

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Equal(message, outcome.Message);
    }

    [Theory]
    [InlineData("JSON\n{\"a\":")]
    [InlineData("JSON\n")]
    [InlineData("JSON")]
    [InlineData("JSON\n{\"a\":1}\n{\"b\":2}")]
    [InlineData("JSON\n{'a':1}")]
    public void Invalid_json_is_cog_1_error(string stdout)
    {
        var (outcome, _) = Run(stdout);

        Assert.Equal(CommandStatus.Error, outcome.Status);
        Assert.Equal("Command returned invalid JSON.", outcome.Message);
        Assert.Equal(ExecutionErrors.InvalidJson, outcome.Message);
    }

    [Fact]
    public void Text_before_the_marker_is_prepended_and_so_breaks_the_json()
    {
        Assert.Equal("Command returned invalid JSON.", Run("stray text\nJSON\n{\"a\":1}").Outcome.Message);
    }

    [Fact]
    public void Json_split_around_the_marker_is_joined()
    {
        // Cog 1.0 prepends the retained lines; a body that starts before the marker still parses.
        Assert.Equal(1, Assert.Single(Run("{\"a\":\nJSON\n1}").Outcome.Items).GetProperty("a").GetInt32());
    }

    [Fact]
    public void Tags_after_the_marker_are_part_of_the_json_text()
    {
        var (outcome, log) = Run("JSON\n[{\"a\":1}]\nCOGCMD_INFO: late");

        Assert.Empty(log.Entries);
        Assert.Equal("Command returned invalid JSON.", outcome.Message);
    }

    [Fact]
    public void Tags_before_the_marker_still_count()
    {
        var (outcome, log) = Run("COGCMD_WARN: w\nCOG_TEMPLATE: t\nJSON\n{\"a\":1}");

        Assert.Equal([("warn", "w")], log.Entries);
        Assert.Equal(("t", 1), (outcome.Template, outcome.Items.Length));
    }

    [Fact]
    public void Abort_stops_with_the_text_as_message_and_keeps_the_template()
    {
        var (outcome, _) = Run("COG_TEMPLATE: stopped\nCOGCMD_ACTION: abort\nNothing to deploy.\nTry later.\n");

        Assert.Equal(ExecutionOutcome.Abort("Nothing to deploy.\nTry later.", "stopped"), outcome with { Items = [] });
        Assert.Empty(outcome.Items);
    }

    [Fact]
    public void Abort_without_text_has_an_empty_message()
    {
        var (outcome, _) = Run("COGCMD_ACTION:abort");

        Assert.Equal((CommandStatus.Abort, ""), (outcome.Status, outcome.Message));
    }

    [Fact]
    public void Invalid_json_wins_over_abort()
    {
        Assert.Equal(CommandStatus.Error, Run("COGCMD_ACTION: abort\nJSON\n{").Outcome.Status);
    }

    [Theory]
    [InlineData("COGCMD_ACTION: retry")]
    [InlineData("COGCMD_ACTION: abort now")]
    public void Other_actions_are_ignored_and_not_output(string line)
    {
        var (outcome, _) = Run(line + "\nok");

        Assert.Equal(CommandStatus.Ok, outcome.Status);
        Assert.Equal(["""{"body":["ok"]}"""], Items(outcome));
    }
}
