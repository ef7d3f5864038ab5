using Cog.Language.Resolution;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;

namespace Cog.Runtime.Tests.BuiltIns;

public sealed class AliasCommandsTests : IAsyncLifetime
{
    const string ManageSiteAliases = "operable:manage_site_aliases";

    RunnerWorld _world = null!;
    PipelineCaller _alice = null!;
    PipelineCaller _bob = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _alice = await _world.CallerAsync("alice", ManageSiteAliases);
        _bob = await _world.CallerAsync("bob", ManageSiteAliases);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<string> Ok(PipelineCaller caller, string text)
    {
        var outcome = await _world.RunAsync(caller, text);
        Assert.True(outcome.Status == PipelineStatus.Succeeded, outcome.Message);
        return string.Join("\n", outcome.Items.Select(i => i.ToJson()));
    }

    async Task<string?> Error(PipelineCaller caller, string text)
    {
        var outcome = await _world.RunAsync(caller, text);
        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        return outcome.Message;
    }

    static string Alias(string name, string pipeline, string visibility) =>
        $"{{\"name\":\"{name}\",\"pipeline\":\"{pipeline}\",\"visibility\":\"{visibility}\"}}";

    [Fact]
    public async Task A_created_alias_runs_at_once_for_its_owner_only()
    {
        Assert.Equal(Alias("greet", "echo hello", "user"), await Ok(_alice, "alias create greet 'echo hello'"));

        Assert.Equal("{\"body\":[\"hello world\"]}", await Ok(_alice, "greet world"));
        Assert.Equal("Command 'greet' not found in any installed bundle.", (await _world.RunAsync(_bob, "greet")).Message);
    }

    [Fact]
    public async Task Moving_an_alias_to_the_site_makes_it_everybodys_and_is_audited()
    {
        await Ok(_alice, "alias-create greet 'echo hello'");

        var moved = await Ok(_alice, "alias move user:greet site");

        Assert.Equal($"{{\"source\":{Alias("greet", "echo hello", "user")},\"destination\":{Alias("greet", "echo hello", "site")}}}", moved);
        Assert.Equal("{\"body\":[\"hello\"]}", await Ok(_bob, "greet"));
        Assert.Equal("I can't find 'user:greet'. Please try again", await Error(_alice, "alias-info user:greet"));
        var record = Assert.Single(await _world.AuditAsync("alias.moved"));
        Assert.Equal(("alice", "alias:site:greet", "ok"), (record.Actor, record.Command, record.Outcome));
        Assert.Contains("\"from\":\"user:greet\"", record.PayloadJson, StringComparison.Ordinal);
        Assert.Empty(await _world.AuditAsync("alias.created"));
    }

    [Fact]
    public async Task Renaming_keeps_the_visibility_and_a_site_alias_can_come_back_to_the_user()
    {
        await Ok(_alice, "alias-create greet 'echo hello'");
        await Ok(_alice, "alias-move greet site:hello");

        Assert.Equal(
            $"{{\"source\":{Alias("hello", "echo hello", "site")},\"destination\":{Alias("hi", "echo hello", "site")}}}",
            await Ok(_alice, "alias-move site:hello hi"));
        Assert.Equal(
            $"{{\"source\":{Alias("hi", "echo hello", "site")},\"destination\":{Alias("hi", "echo hello", "user")}}}",
            await Ok(_bob, "alias-move site:hi user"));
        Assert.Equal("{\"body\":[\"hello\"]}", await Ok(_bob, "hi"));
        Assert.Equal("Command 'hi' not found in any installed bundle.", (await _world.RunAsync(_alice, "hi")).Message);
        Assert.Equal(3, (await _world.AuditAsync("alias.moved")).Count);
    }

    [Fact]
    public async Task A_user_alias_shadows_the_site_alias_for_info_and_delete()
    {
        await Ok(_bob, "alias-create greet 'echo site'");
        await Ok(_bob, "alias-move greet site");
        await Ok(_alice, "alias-create greet 'echo mine'");

        Assert.Equal(Alias("greet", "echo mine", "user"), await Ok(_alice, "alias-info greet"));
        Assert.Equal(Alias("greet", "echo site", "site"), await Ok(_alice, "alias-info site:greet"));
        Assert.Equal(Alias("greet", "echo mine", "user"), await Ok(_alice, "alias-delete greet"));
        Assert.Equal(Alias("greet", "echo site", "site"), await Ok(_alice, "alias-delete site:greet"));
        Assert.Equal("I can't find 'greet'. Please try again", await Error(_alice, "alias-delete greet"));
        Assert.Single(await _world.AuditAsync("alias.deleted"));
    }

