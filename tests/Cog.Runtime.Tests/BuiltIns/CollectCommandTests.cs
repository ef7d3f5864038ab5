using Cog.Contracts.Relays;
using Cog.Language.Values;
using Cog.Runtime.BuiltIns;
using static Cog.Runtime.Tests.BuiltIns.OperableKit;

namespace Cog.Runtime.Tests.BuiltIns;

/// <summary>sort, unique, count, min, max, tee, cat and sleep: the collect-all commands and their data.</summary>
public class CollectCommandTests
{
    readonly OperableKit _kit = new();

    [Fact]
    public async Task A_collect_all_command_answers_nothing_until_the_last_item_then_everything()
    {
        var outcomes = await _kit.Stage("sort", Items("""[{"a":2},{"a":3},{"a":1}]"""));

        Assert.Equal([0, 0, 3], outcomes.Select(o => o.Items.Length));
        Assert.Equal("""[{"a":1},{"a":2},{"a":3}]""", JsonOf(outcomes[^1].Items));
        Assert.Equal(0, _kit.Commands.Collector.Pending);
    }

    [Fact]
    public async Task Sort_orders_numbers_then_atoms_then_objects_then_lists_then_text_with_items_lacking_the_fields_first()
    {
        var items = Items("""[{"v":"b"},{"v":[1]},{"v":true},{"v":{"x":1}},{"v":2.5},{"v":null},{"v":"a"},{"v":false},{"v":2}]""");

        var outcome = (await _kit.Stage("sort", items, [S("v")]))[^1];

        // An item without the field (or with null there) is compared whole, and an object sorts before the field
        // values (a list), as in Cog 1.0.
        Assert.Equal("""[{"v":null},{"v":2},{"v":2.5},{"v":false},{"v":true},{"v":{"x":1}},{"v":[1]},{"v":"a"},{"v":"b"}]""", JsonOf(outcome.Items));
    }

    [Fact]
    public async Task Sort_is_stable_and_sorts_items_without_the_fields_whole()
    {
        var items = Items("""[{"k":1,"id":"first"},{"z":0},{"k":1,"id":"second"},{"k":0}]""");

        var asc = (await _kit.Stage("sort", items, [S("k")]))[^1];
        var desc = (await _kit.Stage("sort", items, [S("k")], [("desc", new BoolValue(true))]))[^1];

        Assert.Equal("""[{"z":0},{"k":0},{"k":1,"id":"first"},{"k":1,"id":"second"}]""", JsonOf(asc.Items));
        Assert.Equal("""[{"k":1,"id":"first"},{"k":1,"id":"second"},{"k":0},{"z":0}]""", JsonOf(desc.Items));
    }

    [Fact]
    public async Task Unique_ignores_member_order_but_not_number_types()
    {
        var items = Items("""[{"a":1,"b":2},{"b":2,"a":1},{"a":1.0,"b":2},{"a":1,"b":2}]""");

        var outcome = (await _kit.Stage("unique", items))[^1];

        Assert.Equal(2, outcome.Items.Length);
        Assert.True(((ObjectValue)outcome.Items[0]).TryGetMember("a", out var first) && first is IntValue);
        Assert.True(((ObjectValue)outcome.Items[1]).TryGetMember("a", out var second) && second is FloatValue);
    }

    [Theory]
    [InlineData("""[{}]""", null, 0)]
    [InlineData("""[{},{}]""", null, 2)]
    [InlineData("""[{"a": 2}, {"a": -1}, {"b": 3}]""", null, 3)]
    [InlineData("""[{"a": 2}, {"a": -1}, {"b": 3}]""", "a", 2)]
    [InlineData("""[{"a": {"b": 2}}, {"b": {"b": -1}}, {"a": {"c": 3}}]""", "a.b", 1)]
    [InlineData("""[{"a": false}, {"a": null}, {"a": 0}]""", "a", 1)]
    [InlineData("""[{"a": 1}]""", "zzz", 0)]
    public async Task Count_counts_items_or_items_with_a_truthy_value_at_the_path(string items, string? path, long count)
    {
        var outcome = (await _kit.Stage("count", Items(items), path is null ? null : [S(path)]))[^1];

        Assert.Equal(J($$"""{"body":[{{count}}]}"""), Assert.Single(outcome.Items));
    }

