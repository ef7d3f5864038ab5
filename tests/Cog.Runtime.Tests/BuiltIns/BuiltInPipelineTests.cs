using Cog.Language.Values;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Tests.BuiltIns;

/// <summary>Whole pipelines through the engine with the built-in commands as the executor and the real manifest.</summary>
public class BuiltInPipelineTests
{
    readonly OperableKit _kit = new();

    async Task<string> Output(string text)
    {
        var outcome = await _kit.Run(text);
        Assert.True(outcome.Status == PipelineStatus.Succeeded, $"{outcome.Status}: {outcome.Message}");
        return OperableKit.JsonOf(outcome.Items);
    }

    [Theory]
    [InlineData("""seed '[{"n":3},{"n":1},{"n":2}]' | sort n""", """[{"n":1},{"n":2},{"n":3}]""")]
    [InlineData("""seed '[{"n":3},{"n":1},{"n":2}]' | sort n --desc""", """[{"n":3},{"n":2},{"n":1}]""")]
    [InlineData("""seed '[{"n":3},{"n":1},{"n":2}]' | sort -d""", """[{"n":3},{"n":2},{"n":1}]""")]
    [InlineData("""seed '[{"a": 3, "b": 4}, {"a": 1, "b": 4}, {"a": 2, "b": 6}]' | sort b a""", """[{"a":1,"b":4},{"a":3,"b":4},{"a":2,"b":6}]""")]
    [InlineData("""seed '[{"a": 1}, {"a": 3}, {"a": 1}]' | unique""", """[{"a":1},{"a":3}]""")]
    [InlineData("""seed '[{"a": 2}, {"a": -1}, {"b": 3}]' | count""", """[{"body":[3]}]""")]
    [InlineData("""seed '[{"a": 2}, {"a": -1}, {"b": 3}]' | count a""", """[{"body":[2]}]""")]
    [InlineData("""seed '[{"a": 2}, {"a": -1}, {"a": 3}]' | min a""", """[{"a":-1}]""")]
    [InlineData("""seed '[{"a": {"b": 2}}, {"a": {"b": -1}}, {"a": {"b": 3}}]' | max a.b""", """[{"a":{"b":3}}]""")]
    [InlineData("echo hello | echo $body[0] world", """[{"body":["hello world"]}]""")]
    [InlineData("""seed '{"thing":"stuff"}' | echo $thing""", """[{"body":["stuff"]}]""")]
    [InlineData("""seed '[{"thing":"stuff"},{"thing":"more stuff"}]' | echo $thing""", """[{"body":["stuff"]},{"body":["more stuff"]}]""")]
    [InlineData("""seed '{"failures": 0}' | abort-when $failures | echo fine""", """[{"body":["fine"]}]""")]
    [InlineData("""seed '[{"n":1},{"n":2}]' | sleep 0 | count""", """[{"body":[2]}]""")]
    public async Task A_pipeline_of_built_in_commands_gives_the_reference_output(string text, string expected)
    {
        Assert.Equal(expected, await Output(text));
    }

    [Fact]
    public async Task Filter_on_a_quoted_path_with_a_case_insensitive_regex_feeds_count()
    {
        const string Seed = """seed '[{"a":{"b.c":"Xylophone"}},{"a":{"b.c":"box"}},{"a":{"b.c":"tree"}},{"a":{}}]'""";

        Assert.Equal("""[{"body":[2]}]""", await Output(Seed + """ | filter --path='a."b.c"' --matches=/x/i | count"""));
        Assert.Equal("""[{"body":[3]}]""", await Output(Seed + """ | filter --path='a."b.c"' | count"""));
    }

    /// <summary>Cog 1.0's filter had the short flags -p and -m (operable/cog lib/cog/commands/filter.ex).</summary>
    [Fact]
    public async Task Filter_takes_cog_1_short_flags()
    {
        Assert.Equal("""[{"name":"Web-1"}]""", await Output("""seed '[{"name":"Web-1"}, {"name":"db-1"}]' | filter -p name -m /^web/i"""));
    }

    [Fact]
    public async Task Raw_asks_for_the_raw_template_and_keeps_the_data()
    {
        var outcome = await _kit.Run("echo foo | raw");

        Assert.Equal(("raw", """[{"body":["foo"]}]"""), (outcome.Template, OperableKit.JsonOf(outcome.Items)));
    }

