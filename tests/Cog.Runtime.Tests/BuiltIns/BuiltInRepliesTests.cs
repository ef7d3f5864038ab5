using System.Text.Json;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Tests.Bundles;
using Cog.Runtime.Tests.Pipeline;
using Cog.Testing.Rendering;

namespace Cog.Runtime.Tests.BuiltIns;

/// <summary>Every built-in command's chat reply, composed by the real composer from the <c>operable</c> bundle's templates
/// as installed, reads as a sentence, fields, a card or a table — never JSON. The expected texts are Cog 1.0's
/// (operable/cog priv/templates/embedded/*.greenbar and lib/cog/commands/which.ex), with our values.</summary>
public sealed class BuiltInRepliesTests : IAsyncLifetime
{
    /// <summary><c>raw</c> shows the data as JSON: that is what it is for.</summary>
    static readonly HashSet<string> JsonByDesign = ["raw"];

    RunnerWorld _world = null!;
    PipelineCaller _admin = null!;
    TemplateReplyComposer _composer = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _admin = await _world.CallerAsync("ada", "operable:manage_commands", "operable:manage_groups", "operable:manage_permissions",
            "operable:manage_relays", "operable:manage_roles", "operable:manage_triggers", "operable:manage_users",
            "operable:manage_site_aliases", "operable:manage_user_pipeline");
        _composer = TestComposers.Over(_world.Store.Store);
        await _world.CallerAsync("bob");
        await _world.Store.RelayAsync("lab-1");
        await _world.Store.InstallAsync(StoreWorld.Manifest(), enable: true);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<(PipelineOutcome Outcome, string Text)> ChatAsync(string pipeline)
    {
        var outcome = await _world.RunAsync(_admin, pipeline);
        var reply = await _composer.ComposeAsync(outcome, new ReplyContext(pipeline, "@ada", DateTimeOffset.UnixEpoch), RunnerWorld.Ct);
        return (outcome, PlainTextFormatter.Format(reply));
    }

