using Cog.Contracts.Relays;
using Cog.Language.Values;
using Cog.Runtime.BuiltIns;
using static Cog.Runtime.Tests.BuiltIns.OperableKit;

namespace Cog.Runtime.Tests.BuiltIns;

/// <summary>echo, seed, raw, filter and abort-when: one call, one item.</summary>
public class DataCommandTests
{
    readonly OperableKit _kit = new();

    [Fact]
    public async Task Echo_joins_its_arguments_with_spaces_and_writes_objects_and_lists_as_json()
    {
        var outcome = await _kit.Call("echo", [S("this"), I(2), new BoolValue(true), J("""{"bar":"baz"}"""), J("[1,2.5]")]);

        Assert.Equal("""[{"body":["this 2 true {\"bar\":\"baz\"} [1,2.5]"]}]""", JsonOf(outcome.Items));
    }

    [Fact]
    public async Task Echo_without_arguments_gives_an_empty_line()
    {
        Assert.Equal("""[{"body":[""]}]""", JsonOf((await _kit.Call("echo")).Items));
    }

    [Theory]
    [InlineData("""{"a":1}""", """[{"a":1}]""")]
    [InlineData("""[{"a": 1}, {"a": 3}, {"a": 2}]""", """[{"a":1},{"a":3},{"a":2}]""")]
    [InlineData("""{"nested":{"list":[1,"x",null,true]}}""", """[{"nested":{"list":[1,"x",null,true]}}]""")]
    public async Task Seed_emits_an_object_or_each_object_of_a_list(string json, string expected)
    {
        var outcome = await _kit.Call("seed", [S(json)]);

        Assert.Equal((ResultStatus.Ok, expected), (outcome.Status, JsonOf(outcome.Items)));
    }

    public static TheoryData<Value[], string> SeedErrors() => new()
    {
        { [], BuiltInMessages.SeedSingleArgument },
        { [S("{}"), S("{}")], BuiltInMessages.SeedSingleArgument },
        { [I(5)], BuiltInMessages.SeedNotString },
        { [S("[]")], BuiltInMessages.SeedNotMapOrList },
        { [S("42")], BuiltInMessages.SeedNotMapOrList },
        { [S("""[{"a":1}, 2]""")], BuiltInMessages.SeedListOfMaps },
        { [S("{\n  \"a\": tru\n}")], BuiltInMessages.SeedBadJson(2, 11) },
        { [S("not json")], BuiltInMessages.SeedBadJson(1, 2) },
    };