    [Fact]
    public async Task Tee_saves_what_cat_reads_back_in_a_later_pipeline()
    {
        Assert.Equal("""[{"thing":"stuff"}]""", await Output("""seed '{ "thing": "stuff" }' | tee foo"""));

        Assert.Equal("""[{"thing":"stuff"}]""", await Output("cat foo"));
        Assert.Equal("""[{"more":1,"thing":"stuff"}]""", await Output("""seed '{"more": 1}' | cat foo --merge"""));
        Assert.Equal("""[{"more":1,"saved":{"thing":"stuff"}}]""", await Output("""seed '{"more": 1}' | cat foo -i saved"""));
        Assert.Equal("""[{"thing":"stuff"},{"more":1}]""", await Output("""seed '{"more": 1}' | cat foo --append"""));
    }

    [Fact]
    public async Task Abort_when_stops_the_pipeline_with_its_message()
    {
        var outcome = await _kit.Run("""seed '{"failures": 2}' | abort-when $failures -m "Tests failed" | echo never""");

        Assert.Equal((PipelineStatus.Aborted, "Tests failed"), (outcome.Status, outcome.Message));
    }

    [Fact]
    public async Task A_command_error_fails_the_pipeline_with_its_message_and_leaves_nothing_gathered()
    {
        var outcome = await _kit.Run("""seed '[{"a":1},{"a":2}]' | max b""");

        Assert.Equal((PipelineStatus.ExecutionFailed, BuiltInMessages.PathNotFound), (outcome.Status, outcome.Message));
        Assert.Equal(0, _kit.Commands.Collector.Pending);
    }

    [Fact]
    public async Task Bad_json_in_seed_fails_with_its_position()
    {
        var outcome = await _kit.Run("""seed '{"a": 1,}'""");

        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        Assert.Equal(BuiltInMessages.SeedBadJson(1, 9), outcome.Message);
    }

    [Fact]
    public async Task Which_reports_a_user_alias_before_a_site_alias_before_a_command()
    {
        _kit.Directory.UserAlias(OperableKit.Alice.UserId, "mine", "echo mine").SiteAlias("shared", "echo shared").SiteAlias("mine", "echo site");

        Assert.Equal("""[{"type":"alias","scope":"user","name":"mine","pipeline":"echo mine"}]""", await Output("which mine"));
        Assert.Equal("""[{"type":"alias","scope":"site","name":"mine","pipeline":"echo site"}]""", await Output("which site:mine"));
        Assert.Equal("""[{"type":"alias","scope":"site","name":"shared","pipeline":"echo shared"}]""", await Output("which shared"));
        Assert.Equal("""[{"type":"command","scope":"operable","name":"sort","bundles":["operable"]}]""", await Output("which sort"));
        Assert.Equal("""[{"not_found":true}]""", await Output("which nothing-here"));
        Assert.Equal("which", (await _kit.Run("which sort")).Template);
    }

    [Fact]
    public async Task Options_of_the_manifest_reach_the_command_with_their_types()
    {
        var outcome = await _kit.Run("sleep 1 --desc");

        Assert.Equal(PipelineStatus.PlanningFailed, outcome.Status);
        Assert.Contains("desc", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_item_of_a_collect_all_stage_shares_one_collection_per_pipeline()
    {
        var first = await _kit.Run("""seed '[{"n":2},{"n":1}]' | sort n""");
        var second = await _kit.Run("""seed '[{"n":4},{"n":3}]' | sort n""");

        Assert.Equal("""[{"n":1},{"n":2}]""", OperableKit.JsonOf(first.Items));
        Assert.Equal("""[{"n":3},{"n":4}]""", OperableKit.JsonOf(second.Items));
        Assert.Equal(0, _kit.Commands.Collector.Pending);
    }

    [Fact]
    public async Task Info_reports_versions_and_the_instance()
    {
        var outcome = await _kit.Run("info");

        var item = Assert.IsType<ObjectValue>(Assert.Single(outcome.Items));
        Assert.Equal("info", outcome.Template);
        Assert.True(item.TryGetMember("cog_version", out var version) && version == new StringValue("1.2.3"));
        Assert.True(item.TryGetMember("embedded_bundle_version", out var bundle) && bundle == new StringValue(OperableKit.Operable.Version));
        Assert.True(item.TryGetMember("bundle_config_version", out var config) && config == new IntValue(6));
        Assert.True(item.TryGetMember("instance", out var instance) && instance == new StringValue("cog-test"));
    }
}