    static bool LooksLikeJson(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Contains("\"id\":", StringComparison.Ordinal) || trimmed.Contains("\"name\":", StringComparison.Ordinal))
            return true;
        try
        {
            using var document = JsonDocument.Parse(trimmed);
            return document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Every_built_in_command_answers_in_chat_with_text_never_json()
    {
        var first = (await ChatAsync("echo first")).Outcome.PipelineId;
        var invocations = new List<(string Command, string Pipeline)>
        {
            ("info", "info"), ("which", "which echo"), ("help", "help"), ("help", "help deploy"), ("help", "help echo"),
            ("echo", "echo hello"), ("seed", """seed '[{"a": 1}, {"a": 2}]'"""), ("raw", "echo foo | raw"),
            ("filter", """seed '[{"a": 1}, {"b": 2}]' | filter --path=a"""), ("sort", """seed '[{"a": 2}, {"a": 1}]' | sort a"""),
            ("unique", """seed '[{"a": 1}, {"a": 1}]' | unique"""), ("count", """seed '[{"a": 1}, {"a": 1}]' | count"""),
            ("min", """seed '[{"a": 2}, {"a": 1}]' | min a"""), ("max", """seed '[{"a": 2}, {"a": 1}]' | max a"""),
            ("tee", """seed '[{"a": 2}, {"a": 1}]' | tee saved"""), ("cat", "cat saved"), ("sleep", """seed '{"a": 1}' | sleep 0"""),
            ("abort-when", """seed '{"f": 0}' | abort-when $f"""), ("history", "history"),
            ("pipeline-list", "pipeline-list"), ("pipeline-info", $"pipeline-info {first}"), ("pipeline-kill", $"pipeline-kill {first}"),
            ("alias-create", "alias create my-alias \"echo my alias\""), ("alias-info", "alias info my-alias"), ("alias-list", "alias list"),
            ("alias-move", "alias move my-alias renamed"), ("alias-delete", "alias delete renamed"),
            ("bundle-list", "bundle list"), ("bundle-info", "bundle info deploy"), ("bundle-versions", "bundle versions deploy"),
            ("bundle-disable", "bundle disable deploy"), ("bundle-enable", "bundle enable deploy"), ("bundle-install", "bundle install x"),
            ("permission-create", "permission create site:deployer"), ("permission-list", "permission list"),
            ("permission-info", "permission info site:deployer"),
            ("role-create", "role create ops"), ("role-list", "role list"), ("role-info", "role info ops"),
            ("permission-grant", "permission grant site:deployer ops"), ("permission-revoke", "permission revoke site:deployer ops"),
            ("group-create", "group create engineers"), ("group-list", "group list"), ("group-info", "group info engineers"),
            ("role-grant", "role grant ops engineers"), ("role-revoke", "role revoke ops engineers"),
            ("group-role-add", "group role add engineers ops"), ("group-role-remove", "group role remove engineers ops"),
            ("group-member-add", "group member add engineers bob"), ("group-member-remove", "group member remove engineers bob"),
            ("group-rename", "group rename engineers eng"), ("group-delete", "group delete eng"),
            ("role-rename", "role rename ops operators"), ("role-delete", "role delete operators"),
            ("rule-create", "rule create deploy:release site:deployer"), ("rule-list", "rule list deploy:release"),
            ("user-list", "user list"), ("user-info", "user info bob"), ("user-attach-handle", "user attach-handle bob bob"),
            ("user-list-handles", "user list-handles"), ("user-detach-handle", "user detach-handle bob"),
            ("relay-list", "relay list"), ("relay-info", "relay info lab-1"), ("relay-update", "relay update lab-1 --description \"In the lab\""),
            ("relay-group-create", "relay-group create lab"), ("relay-group-list", "relay-group list"), ("relay-group-info", "relay-group info lab"),
            ("relay-group-member-add", "relay-group member add lab lab-1"), ("relay-group-member-remove", "relay-group member remove lab lab-1"),
            ("relay-group-member-assign", "relay-group member assign lab deploy"),
            ("relay-group-member-unassign", "relay-group member unassign lab deploy"),
            ("relay-group-rename", "relay-group rename lab lab2"), ("relay-group-delete", "relay-group delete lab2"),
            ("trigger-create", "trigger create my-trigger \"echo hi\""), ("trigger-list", "trigger list"), ("trigger-info", "trigger info my-trigger"),
            ("trigger-update", "trigger update my-trigger -d \"A greeting\""), ("trigger-disable", "trigger disable my-trigger"),
            ("trigger-enable", "trigger enable my-trigger"), ("trigger-delete", "trigger delete my-trigger"),
        };
        var failures = new List<string>();
        foreach (var (command, pipeline) in invocations.ToList())
        {
            var (outcome, text) = await ChatAsync(pipeline);
            if (command == "rule-create" && outcome.Status == PipelineStatus.Succeeded)
            {
                var id = JsonDocument.Parse(outcome.Items[0].ToJson()).RootElement.GetProperty("id").GetString();
                invocations.Add(("rule-info", $"rule info {id}"));
                invocations.Add(("rule-delete", $"rule delete {id}"));
                failures.AddRange(await CheckAsync("rule-info", $"rule info {id}"));
                failures.AddRange(await CheckAsync("rule-delete", $"rule delete {id}"));
            }
            if (outcome.Status != PipelineStatus.Succeeded && command != "bundle-install")
                failures.Add($"{pipeline}: {outcome.Status} {outcome.Message}");
            else if (LooksLikeJson(text) != JsonByDesign.Contains(command))
                failures.Add($"{pipeline}:\n{text}");
        }
        invocations.Add(("permission-delete", "permission delete site:deployer"));
        failures.AddRange(await CheckAsync("permission-delete", "permission delete site:deployer"));

        Assert.Empty(failures);
        Assert.Equal(OperableKit.Operable.Commands.Select(static c => c.Name).Order(StringComparer.Ordinal),
            invocations.Select(static i => i.Command).Distinct().Order(StringComparer.Ordinal));
    }

    async Task<IEnumerable<string>> CheckAsync(string command, string pipeline)
    {
        var (outcome, text) = await ChatAsync(pipeline);
        if (outcome.Status != PipelineStatus.Succeeded)
            return [$"{pipeline}: {outcome.Status} {outcome.Message}"];
        return LooksLikeJson(text) ? [$"{command} {pipeline}:\n{text}"] : [];
    }
}

/// <summary>The replies whose wording Cog 1.0's users know, exactly (the Cog 1.0 template each follows is named).</summary>
public sealed class BuiltInReplyTextsTests : IAsyncLifetime
{
    RunnerWorld _world = null!;
    PipelineCaller _admin = null!;
    TemplateReplyComposer _composer = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _admin = await _world.CallerAsync("ada", "operable:manage_groups", "operable:manage_users", "operable:manage_roles",
            "operable:manage_commands", "operable:manage_relays");
        _composer = TestComposers.Over(_world.Store.Store);
        await _world.CallerAsync("bob");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<string> ChatAsync(string pipeline)
    {
        var outcome = await _world.RunAsync(_admin, pipeline);
        var reply = await _composer.ComposeAsync(outcome, new ReplyContext(pipeline, "@ada", DateTimeOffset.UnixEpoch), RunnerWorld.Ct);
        return PlainTextFormatter.Format(reply);
    }

