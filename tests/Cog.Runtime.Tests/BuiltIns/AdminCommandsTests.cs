using System.Text.Json;
using Cog.Contracts.Relays;
using Cog.Runtime.Administration;
using Cog.Runtime.BuiltIns;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Tests.Pipeline;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.Tests.BuiltIns;

/// <summary>The administrative chat commands run through the engine with the manifest's rules, over a real SQLite store:
/// they answer the REST API's entities, refuse with the services' messages, record audit records of origin
/// <c>chat</c>, and are denied to users without the permission.</summary>
public sealed class AdminCommandsTests : IAsyncLifetime
{
    RunnerWorld _world = null!;
    PipelineCaller _admin = null!;
    PipelineCaller _nobody = null!;

    public async ValueTask InitializeAsync()
    {
        _world = await RunnerWorld.OpenAsync();
        _admin = await _world.CallerAsync("ada", "operable:manage_commands", "operable:manage_groups", "operable:manage_permissions",
            "operable:manage_relays", "operable:manage_roles", "operable:manage_triggers", "operable:manage_users");
        _nobody = await _world.CallerAsync("nobody");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    async Task<JsonElement[]> Ok(string text, PipelineCaller? caller = null)
    {
        var outcome = await _world.RunAsync(caller ?? _admin, text);
        Assert.True(outcome.Status == PipelineStatus.Succeeded, $"{text}: {outcome.Status} {outcome.Message}");
        return [.. outcome.Items.Select(static i => JsonDocument.Parse(i.ToJson()).RootElement.Clone())];
    }

    async Task<string?> Error(string text, PipelineCaller? caller = null)
    {
        var outcome = await _world.RunAsync(caller ?? _admin, text);
        Assert.Equal(PipelineStatus.ExecutionFailed, outcome.Status);
        return outcome.Message;
    }

    async Task<string?> Denied(string text)
    {
        var outcome = await _world.RunAsync(_nobody, text);
        Assert.NotEqual(PipelineStatus.Succeeded, outcome.Status);
        return outcome.Message;
    }

    /// <summary>The single audit record of <paramref name="kind"/>: made by ada through chat.</summary>
    async Task<Runtime.Audit.AuditRecord> AuditedByChat(string kind, string subject)
    {
        var record = Assert.Single(await _world.AuditAsync(kind));
        Assert.Equal(("ada", subject), (record.Actor, record.Command));
        using var payload = JsonDocument.Parse(record.PayloadJson);
        Assert.Equal(AdminActor.ChatOrigin, payload.RootElement.GetProperty("origin").GetString());
        return record;
    }

    static string[] Names(JsonElement[] items, string property = "name") => [.. items.Select(i => i.GetProperty(property).GetString()!)];

    [Fact]
    public async Task Roles_are_created_listed_shown_renamed_and_deleted_and_each_change_is_audited_as_chat()
    {
        var created = Assert.Single(await Ok("role create ops"));
        Assert.Equal(["id", "name", "permissions", "groups"], created.EnumerateObject().Select(static p => p.Name));

        Assert.Contains("ops", Names(await Ok("role list")));
        Assert.Equal("ops", Assert.Single(await Ok("role info ops")).GetProperty("name").GetString());
        Assert.Equal("operators", Assert.Single(await Ok("role rename ops operators")).GetProperty("name").GetString());
        Assert.Equal("operators", Assert.Single(await Ok("role delete operators")).GetProperty("name").GetString());

        Assert.Equal(IdentityMessages.RoleNotFound, await Error("role info operators"));
        await AuditedByChat("role.created", "role:ops");
        await AuditedByChat("role.deleted", "role:operators");
    }

    [Fact]
    public async Task Commands_check_their_number_of_arguments()
    {
        Assert.Equal("Not enough args. Arguments required: exactly 1.", await Error("role create"));
        Assert.Equal("Too many args. Arguments required: exactly 2.", await Error("role rename a b c"));
        Assert.Equal("Not enough args. Arguments required: minimum of 2.", await Error("group member add eng"));
        Assert.Equal("Too many args. Arguments required: maximum of 2.", await Error("bundle enable a b c"));
    }

    [Fact]
    public async Task Each_group_of_commands_is_denied_without_its_permission()
    {
        foreach (var (text, permission) in new[]
        {
            ("bundle list", "manage_commands"), ("rule list", "manage_commands"), ("permission list", "manage_permissions"),
            ("role list", "manage_roles"), ("group list", "manage_groups"), ("user list", "manage_users"), ("relay list", "manage_relays"),
            ("relay-group list", "manage_relays"), ("trigger list", "manage_triggers"),
        })
        {
            var message = await Denied(text);
            Assert.Contains($"operable:{permission}", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("operable:manage_permissions")]
    [InlineData("operable:manage_roles")]
    public async Task Permission_grant_needs_either_permission(string permission)
    {
        var granter = await _world.CallerAsync("granter", permission);
        await Ok("permission create site:deploy");
        await Ok("role create deployers");

        var role = Assert.Single(await Ok("permission grant site:deploy deployers", granter));

        Assert.Equal(["deploy"], Names([.. role.GetProperty("permissions").EnumerateArray()]));
        Assert.Equal("site", role.GetProperty("permissions")[0].GetProperty("bundle").GetString());
        Assert.Empty(Assert.Single(await Ok("permission revoke site:deploy deployers", granter)).GetProperty("permissions").EnumerateArray());
    }

    [Fact]
    public async Task Permissions_are_created_listed_shown_and_deleted()
    {
        Assert.Equal(["id", "name", "bundle"], Assert.Single(await Ok("permission create site:deploy")).EnumerateObject().Select(static p => p.Name));
        Assert.Contains("deploy", Names(await Ok("permission list")));
        Assert.Equal("deploy", Assert.Single(await Ok("permission info site:deploy")).GetProperty("name").GetString());
        Assert.Equal("deploy", Assert.Single(await Ok("permission delete site:deploy")).GetProperty("name").GetString());

        Assert.Equal(IdentityMessages.DeleteOutsideSite, await Error("permission delete operable:manage_users"));
        await AuditedByChat("permission.created", "permission:site:deploy");
        Assert.Single(await _world.AuditAsync("permission.deleted"));
    }

    [Fact]
    public async Task Groups_get_members_and_roles_and_the_last_change_is_refused_with_the_services_message()
    {
        await _world.CallerAsync("bob");
        var created = Assert.Single(await Ok("group create eng"));
        Assert.Equal(["id", "name", "members", "roles"], created.EnumerateObject().Select(static p => p.Name));
        await Ok("role create ops");

        var withMember = Assert.Single(await Ok("group member add eng bob"));
        Assert.Equal(["bob"], Names([.. withMember.GetProperty("members").GetProperty("users").EnumerateArray()], "username"));
        var withRole = Assert.Single(await Ok("group role add eng ops"));
        Assert.Equal(["ops"], Names([.. withRole.GetProperty("roles").EnumerateArray()]));
        Assert.Empty(Assert.Single(await Ok("role revoke ops eng")).GetProperty("roles").EnumerateArray());
        Assert.Equal(["ops"], Names([.. Assert.Single(await Ok("role grant ops eng")).GetProperty("roles").EnumerateArray()]));

        Assert.Equal("Unknown users: carol", await Error("group member add eng carol"));
        Assert.Contains("eng", Names(await Ok("group list")));
        Assert.Equal("engineers", Assert.Single(await Ok("group rename eng engineers")).GetProperty("name").GetString());
        Assert.Equal(Storage.StoreErrors.GroupHasMembers("engineers"), await Error("group delete engineers"));
        await Ok("group member remove engineers bob");
        Assert.Equal("engineers", Assert.Single(await Ok("group delete engineers")).GetProperty("name").GetString());
        Assert.Equal(IdentityMessages.GroupNotFound, await Error("group info engineers"));
        await AuditedByChat("group.created", "group:eng");
    }

    [Fact]
    public async Task Group_membership_needs_manage_groups_or_manage_users()
    {
        var userManager = await _world.CallerAsync("um", "operable:manage_users");
        await _world.CallerAsync("bob");
        await Ok("group create eng");

        Assert.Single(await Ok("group member add eng bob", userManager));
        var denied = await Denied("group member add eng bob");
        Assert.StartsWith("Sorry, you aren't allowed to execute 'operable:group-member-add eng bob'.", denied, StringComparison.Ordinal);
        Assert.Contains("'operable:manage_", denied, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_are_listed_and_shown_and_handles_work_on_the_callers_provider()
    {
        await _world.CallerAsync("bob");

        Assert.Contains("bob", Names(await Ok("user list"), "username"));
        var bob = Assert.Single(await Ok("user info bob"));
        Assert.Equal(["id", "username", "first_name", "last_name", "email_address", "groups", "chat_handles"], bob.EnumerateObject().Select(static p => p.Name));

        var handle = Assert.Single(await Ok("user attach-handle bob bob"));
        Assert.Equal(("bob", "slack", "U0BOB", "bob"), (handle.GetProperty("handle").GetString(), handle.GetProperty("chat_provider").GetProperty("name").GetString(),
            handle.GetProperty("chat_provider_user_id").GetString(), handle.GetProperty("user").GetProperty("username").GetString()));
        Assert.Equal(["bob"], Names(await Ok("user list-handles"), "handle"));
        Assert.Equal("User with handle 'ghost' not found", await Error("user attach-handle bob ghost"));
        Assert.Equal("bob", Assert.Single(await Ok("user detach-handle bob")).GetProperty("handle").GetString());
        Assert.Equal(IdentityMessages.UserNotFound, await Error("user info carol"));
        await AuditedByChat("chat_handle.attached", "user:bob");
    }

    [Fact]
    public async Task Bundles_are_listed_shown_disabled_and_enabled_and_cannot_be_installed_from_chat()
    {
        await _world.Store.InstallAsync(Bundles.StoreWorld.Manifest(), enable: true);

        Assert.Equal(["deploy", "operable"], Names(await Ok("bundle list")).Order(StringComparer.Ordinal));
        var info = Assert.Single(await Ok("bundle info deploy"));
        Assert.Equal(["id", "name", "enabled_version", "versions", "relay_groups", "inserted_at"], info.EnumerateObject().Select(static p => p.Name));
        Assert.Equal(["1.0.0"], Names(await Ok("bundle versions deploy"), "version"));

        Assert.Equal(JsonValueKind.Null, Assert.Single(await Ok("bundle disable deploy")).GetProperty("enabled_version").ValueKind);
        Assert.Equal(AdminMessages.BundleAlreadyDisabled("deploy"), await Error("bundle disable deploy"));
        Assert.Equal("1.0.0", Assert.Single(await Ok("bundle enable deploy")).GetProperty("enabled_version").GetProperty("version").GetString());
        Assert.Equal(BuiltInMessages.BundleInstallUnavailable, await Error("bundle install heroku"));
        Assert.Equal("ada", Assert.Single(await _world.AuditAsync(AdminAuditKinds.BundleDisabled)).Actor);
        Assert.Contains("\"origin\":\"chat\"", Assert.Single(await _world.AuditAsync(AdminAuditKinds.BundleEnabled)).PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_are_created_listed_shown_and_deleted()
    {
        await Ok("permission create site:echoer");

        var rule = Assert.Single(await Ok("rule create operable:echo site:echoer"));
        Assert.Equal(("when command is operable:echo must have site:echoer", "operable:echo"),
            (rule.GetProperty("rule").GetString(), rule.GetProperty("command").GetString()));
        var id = rule.GetProperty("id").GetString();

        Assert.Contains(id, Names(await Ok("rule list operable:echo"), "id"));
        Assert.Contains(id, Names(await Ok("rule list"), "id"));
        Assert.Equal(id, Assert.Single(await Ok($"rule info {id}")).GetProperty("id").GetString());
        Assert.Equal(AdminMessages.RuleUnrecognizedPermission("site:nope"), await Error("rule create 'when command is operable:echo must have site:nope'"));
        Assert.Equal(id, Assert.Single(await Ok($"rule delete {id}")).GetProperty("id").GetString());
        Assert.Equal(AdminMessages.RuleNotFound(id!), await Error($"rule info {id}"));
        Assert.Equal("ada", Assert.Single(await _world.AuditAsync(AdminAuditKinds.RuleCreated)).Actor);
    }

    [Fact]
    public async Task Relay_info_adds_the_isolation_the_relay_reported_live()
    {
        var lab = await _world.Store.RelayAsync("lab");
        Assert.False(Assert.Single(await Ok("relay info lab")).TryGetProperty("isolation", out _));

        _world.LiveRelays.ApplyStatus(lab.Id, new RelayStatus(lab.Id, "i-1", RelayState.Online, "1.3.0", [], 4, 0,
            [new RelayIsolationMechanism("bubblewrap", true, "/usr/bin/bwrap"), new RelayIsolationMechanism("separate-user", false, "the relay does not run as root")]));
        var shown = Assert.Single(await Ok("relay info lab"));

        Assert.Equal(["id", "name", "description", "enabled", "groups", "inserted_at", "isolation"], shown.EnumerateObject().Select(static p => p.Name));
        Assert.Equal(
            ["bubblewrap True /usr/bin/bwrap", "separate-user False the relay does not run as root"],
            shown.GetProperty("isolation").EnumerateArray()
                .Select(m => $"{m.GetProperty("name").GetString()} {m.GetProperty("available").GetBoolean()} {m.GetProperty("detail").GetString()}"));
    }

    [Fact]
    public async Task Relay_info_adds_each_difference_between_what_the_relay_announced_and_what_it_was_assigned()
    {
        var lab = await _world.Store.RelayAsync("lab");
        await _world.Store.RelayGroupAsync("lab-group");
        await _world.Store.InstallAsync(Bundles.StoreWorld.Manifest(), enable: true);
        (await _world.Store.Registry.AddRelayAsync("lab-group", "lab", RunnerWorld.Ct)).GetValueOrThrow();
        (await _world.Store.Registry.AssignAsync("lab-group", "deploy", RunnerWorld.Ct)).GetValueOrThrow();
        var installed = Assert.Single(await _world.Store.Registry.ComputeAssignmentsAsync(lab.Id, RunnerWorld.Ct)).Digest;
        _world.LiveRelays.ApplyStatus(lab.Id, new RelayStatus(lab.Id, "i-1", RelayState.Online, "1.3.0", [], 4, 0));
        _world.LiveRelays.ApplyAnnouncement(lab.Id, new BundleAnnouncement(lab.Id, "i-1", 1, [new AnnouncedBundle("deploy", "1.0.0", Relays.Some.OtherDigest)], []));

        var shown = Assert.Single(await Ok("relay info lab"));

        var problem = Assert.Single(shown.GetProperty("problems").EnumerateArray().ToList());
        Assert.Equal(("digest_mismatch", "deploy", "1.0.0"),
            (problem.GetProperty("kind").GetString(), problem.GetProperty("bundle").GetString(), problem.GetProperty("version").GetString()));
        Assert.Equal($"deploy 1.0.0: the relay holds digest {Relays.Some.OtherDigest}, the server installed {installed}; nothing is routed to it",
            problem.GetProperty("message").GetString());

        _world.LiveRelays.ApplyAnnouncement(lab.Id, new BundleAnnouncement(lab.Id, "i-1", 2, [new AnnouncedBundle("deploy", "1.0.0", installed)], []));
        Assert.False(Assert.Single(await Ok("relay info lab")).TryGetProperty("problems", out _));
    }

    [Fact]
    public async Task Relays_are_listed_shown_and_updated_without_tokens()
    {
        await _world.Store.RelayAsync("lab");

        var relay = Assert.Single(await Ok("relay list"));
        Assert.Equal(["id", "name", "description", "enabled", "groups", "inserted_at"], relay.EnumerateObject().Select(static p => p.Name));
        Assert.Equal("lab", Assert.Single(await Ok("relay info lab -g -v")).GetProperty("name").GetString());
        var updated = Assert.Single(await Ok("relay update lab --name lab-1 --description 'In the lab'"));
        Assert.Equal(("lab-1", "In the lab"), (updated.GetProperty("name").GetString(), updated.GetProperty("description").GetString()));
        Assert.Equal(BuiltInMessages.RelayUpdateNothing, await Error("relay update lab-1"));
        Assert.Equal("ada", Assert.Single(await _world.AuditAsync(AdminAuditKinds.RelayUpdated)).Actor);
        Assert.Equal("Command 'relay-create' not found in any installed bundle.", (await _world.RunAsync(_admin, "relay-create x")).Message);
    }

    [Fact]
    public async Task Relay_groups_are_created_filled_assigned_renamed_and_deleted()
    {
        await _world.Store.RelayAsync("lab");
        await _world.Store.InstallAsync(Bundles.StoreWorld.Manifest(), enable: true);

        var created = Assert.Single(await Ok("relay-group create lab-group"));
        Assert.Equal(["id", "name", "description", "relays", "bundles", "inserted_at"], created.EnumerateObject().Select(static p => p.Name));
        Assert.Equal(["lab"], Names([.. Assert.Single(await Ok("relay-group member add lab-group lab")).GetProperty("relays").EnumerateArray()]));
        Assert.Equal(["deploy"], Names([.. Assert.Single(await Ok("relay-group member assign lab-group deploy")).GetProperty("bundles").EnumerateArray()]));
        Assert.Equal(AdminMessages.RelaysNotFound(["ghost"]), await Error("relay-group member add lab-group ghost"));
        Assert.Empty(Assert.Single(await Ok("relay-group member unassign lab-group deploy")).GetProperty("bundles").EnumerateArray());
        Assert.Empty(Assert.Single(await Ok("relay-group member remove lab-group lab")).GetProperty("relays").EnumerateArray());
        Assert.Equal(["lab-group"], Names(await Ok("relay-group list")));
        Assert.Equal("lab", Assert.Single(await Ok("relay-group rename lab-group lab")).GetProperty("name").GetString());
        Assert.Single(await Ok("relay-group info lab"));
        Assert.Single(await Ok("relay-group delete lab"));
        Assert.Empty(await _world.Services.RelayGroups.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal("ada", Assert.Single(await _world.AuditAsync(AdminAuditKinds.RelayGroupCreated)).Actor);
    }

    [Fact]
    public async Task Triggers_are_created_updated_disabled_listed_and_deleted()
    {
        var created = Assert.Single(await Ok("trigger create greet 'echo hello' -d 'A greeting' -t 10"));
        Assert.Equal(["id", "name", "pipeline", "description", "as_user", "timeout_sec", "enabled", "allow_cross_origin", "invocation_url"],
            created.EnumerateObject().Select(static p => p.Name));
        Assert.False(created.GetProperty("allow_cross_origin").GetBoolean());
        Assert.Equal(("echo hello", "A greeting", 10, true), (created.GetProperty("pipeline").GetString(), created.GetProperty("description").GetString(),
            created.GetProperty("timeout_sec").GetInt32(), created.GetProperty("enabled").GetBoolean()));
        Assert.Equal($"https://cog.example.com/v1/triggers/{created.GetProperty("id").GetString()}", created.GetProperty("invocation_url").GetString());

        Assert.Equal("echo hi", Assert.Single(await Ok("trigger update greet -p 'echo hi' -u ada")).GetProperty("pipeline").GetString());
        Assert.False(Assert.Single(await Ok("trigger disable greet")).GetProperty("enabled").GetBoolean());
        Assert.True(Assert.Single(await Ok("trigger enable greet")).GetProperty("enabled").GetBoolean());
        Assert.Equal("ada", Assert.Single(await Ok("trigger info greet")).GetProperty("as_user").GetString());
        Assert.True(Assert.Single(await Ok("trigger update greet --allow-cross-origin")).GetProperty("allow_cross_origin").GetBoolean());
        Assert.False(Assert.Single(await Ok("trigger update greet --allow-cross-origin=false")).GetProperty("allow_cross_origin").GetBoolean());
        Assert.Equal(["greet"], Names(await Ok("trigger list")));
        Assert.Equal($"timeout_sec {TriggerErrors.NotPositive}", await Error("trigger create other 'echo' -t 0"));
        Assert.Equal(["greet"], Names(await Ok("trigger delete greet")));
        Assert.Equal(TriggerErrors.NotFound, await Error("trigger info greet"));
        await AuditedByChat("trigger.created", "trigger:greet");
        Assert.True(Assert.Single(await Ok("trigger create open 'echo' --allow-cross-origin")).GetProperty("allow_cross_origin").GetBoolean());
    }
}