    [Theory]
    [InlineData("min", """[{"a": 2}, {"a": -1}, {"a": 3}]""", null, """{"a":-1}""")]
    [InlineData("max", """[{"a": 2}, {"a": -1}, {"a": 3}]""", null, """{"a":3}""")]
    [InlineData("min", """[{"a": 2}, {"a": -1}, {"a": 3}]""", "a", """{"a":-1}""")]
    [InlineData("max", """[{"a": {"b": 2}}, {"a": {"b": -1}}, {"a": {"b": 3}}]""", "a.b", """{"a":{"b":3}}""")]
    [InlineData("min", """[{"a": {"b": 2}}, {"a": {"b": -1}}, {"a": {"b": 3}}]""", "a.b", """{"a":{"b":-1}}""")]
    [InlineData("max", """[{"a": 1, "id": 1}, {"b": 9}, {"a": 1, "id": 2}]""", "a", """{"a":1,"id":1}""")]
    [InlineData("max", """[{"a": "apple"}, {"a": 100}, {"a": "zebra"}]""", "a", """{"a":"zebra"}""")]
    public async Task Min_and_max_pick_the_first_extreme_item(string command, string items, string? path, string expected)
    {
        var outcome = (await _kit.Stage(command, Items(items), path is null ? null : [S(path)]))[^1];

        Assert.Equal(J(expected), Assert.Single(outcome.Items));
    }

    [Theory]
    [InlineData("min")]
    [InlineData("max")]
    public async Task Min_and_max_report_a_path_that_no_item_has(string command)
    {
        var outcome = (await _kit.Stage(command, Items("""[{"a":1},{"a":2}]"""), [S("b")]))[^1];

        Assert.Equal((ResultStatus.Error, "The path provided does not exist"), (outcome.Status, outcome.Message));
    }