    [Theory]
    // alias-create.greenbar, alias-info.greenbar, alias-move.greenbar, alias-delete.greenbar
    [InlineData("alias create my-alias \"echo x\"", "Created alias 'user:my-alias'")]
    // user-group-delete.greenbar and group-delete.greenbar say "user group"; group-create as the issue quotes it
    [InlineData("group create ops", "Created user group 'ops'")]
    // role-create.greenbar (inline code shows as is in plain text)
    [InlineData("role create deployers", "Created role deployers")]
    // lib/cog/commands/which.ex moduledoc: "command - operable:an-awesome-command", "No matching commands or aliases."
    [InlineData("which echo", "command - operable:echo")]
    [InlineData("which nothing-here", "No matching commands or aliases.")]
    public async Task A_reply_reads_as_cog_1_s(string pipeline, string expected)
    {
        Assert.Equal(expected, await ChatAsync(pipeline));
    }

    [Fact]
    public async Task Changes_name_what_changed_and_aliases_show_their_pipeline()
    {
        await ChatAsync("group create ops");
        await ChatAsync("role create deployers");
        await ChatAsync("alias create my-alias \"echo x\"");

        // group-member-add.greenbar, group-role-add.greenbar, group-rename.greenbar, alias-move.greenbar
        Assert.Equal("Added user 'bob' to group 'ops'", await ChatAsync("group member add ops bob"));
        Assert.Equal("Added role 'deployers' to group 'ops'", await ChatAsync("group role add ops deployers"));
        Assert.Equal("Renamed group 'ops' to 'operators'", await ChatAsync("group rename ops operators"));
        // which.greenbar: "alias - user:name -> `pipeline`"
        Assert.Equal("alias - user:my-alias -> echo x", await ChatAsync("which my-alias"));
        Assert.Equal("Moved alias 'user:my-alias' to 'user:other'", await ChatAsync("alias move my-alias other"));
        Assert.Equal("Deleted alias 'user:other'", await ChatAsync("alias delete other"));
    }

    [Fact]
    public async Task Relay_info_lists_the_relays_problems_with_their_reasons()
    {
        // relay-info.greenbar's fields, then our addition: what the relay announced against what it was assigned
        var lab = await _world.Store.RelayAsync("lab");
        await _world.Store.RelayGroupAsync("lab-group");
        await _world.Store.InstallAsync(Bundles.StoreWorld.Manifest(), enable: true);
        (await _world.Store.Registry.AddRelayAsync("lab-group", "lab", RunnerWorld.Ct)).GetValueOrThrow();
        (await _world.Store.Registry.AssignAsync("lab-group", "deploy", RunnerWorld.Ct)).GetValueOrThrow();
        _world.LiveRelays.ApplyStatus(lab.Id, new Contracts.Relays.RelayStatus(lab.Id, "i-1", Contracts.Relays.RelayState.Online, "1.3.0", [], 4, 0));
        _world.LiveRelays.ApplyAnnouncement(lab.Id, new Contracts.Relays.BundleAnnouncement(lab.Id, "i-1", 1, [],
            [new Contracts.Relays.BundleFailure("deploy", "1.0.0", "the package's digest does not match")]));

        var text = await ChatAsync("relay info lab");

        Assert.EndsWith("Relay Groups: lab-group\nProblems:\n\n"
            + "• deploy 1.0.0: assigned, but the relay does not announce it. The relay reports: the package's digest does not match", text,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Info_is_the_cog_system_information_card()
    {
        // info.greenbar: a bold title, then a blue attachment of "**Cog Version:** ..." fields
        var text = await ChatAsync("info");

        Assert.StartsWith("Cog System Information\n", text, StringComparison.Ordinal);
        Assert.Contains("Cog Version: ", text, StringComparison.Ordinal);
        Assert.Contains("Embedded Bundle Version: 1.0.0", text, StringComparison.Ordinal);
        Assert.Contains("Bundle Config Version: 6", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_pages_are_markdown_without_literal_fences()
    {
        var bundles = await ChatAsync("help");
        var command = await ChatAsync("help echo");
        var git = await ChatAsync("help rule create");

        Assert.Contains("Enabled Bundles\n\n• operable - Core chat commands for Cog", bundles, StringComparison.Ordinal);
        Assert.StartsWith("Name\noperable:echo - Repeats whatever it is passed", command, StringComparison.Ordinal);
        Assert.StartsWith("Name\noperable:rule-create - Creates a rule", git, StringComparison.Ordinal);
        Assert.DoesNotContain("```", bundles + command + git, StringComparison.Ordinal);
    }
}
