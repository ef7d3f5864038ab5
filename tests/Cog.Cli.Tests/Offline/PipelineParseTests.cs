using System.Text.Json;

namespace Cog.Cli.Tests.Offline;

public class PipelineParseTests
{
    [Fact]
    public void Json_output_has_the_documented_shape()
    {
        var result = CogCtlRunner.Run("pipeline", "parse", "--json", "echo foo | bar --n=3 > #ops");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            """{"ok":true,"stages":[{"bundle":null,"command":"echo","args":[{"type":"string","value":"foo","quoted":false}]},{"bundle":null,"command":"bar","args":[{"type":"option","name":"n","long":true,"value":{"type":"int","value":3}}]}],"redirect":{"multi":false,"targets":["#ops"]}}""" + "\n",
            result.Output);
    }

    [Fact]
    public void Every_argument_type_is_reported_in_input_order()
    {
        var result = CogCtlRunner.Run("pipeline", "parse", "--json", """b:cmd 'q' 5 1.5 true $a.b[0] "v=${a}!" -f --name=x && next *> #a @b""");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        var stages = doc.RootElement.GetProperty("stages");
        Assert.Equal(2, stages.GetArrayLength());
        Assert.Equal("b", stages[0].GetProperty("bundle").GetString());
        var types = stages[0].GetProperty("args").EnumerateArray().Select(a => a.GetProperty("type").GetString()).ToArray();
        Assert.Equal(["string", "int", "float", "bool", "variable", "interpolated", "option", "option"], types);
        var args = stages[0].GetProperty("args");
        Assert.True(args[0].GetProperty("quoted").GetBoolean());
        Assert.Equal("$a.b[0]", args[4].GetProperty("value").GetString());
        Assert.Equal("v=${a}!", args[5].GetProperty("value").GetString());
        Assert.False(args[6].GetProperty("long").GetBoolean());
        Assert.Equal(JsonValueKind.Null, args[6].GetProperty("value").ValueKind);
        Assert.Equal("x", args[7].GetProperty("value").GetProperty("value").GetString());
        var redirect = doc.RootElement.GetProperty("redirect");
        Assert.True(redirect.GetProperty("multi").GetBoolean());
        Assert.Equal(["#a", "@b"], redirect.GetProperty("targets").EnumerateArray().Select(t => t.GetString()).ToArray());
    }

    [Fact]
    public void A_parse_error_prints_the_failure_shape_with_line_and_column()
    {
        var result = CogCtlRunner.Run("pipeline", "parse", "--json", "echo a > #x > #y");

        Assert.Equal(1, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Output);
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        var error = doc.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(1, error.GetProperty("line").GetInt32());
        Assert.Equal(13, error.GetProperty("column").GetInt32());
    }

    [Fact]
    public void Human_output_shows_the_error_under_the_offending_text()
    {
        var result = CogCtlRunner.Run("pipeline", "parse", "echo \"open");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("line 1, column 6", result.Error, StringComparison.Ordinal);
        Assert.Contains("  | echo \"open\n  |      ^\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Human_output_lists_stages_and_arguments()
    {
        var result = CogCtlRunner.Run("pipeline", "parse", "echo --n=3 hi | sort > #ops");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("stage 1: echo\n  option --n = int 3\n  string \"hi\"\nstage 2: sort (after |)\nredirect > #ops\n", result.Output);
    }

    [Fact]
    public void Words_are_joined_with_spaces()
    {
        var joined = CogCtlRunner.Run("pipeline", "parse", "--json", "echo", "a", "|", "sort");
        var single = CogCtlRunner.Run("pipeline", "parse", "--json", "echo a | sort");

        Assert.Equal(single.Output, joined.Output);
    }

    [Fact]
    public void A_target_starting_with_at_is_not_read_as_a_response_file()
    {
        var result = CogCtlRunner.Run("pipeline", "parse", "--json", "echo", "hi", ">", "@alice");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"targets\":[\"@alice\"]", result.Output, StringComparison.Ordinal);
    }
}