    [Theory]
    [MemberData(nameof(SeedErrors))]
    public async Task Seed_reports_what_is_wrong_with_its_argument(Value[] arguments, string message)
    {
        var outcome = await _kit.Call("seed", arguments);

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Seed_messages_keep_cog_1_wording()
    {
        Assert.Equal("Bad input! Please supply valid JSON. The JSON is invalid at line 3, column 7.", BuiltInMessages.SeedBadJson(3, 7));
        Assert.Equal("JSON must be a map or a list of maps", BuiltInMessages.SeedNotMapOrList);
        Assert.Equal("All values in a JSON list must be maps", BuiltInMessages.SeedListOfMaps);
        Assert.Equal("Please supply a single argument", BuiltInMessages.SeedSingleArgument);
        Assert.Equal("Argument must be a string", BuiltInMessages.SeedNotString);
    }

    [Fact]
    public async Task Raw_passes_the_item_with_the_raw_template()
    {
        var item = J("""{"body":["foo"]}""");

        var outcome = await _kit.Call("raw", item: item);

        Assert.Equal(("raw", item), (outcome.Template, Assert.Single(outcome.Items)));
    }

    [Theory]
    [InlineData("foo.bar", null, true)]
    [InlineData("foo.baz", null, false)]
    [InlineData("foo.bar", "stuff", true)]
    [InlineData("foo.bar", "other stuff", false)]
    [InlineData("foo.bar", "/^STUFF$/i", true)]
    [InlineData("foo.bar", "/^STUFF$/", false)]
    [InlineData("foo.'bar.qux'.baz", null, true)]
    [InlineData("foo.\"bar.qux\".baz", "/^m/", true)]
    [InlineData("foo.bar.qux.baz", null, false)]
    [InlineData("foo.n", "^4", true)]
    [InlineData("foo.off", null, true)]
    [InlineData("foo.none", null, false)]
    [InlineData(null, null, true)]
    public async Task Filter_keeps_items_with_the_path_and_a_matching_value(string? path, string? matches, bool kept)
    {
        var item = J("""{"foo":{"bar":"stuff","bar.qux":{"baz":"me"},"n":42,"off":false,"none":null}}""");
        (string, Value)[] options = [.. new[] { ("path", path), ("matches", matches) }.Where(o => o.Item2 is not null).Select(o => (o.Item1, S(o.Item2!)))];

        var outcome = await _kit.Call("filter", options: options, item: item);

        Assert.Equal(ResultStatus.Ok, outcome.Status);
        Assert.Equal(kept ? new[] { item } : [], outcome.Items.ToArray());
    }

    [Theory]
    [InlineData(null, "x", BuiltInMessages.FilterMissingPath)]
    [InlineData("a", "/(unclosed/", BuiltInMessages.FilterBadRegex)]
    [InlineData("a", "/x/q", BuiltInMessages.FilterBadRegex)]
    [InlineData("a", "[", BuiltInMessages.FilterBadRegex)]
    public async Task Filter_reports_a_missing_path_and_a_bad_regex(string? path, string matches, string message)
    {
        (string, Value)[] options = path is null ? [("matches", S(matches))] : [("path", S(path)), ("matches", S(matches))];

        var outcome = await _kit.Call("filter", options: options, item: J("""{"a":"x"}"""));

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }

    /// <summary>Cog 1.0's texts (operable/cog lib/cog/commands/filter.ex, translate_error/1 and format/1: one Markdown
    /// bullet per error, the options in single quotes).</summary>
    [Fact]
    public async Task Filter_messages_keep_cog_1_wording()
    {
        var missing = await _kit.Call("filter", options: [("matches", S("x"))], item: J("""{"a":"x"}"""));
        var bad = await _kit.Call("filter", options: [("path", S("a")), ("matches", S("/(/"))], item: J("""{"a":"x"}"""));

        Assert.Equal("* Must specify '--path' with the '--matches' option.", missing.Message);
        Assert.Equal("* The regular expression in '--matches' does not compile correctly.", bad.Message);
    }

    public static TheoryData<Value[], bool> AbortCases() => new()
    {
        { [new BoolValue(true)], true },
        { [I(1)], true },
        { [new FloatValue(0.5)], true },
        { [I(0)], false },
        { [I(-3)], false },
        { [new BoolValue(false)], false },
        { [S("false")], false },
        { [S("yes")], false },
        { [], false },
    };

    [Theory]
    [MemberData(nameof(AbortCases))]
    public async Task Abort_when_aborts_on_true_or_a_positive_number_only(Value[] arguments, bool aborts)
    {
        var item = J("""{"k":1}""");

        var outcome = await _kit.Call("abort-when", arguments, item: item);

        if (aborts)
        {
            Assert.Equal((ResultStatus.Abort, "Pipeline aborted"), (outcome.Status, outcome.Message));
        }
        else
        {
            Assert.Equal((ResultStatus.Ok, item), (outcome.Status, Assert.Single(outcome.Items)));
        }
    }

    [Fact]
    public async Task Abort_when_uses_its_message_option()
    {
        var outcome = await _kit.Call("abort-when", [I(1)], [("message", S("Tests failed"))]);

        Assert.Equal((ResultStatus.Abort, "Tests failed"), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task A_command_outside_the_built_in_bundle_is_an_error_not_an_exception()
    {
        var outcome = await _kit.Call("no-such-command");

        Assert.Equal((ResultStatus.Error, "'operable:no-such-command' is not a built-in command."), (outcome.Status, outcome.Message));
    }
}