    [Fact]
    public async Task Alias_list_sorts_by_name_and_filters_by_visibility_and_wildcard()
    {
        await Ok(_alice, "alias-create zeta 'echo z'");
        await Ok(_alice, "alias-create my-one 'echo 1'");
        await Ok(_bob, "alias-create my-site 'echo s'");
        await Ok(_bob, "alias-move my-site site");
        await Ok(_bob, "alias-create my-bobs 'echo b'");

        Assert.Equal(
            string.Join("\n", Alias("my-one", "echo 1", "user"), Alias("my-site", "echo s", "site"), Alias("zeta", "echo z", "user")),
            await Ok(_alice, "alias-list"));
        Assert.Equal(string.Join("\n", Alias("my-one", "echo 1", "user"), Alias("my-site", "echo s", "site")), await Ok(_alice, "alias-list my-*"));
        Assert.Equal(Alias("my-site", "echo s", "site"), await Ok(_alice, "alias-list site"));
        Assert.Equal(Alias("my-one", "echo 1", "user"), await Ok(_alice, "alias-list user:*-one"));
        Assert.Equal(Alias("zeta", "echo z", "user"), await Ok(_alice, "alias-list zeta"));
    }

    [Theory]
    [InlineData("alias-list a*b*", "Too many wildcards. You can only include one wildcard in a query")]
    [InlineData("alias-list a.b", "Invalid alias name. Only emoji, letters, numbers, and the following special characters are allowed: *, -, _")]
    [InlineData("alias-list a.*b*", "Too many wildcards. You can only include one wildcard in a query\nInvalid alias name. Only emoji, letters, numbers, and the following special characters are allowed: *, -, _")]
    [InlineData("alias-list a b", "Too many args. Arguments required: maximum of 1.")]
    [InlineData("alias-create greet", "Not enough args. Arguments required: exactly 2.")]
    [InlineData("alias-create greet 'echo' x", "Too many args. Arguments required: exactly 2.")]
    [InlineData("alias-create Greet 'echo hi'", "'Greet' is not a valid alias name. An alias name is written like a command name: a lowercase letter, then letters, digits, '_' or '-' (or an emoji such as :ship:).")]
    [InlineData("alias-create site:greet 'echo hi'", "'site:greet' is not a valid alias name. An alias name is written like a command name: a lowercase letter, then letters, digits, '_' or '-' (or an emoji such as :ship:).")]
    [InlineData("alias-create greet 'echo | | echo'", "The alias's pipeline does not parse (line 1, column 8): syntax error before: \"|\"")]
    [InlineData("alias-info", "Not enough args. Arguments required: exactly 1.")]
    [InlineData("alias-info nothing", "I can't find 'nothing'. Please try again")]
    [InlineData("alias-move nothing site", "I can't find 'nothing'. Please try again")]
    [InlineData("alias-move only", "Not enough args. Arguments required: exactly 2.")]
    public async Task Bad_input_gets_Cogs_messages(string text, string message)
    {
        Assert.Equal(message, await Error(_alice, text));
    }

    [Fact]
    public async Task Taken_names_and_moves_to_the_same_visibility_are_refused_and_change_nothing()
    {
        await Ok(_alice, "alias-create greet 'echo mine'");
        await Ok(_bob, "alias-create greet 'echo site'");
        await Ok(_bob, "alias-move greet site");

        Assert.Equal("name: The alias name is already in use.", await Error(_alice, "alias-create greet 'echo again'"));
        Assert.Equal("name: The alias name is already in use.", await Error(_alice, "alias-move user:greet site"));
        Assert.Equal("Alias is already in the 'user' namespace.", await Error(_alice, "alias-move user:greet user"));
        Assert.Equal("Alias is already in the 'site' namespace.", await Error(_alice, "alias-move site:greet site"));
        Assert.Equal(Alias("greet", "echo mine", "user"), await Ok(_alice, "alias-info user:greet"));
        Assert.Equal(Alias("greet", "echo site", "site"), await Ok(_alice, "alias-info site:greet"));
    }