    [Theory]
    [InlineData("count")]
    [InlineData("min")]
    [InlineData("max")]
    public async Task Path_commands_take_at_most_one_path(string command)
    {
        var outcome = await _kit.Call(command, [S("a"), S("b")]);

        Assert.Equal((ResultStatus.Error, "Too many args. Arguments required: maximum of 1."), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Tee_saves_one_item_as_an_object_and_several_as_a_list_without_empty_objects()
    {
        await _kit.Stage("tee", Items("""[{"a":1}]"""), [S("one")]);
        var several = (await _kit.Stage("tee", Items("""[{"a":1},{},{"a":2}]"""), [S("several")]))[^1];

        Assert.Equal(J("""{"a":1}"""), await _kit.Data.LoadAsync("one", TestContext.Current.CancellationToken));
        Assert.Equal(J("""[{"a":1},{"a":2}]"""), await _kit.Data.LoadAsync("several", TestContext.Current.CancellationToken));
        Assert.Equal("""[{"a":1},{"a":2}]""", JsonOf(several.Items));
    }

    [Theory]
    [InlineData(0, BuiltInMessages.TeeNeedsName)]
    [InlineData(2, "Too many args. Arguments required: exactly 1.")]
    public async Task Tee_needs_exactly_one_name(int names, string message)
    {
        var outcome = await _kit.Call("tee", [.. Enumerable.Repeat(S("x"), names)]);

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Cat_returns_saved_data_and_combines_it_with_its_input()
    {
        var ct = TestContext.Current.CancellationToken;
        await _kit.Data.SaveAsync("obj", J("""{"thing":"stuff","more":0}"""), ct);
        await _kit.Data.SaveAsync("list", J("""[{"a":1},{"a":2}]"""), ct);
        var input = J("""{"more":1,"x":true}""");

        Assert.Equal("""[{"a":1},{"a":2}]""", JsonOf((await _kit.Call("cat", [S("list")])).Items));
        Assert.Equal("""[{"more":0,"x":true,"thing":"stuff"}]""", JsonOf((await _kit.Call("cat", [S("obj")], [("merge", new BoolValue(true))], input)).Items));
        Assert.Equal("""[{"more":1,"x":true,"saved":{"thing":"stuff","more":0}}]""", JsonOf((await _kit.Call("cat", [S("obj")], [("insert", S("saved"))], input)).Items));
        Assert.Equal("""[{"a":1},{"a":2},{"more":1,"x":true}]""", JsonOf((await _kit.Call("cat", [S("list")], [("append", new BoolValue(true))], input)).Items));
    }

    public static TheoryData<Value[], string[], string> CatErrors() => new()
    {
        { [], [], BuiltInMessages.CatNeedsName },
        { [S("a"), S("b")], [], "Too many args. Arguments required: exactly 1." },
        { [S("nothing")], [], "Unable to retrieve data for nothing: nothing has been saved under that name." },
        { [S("list")], ["append", "merge"], "The append and merge options cannot be specified together" },
        { [S("list")], ["merge"], "The merge option is only applicable for map values" },
        { [S("list")], ["insert"], "The insert option is only applicable for map values" },
    };

    [Theory]
    [MemberData(nameof(CatErrors))]
    public async Task Cat_reports_missing_names_and_bad_combinations(Value[] arguments, string[] options, string message)
    {
        await _kit.Data.SaveAsync("list", J("""[{"a":1},{"a":2}]"""), TestContext.Current.CancellationToken);
        (string, Value)[] given = [.. options.Select(o => (o, o == "insert" ? S("k") : new BoolValue(true)))];

        var outcome = await _kit.Call("cat", arguments, given);

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Sleep_waits_at_the_last_item_then_passes_every_item_on()
    {
        var items = Items("""[{"a":1},{"a":2}]""");
        Assert.Empty((await _kit.Call("sleep", [I(30)], item: items[0], step: ItemStep.First)).Items);

        var last = _kit.Call("sleep", [I(30)], item: items[1], step: ItemStep.Last);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(last.IsCompleted);
        _kit.Time.Advance(TimeSpan.FromSeconds(30));
        var outcome = await last.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal("""[{"a":1},{"a":2}]""", JsonOf(outcome.Items));
    }

    [Fact]
    public async Task Sleep_ends_with_an_error_when_the_pipeline_is_stopped()
    {
        using var kill = new CancellationTokenSource();
        var sleeping = _kit.Killable(kill.Token, "sleep", [I(3600)]);

        await kill.CancelAsync();
        var outcome = await sleeping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal((ResultStatus.Error, "The `operable:sleep` command was stopped before it finished."), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Sleep_ends_with_an_error_at_the_command_timeout()
    {
        var sleeping = _kit.Call("sleep", [I(3600)], timeout: TimeSpan.FromSeconds(10));

        _kit.Time.Advance(TimeSpan.FromSeconds(10));
        var outcome = await sleeping.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal((ResultStatus.Error, "The `operable:sleep` command timed out after 10 seconds."), (outcome.Status, outcome.Message));
    }

    public static TheoryData<Value[], string> SleepErrors() => new()
    {
        { [], "Must specify a duration" },
        { [I(1), I(2)], "Must specify only one duration" },
        { [S("soon")], BuiltInMessages.SleepNotSeconds },
        { [I(-1)], BuiltInMessages.SleepNotSeconds },
    };

    [Theory]
    [MemberData(nameof(SleepErrors))]
    public async Task Sleep_needs_one_whole_number_of_seconds(Value[] arguments, string message)
    {
        var outcome = await _kit.Call("sleep", arguments);

        Assert.Equal((ResultStatus.Error, message), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task Items_of_a_stage_that_never_reaches_its_last_item_are_dropped_after_the_expiry()
    {
        await _kit.Call("sort", item: J("{}"), step: ItemStep.First, invocationId: "killed");
        Assert.Equal(1, _kit.Commands.Collector.Pending);

        _kit.Time.Advance(BuiltInOptions.Default.CollectionExpiry);
        await _kit.Call("count", item: J("{}"), step: ItemStep.Last, invocationId: "later");

        Assert.Equal(0, _kit.Commands.Collector.Pending);
    }

    [Fact]
    public async Task A_failing_collect_all_command_drops_what_its_stage_gathered()
    {
        await _kit.Call("max", [S("a")], item: J("""{"b":1}"""), step: ItemStep.First, invocationId: "failing");

        var outcome = await _kit.Call("max", [S("a")], item: J("""{"b":2}"""), step: ItemStep.Last, invocationId: "failing");

        Assert.Equal(ResultStatus.Error, outcome.Status);
        Assert.Equal(0, _kit.Commands.Collector.Pending);
    }
}
