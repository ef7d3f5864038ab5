using Cog.Runtime.Administration;
using Cog.Runtime.Tests.Identity;

namespace Cog.Runtime.Tests.Administration;

public class GroupAdministrationTests
{
    static CancellationToken Ct => IdentityWorld.Ct;

    static AdminActor Alice => IdentityWorld.Alice;

    [Fact]
    public async Task Groups_are_created_renamed_and_deleted_by_id_or_name_and_each_change_is_audited()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        var created = (await world.Groups.CreateAsync(Alice, "ops", Ct)).GetValueOrThrow();
        var renamed = (await world.Groups.RenameAsync(Alice, created.Group.Id, "sre", Ct)).GetValueOrThrow();
        var deleted = await world.Groups.DeleteAsync(Alice, "sre", Ct);

        Assert.Equal("sre", renamed.Group.Name);
        Assert.True(deleted.IsSuccess);
        Assert.Empty(await world.Groups.ListAsync(Ct));
        Assert.Single(await world.AuditAsync("group.created"));
        Assert.Single(await world.AuditAsync("group.renamed"), static r => r.Command == "group:sre" && r.PayloadJson.Contains("\"previous_name\":\"ops\"", StringComparison.Ordinal));
        Assert.Single(await world.AuditAsync("group.deleted"));
        Assert.Equal(1, world.Changes.Grants);
    }

    [Theory]
    [InlineData("", "can't be blank")]
    [InlineData("two words", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("nul\u0000", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData(".hidden", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("ops", "has already been taken")]
    public async Task Invalid_names_are_field_errors(string name, string message)
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.Groups.CreateAsync(Alice, "ops", Ct);

        Assert.Equal([message], (await world.Groups.CreateAsync(Alice, name, Ct)).Error?.Fields?["name"]);
    }

    [Fact]
    public async Task A_name_longer_than_128_characters_is_refused_and_128_accepted()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        var huge = await world.Groups.CreateAsync(Alice, new string('g', 900 * 1024), Ct);
        var longest = await world.Groups.CreateAsync(Alice, new string('g', 128), Ct);

        Assert.Equal(["should be at most 128 character(s)"], huge.Error?.Fields?["name"]);
        Assert.True(longest.IsSuccess);
    }

    [Fact]
    public async Task The_admin_group_cannot_be_renamed_or_deleted()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();

        Assert.Equal("The cog-admin group cannot be renamed", (await world.Groups.RenameAsync(Alice, "cog-admin", "admins", Ct)).Error?.Message);
        Assert.Equal("The cog-admin group cannot be deleted", (await world.Groups.DeleteAsync(Alice, "cog-admin", Ct)).Error?.Message);
    }

    [Fact]
    public async Task A_group_with_members_cannot_be_deleted()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");
        await world.Groups.CreateAsync(Alice, "ops", Ct);
        await world.Groups.ChangeMembersAsync(Alice, "ops", ["bob"], null, Ct);

        var deleted = await world.Groups.DeleteAsync(Alice, "ops", Ct);

        Assert.Equal(AdminErrorKind.Refused, deleted.Error?.Kind);
        Assert.Equal("Group 'ops' cannot be deleted: it has members", deleted.Error?.Message);
    }

    [Fact]
    public async Task Members_are_added_and_removed_by_username_and_each_change_is_audited()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");
        await world.UserAsync("carol");
        await world.Groups.CreateAsync(Alice, "ops", Ct);

        var added = (await world.Groups.ChangeMembersAsync(Alice, "ops", ["bob", "carol", "bob"], null, Ct)).GetValueOrThrow();
        var changed = (await world.Groups.ChangeMembersAsync(Alice, "ops", ["bob"], ["carol"], Ct)).GetValueOrThrow();

        Assert.Equal(["bob", "carol"], added.Members.Select(static m => m.Username));
        Assert.Equal(["bob"], changed.Members.Select(static m => m.Username));
        Assert.Equal(2, (await world.AuditAsync("group.member_added")).Count);
        Assert.Single(await world.AuditAsync("group.member_removed"), static r => r.PayloadJson.Contains("\"user\":\"carol\"", StringComparison.Ordinal));
        Assert.Equal(2, world.Changes.Grants);
    }

    [Fact]
    public async Task Unknown_usernames_change_nothing_and_are_all_named()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");
        await world.Groups.CreateAsync(Alice, "ops", Ct);

        var result = await world.Groups.ChangeMembersAsync(Alice, "ops", ["bob", "eve"], ["mallory"], Ct);

        Assert.Equal(AdminErrorKind.UnknownNames, result.Error?.Kind);
        Assert.Equal("users", result.Error!.NameKind);
        Assert.Equal(["eve", "mallory"], result.Error.Names!);
        Assert.Equal("Unknown users: eve, mallory", result.Error.Message);
        Assert.Empty((await world.Groups.GetAsync("ops", Ct)).GetValueOrThrow().Members);
        Assert.Equal(0, world.Changes.Grants);
    }

    [Fact]
    public async Task Removing_the_last_administrator_is_refused_and_rolls_back_the_whole_change()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();
        await world.UserAsync("bob");

        var result = await world.Groups.ChangeMembersAsync(Alice, "cog-admin", ["bob"], ["admin", "bob"], Ct);

        Assert.Equal("The cog-admin group must have at least one member", result.Error?.Message);
        Assert.Equal(["admin"], (await world.Groups.GetAsync("cog-admin", Ct)).GetValueOrThrow().Members.Select(static m => m.Username));
        Assert.Empty(await world.AuditAsync("group.member_added"));
    }

    [Fact]
    public async Task Roles_are_granted_and_revoked_by_name()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.Groups.CreateAsync(Alice, "ops", Ct);
        await world.Roles.CreateAsync(Alice, "deployer", Ct);
        await world.Roles.CreateAsync(Alice, "viewer", Ct);

        var granted = (await world.Groups.ChangeRolesAsync(Alice, "ops", ["deployer", "viewer"], null, Ct)).GetValueOrThrow();
        var revoked = (await world.Groups.ChangeRolesAsync(Alice, "ops", null, ["viewer"], Ct)).GetValueOrThrow();

        Assert.Equal(["deployer", "viewer"], granted.Roles.Select(static r => r.Name));
        Assert.Equal(["deployer"], revoked.Roles.Select(static r => r.Name));
        Assert.Equal(2, (await world.AuditAsync("group.role_granted")).Count);
        Assert.Single(await world.AuditAsync("group.role_revoked"));
        Assert.Equal("Unknown roles: nope", (await world.Groups.ChangeRolesAsync(Alice, "ops", ["nope"], null, Ct)).Error?.Message);
        Assert.Equal("Group not found", (await world.Groups.ChangeRolesAsync(Alice, "nope", ["viewer"], null, Ct)).Error?.Message);
    }

    [Fact]
    public async Task The_admin_role_cannot_be_revoked_from_the_admin_group()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();

        var result = await world.Groups.ChangeRolesAsync(Alice, "cog-admin", null, ["cog-admin"], Ct);

        Assert.Equal("The cog-admin role cannot be revoked from the cog-admin group", result.Error?.Message);
        Assert.Equal(["cog-admin"], (await world.Groups.GetAsync("cog-admin", Ct)).GetValueOrThrow().Roles.Select(static r => r.Name));
    }
}