    [Fact]
    public async Task A_user_without_the_permission_cannot_turn_an_alias_into_a_site_alias_that_hijacks_a_command()
    {
        var mallory = await _world.CallerAsync("mallory");
        var admin = await _world.CallerAsync("root", ManageSiteAliases);
        await Ok(mallory, "alias-create echo 'rtest:secret --force --target=x'");

        var moved = await _world.RunAsync(mallory, "alias-move echo site");

        Assert.NotEqual(PipelineStatus.Succeeded, moved.Status);
        Assert.Contains(ManageSiteAliases, moved.Message, StringComparison.Ordinal);
        var denied = (await _world.AuditAsync("invocation.decided")).Last();
        Assert.Equal(("mallory", "denied"), (denied.Actor, denied.Outcome));
        Assert.Equal("{\"body\":[\"hello\"]}", await Ok(admin, "echo hello"));
    }

    [Fact]
    public async Task Every_change_to_a_site_alias_needs_the_permission_and_names_the_site_alias()
    {
        var admin = _alice;
        var carol = await _world.CallerAsync("carol");
        await Ok(admin, "alias-create greet 'echo hello'");
        await Ok(admin, "alias-move greet site");

        Assert.Contains(ManageSiteAliases, (await _world.RunAsync(carol, "alias-move site:greet hi")).Message, StringComparison.Ordinal);
        Assert.Contains(ManageSiteAliases, (await _world.RunAsync(carol, "alias-move site:greet user")).Message, StringComparison.Ordinal);
        Assert.Contains(ManageSiteAliases, (await _world.RunAsync(carol, "alias-delete site:greet")).Message, StringComparison.Ordinal);
        Assert.Equal("'greet' is a site alias: name it site:greet to change it.", await Error(carol, "alias-delete greet"));
        Assert.Equal("'greet' is a site alias: name it site:greet to change it.", await Error(admin, "alias-move greet hi"));
        Assert.Equal(Alias("greet", "echo hello", "site"), await Ok(carol, "alias-info greet"));
        Assert.Equal(Alias("greet", "echo hello", "site"), await Ok(admin, "alias-delete site:greet"));
    }

    [Fact]
    public async Task A_site_alias_that_shadows_a_command_needs_the_shadow_option()
    {
        var admin = await _world.CallerAsync("root", ManageSiteAliases);
        await Ok(admin, "alias-create echo raw");

        Assert.Equal(
            "A site alias named 'echo' would shadow the command operable:echo for everybody; add --shadow to mean it.",
            await Error(admin, "alias-move echo site"));
        await Ok(admin, "alias-move echo site --shadow");

        Assert.Equal(
            """[{"type":"alias","scope":"site","name":"echo","pipeline":"raw","shadows":["operable:echo"]}]""",
            "[" + await Ok(_alice, "which echo") + "]");
    }

    [Fact]
    public async Task Explain_and_the_audit_record_of_each_invocation_say_which_alias_a_word_came_from()
    {
        var admin = await _world.CallerAsync("root", ManageSiteAliases);
        await Ok(admin, "alias-create greet 'echo hello'");
        await Ok(admin, "alias-move greet site");
        await Ok(_alice, "alias-create hi greet");

        var explanation = await _world.ExplainAsync(_alice, "hi");
        await Ok(_alice, "hi");

        var stage = Assert.Single(explanation.Stages);
        Assert.Equal([new AliasExpansion("hi", AliasVisibility.User), new AliasExpansion("greet", AliasVisibility.Site)], stage.Aliases);
        var decided = (await _world.AuditAsync("invocation.decided")).Last();
        Assert.Contains(
            "\"aliases\":[{\"name\":\"hi\",\"visibility\":\"user\",\"owner\":\"alice\"},{\"name\":\"greet\",\"visibility\":\"site\"}]",
            decided.PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"aliases\":[", (await _world.AuditAsync("pipeline.explained")).Last().PayloadJson, StringComparison.Ordinal);
    }
}
