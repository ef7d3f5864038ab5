using Cog.Runtime.Identity;
using Cog.Runtime.Storage;
using Cog.Runtime.Triggers;

namespace Cog.Storage.Tests.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Users_are_created_found_updated_listed_and_deleted()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");

        Assert.Equal(alice, await Store.Users.GetAsync(alice.Id, Ct));
        Assert.Equal(bob, await Store.Users.FindByUsernameAsync("bob", Ct));
        Assert.Equal(bob, await Store.Users.FindByEmailAsync("bob@example.com", Ct));
        Assert.Null(await Store.Users.FindByUsernameAsync("carol", Ct));

        var renamed = alice with { Username = "alicia", FirstName = null, Active = false };
        Assert.Equal(renamed, (await Store.Users.UpdateAsync(renamed, Ct)).Value);
        Assert.Equal(["alicia", "bob"], (await Store.Users.ListAsync(Ct)).Select(u => u.Username));

        Assert.True((await Store.Users.DeleteAsync(bob.Id, Ct)).IsSuccess);
        Assert.Null(await Store.Users.GetAsync(bob.Id, Ct));
    }

    [Fact]
    public async Task Usernames_and_email_addresses_are_unique()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");

        AssertFailure(await Store.Users.CreateAsync(NewUser("alice"), Ct), StoreErrorKind.Duplicate, "User 'alice' already exists");
        AssertFailure(await Store.Users.CreateAsync(NewUser("carol") with { EmailAddress = "alice@example.com" }, Ct),
            StoreErrorKind.Duplicate, "User 'alice@example.com' already exists");
        AssertFailure(await Store.Users.UpdateAsync(bob with { Username = "alice" }, Ct), StoreErrorKind.Duplicate, "User 'alice' already exists");
        Assert.True((await Store.Users.UpdateAsync(alice with { LastName = "Same name is fine" }, Ct)).IsSuccess);
    }

    [Fact]
    public async Task Unknown_users_are_not_found()
    {
        var ghost = NewUser("ghost");
        AssertFailure(await Store.Users.UpdateAsync(ghost, Ct), StoreErrorKind.NotFound, $"User '{ghost.Id}' does not exist");
        AssertFailure(await Store.Users.DeleteAsync(ghost.Id, Ct), StoreErrorKind.NotFound, $"User '{ghost.Id}' does not exist");
    }

    [Fact]
    public async Task A_user_has_one_handle_per_provider_and_a_handle_has_one_user()
    {
        var alice = await CreateUserAsync("alice");
        var bob = await CreateUserAsync("bob");

        await Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), alice.Id, "slack", "al", "U1"), Ct);
        var replaced = new ChatHandle(StoreId.New(), alice.Id, "slack", "alice", "U1");
        Assert.True((await Store.Users.SetChatHandleAsync(replaced, Ct)).IsSuccess);
        await Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), alice.Id, "http", "alice", "alice"), Ct);

        Assert.Equal(["http", "slack"], (await Store.Users.ListChatHandlesAsync(alice.Id, Ct)).Select(h => h.Provider));
        Assert.Equal(replaced, (await Store.Users.ListChatHandlesAsync(alice.Id, Ct))[1]);
        Assert.Equal(alice, await Store.Users.FindByChatUserAsync("slack", "U1", Ct));
        Assert.Null(await Store.Users.FindByChatUserAsync("slack", "U2", Ct));

        AssertFailure(await Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), bob.Id, "slack", "alice", "U2"), Ct),
            StoreErrorKind.Duplicate, "Another user has claimed this chat handle");
        AssertFailure(await Store.Users.SetChatHandleAsync(new ChatHandle(StoreId.New(), bob.Id, "slack", "bobby", "U1"), Ct),
            StoreErrorKind.Duplicate, "Another user has claimed this chat handle");

        Assert.True((await Store.Users.DeleteChatHandleAsync(alice.Id, "slack", Ct)).IsSuccess);
        AssertFailure(await Store.Users.DeleteChatHandleAsync(alice.Id, "slack", Ct), StoreErrorKind.NotFound, "Chat handle 'slack' does not exist");
        Assert.Single(await Store.Users.ListChatHandlesAsync(null, Ct));
    }

    [Fact]
    public async Task Groups_have_unique_names_members_and_roles()
    {
        var alice = await CreateUserAsync("alice");
        var ops = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "ops"), Ct)).GetValueOrThrow();
        var dev = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "dev"), Ct)).GetValueOrThrow();
        var deployer = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "deployer"), Ct)).GetValueOrThrow();

        AssertFailure(await Store.Groups.CreateAsync(new Group(StoreId.New(), "ops"), Ct), StoreErrorKind.Duplicate, "Group 'ops' already exists");
        AssertFailure(await Store.Groups.RenameAsync(dev.Id, "ops", Ct), StoreErrorKind.Duplicate, "Group 'ops' already exists");
        Assert.Equal(new Group(dev.Id, "devs"), (await Store.Groups.RenameAsync(dev.Id, "devs", Ct)).Value);
        Assert.Equal(["devs", "ops"], (await Store.Groups.ListAsync(Ct)).Select(g => g.Name));

        Assert.True((await Store.Groups.AddMemberAsync(ops.Id, alice.Id, Ct)).IsSuccess);
        Assert.True((await Store.Groups.AddMemberAsync(ops.Id, alice.Id, Ct)).IsSuccess);
        AssertFailure(await Store.Groups.AddMemberAsync(ops.Id, "no-such-user", Ct), StoreErrorKind.NotFound, "User 'no-such-user' does not exist");
        Assert.Equal([alice], await Store.Groups.ListMembersAsync(ops.Id, Ct));
        Assert.Equal([ops], await Store.Groups.ListGroupsOfUserAsync(alice.Id, Ct));

        Assert.True((await Store.Groups.GrantRoleAsync(ops.Id, deployer.Id, Ct)).IsSuccess);
        Assert.Equal([deployer], await Store.Groups.ListRolesAsync(ops.Id, Ct));
        AssertFailure(await Store.Groups.DeleteAsync(ops.Id, Ct), StoreErrorKind.InUse, "Group 'ops' cannot be deleted: it has members");

        await Store.Groups.RemoveMemberAsync(ops.Id, alice.Id, Ct);
        Assert.True((await Store.Groups.DeleteAsync(ops.Id, Ct)).IsSuccess);
        Assert.Null(await Store.Groups.FindByNameAsync("ops", Ct));
    }

    [Fact]
    public async Task A_users_permissions_are_the_union_over_groups_and_roles()
    {
        var alice = await CreateUserAsync("alice");
        var read = (await Store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), "ignored", "read", "ignored"), Ct)).GetValueOrThrow();
        var write = (await Store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), "site", "write", null), Ct)).GetValueOrThrow();
        Assert.Equal(new Permission(read.Id, "site", "read", null), read);
        AssertFailure(await Store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), "site", "read", null), Ct),
            StoreErrorKind.Duplicate, "Permission 'site:read' already exists");

        var reader = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "reader"), Ct)).GetValueOrThrow();
        var writer = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "writer"), Ct)).GetValueOrThrow();
        AssertFailure(await Store.Roles.CreateAsync(new Role(StoreId.New(), "reader"), Ct), StoreErrorKind.Duplicate, "Role 'reader' already exists");
        await Store.Roles.GrantPermissionAsync(reader.Id, read.Id, Ct);
        await Store.Roles.GrantPermissionAsync(writer.Id, read.Id, Ct);
        await Store.Roles.GrantPermissionAsync(writer.Id, write.Id, Ct);
        var g1 = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "g1"), Ct)).GetValueOrThrow();
        var g2 = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "g2"), Ct)).GetValueOrThrow();
        await Store.Groups.GrantRoleAsync(g1.Id, reader.Id, Ct);
        await Store.Groups.GrantRoleAsync(g2.Id, writer.Id, Ct);

        await Store.Groups.AddMemberAsync(g1.Id, alice.Id, Ct);
        Assert.Equal(["site:read"], await Store.Roles.ListUserPermissionsAsync(alice.Id, Ct));
        await Store.Groups.AddMemberAsync(g2.Id, alice.Id, Ct);
        Assert.Equal(["site:read", "site:write"], await Store.Roles.ListUserPermissionsAsync(alice.Id, Ct));
        Assert.Equal([read, write], await Store.Roles.ListPermissionsAsync(writer.Id, Ct));

        await Store.Roles.RevokePermissionAsync(writer.Id, write.Id, Ct);
        Assert.Equal(["site:read"], await Store.Roles.ListUserPermissionsAsync(alice.Id, Ct));
    }

    [Fact]
    public async Task Granted_roles_and_permissions_cannot_be_deleted()
    {
        var read = (await Store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), "site", "read", null), Ct)).GetValueOrThrow();
        var reader = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "reader"), Ct)).GetValueOrThrow();
        var ops = (await Store.Groups.CreateAsync(new Group(StoreId.New(), "ops"), Ct)).GetValueOrThrow();
        await Store.Roles.GrantPermissionAsync(reader.Id, read.Id, Ct);
        await Store.Groups.GrantRoleAsync(ops.Id, reader.Id, Ct);

        AssertFailure(await Store.Permissions.DeleteAsync(read.Id, Ct), StoreErrorKind.InUse,
            "Permission 'site:read' cannot be deleted: it is granted to role 'reader'");
        AssertFailure(await Store.Roles.DeleteAsync(reader.Id, Ct), StoreErrorKind.InUse,
            "Role 'reader' cannot be deleted: it is granted to group 'ops'");

        await Store.Groups.RevokeRoleAsync(ops.Id, reader.Id, Ct);
        Assert.True((await Store.Roles.DeleteAsync(reader.Id, Ct)).IsSuccess);
        Assert.True((await Store.Permissions.DeleteAsync(read.Id, Ct)).IsSuccess);
        Assert.Empty(await Store.Permissions.ListAsync(null, Ct));
    }

    [Fact]
    public async Task The_admin_group_keeps_its_last_member()
    {
        var admin = await CreateUserAsync("admin");
        var other = await CreateUserAsync("other");
        var group = (await Store.Groups.CreateAsync(new Group(StoreId.New(), Group.AdminName), Ct)).GetValueOrThrow();
        await Store.Groups.AddMemberAsync(group.Id, admin.Id, Ct);

        AssertFailure(await Store.Groups.RemoveMemberAsync(group.Id, admin.Id, Ct), StoreErrorKind.Protected, "The cog-admin group must have at least one member");
        AssertFailure(await Store.Users.DeleteAsync(admin.Id, Ct), StoreErrorKind.Protected, "The cog-admin group must have at least one member");

        await Store.Groups.AddMemberAsync(group.Id, other.Id, Ct);
        Assert.True((await Store.Groups.RemoveMemberAsync(group.Id, admin.Id, Ct)).IsSuccess);
    }

    [Fact]
    public async Task A_user_a_trigger_runs_as_cannot_be_deleted()
    {
        var bot = await CreateUserAsync("bot");
        var trigger = (await Store.Triggers.CreateAsync(new Trigger(StoreId.New(), "deploy-hook", "echo hi", null, "bot", 30, true, false), Ct)).GetValueOrThrow();

        AssertFailure(await Store.Users.DeleteAsync(bot.Id, Ct), StoreErrorKind.InUse, "User 'bot' cannot be deleted: trigger 'deploy-hook' runs as this user");

        await Store.Triggers.DeleteAsync(trigger.Id, Ct);
        Assert.True((await Store.Users.DeleteAsync(bot.Id, Ct)).IsSuccess);
    }

    [Fact]
    public async Task Tokens_are_stored_and_found_by_hash_only_and_expire()
    {
        var alice = await CreateUserAsync("alice");
        const string secret = "s3cr3t-token-value-that-must-never-be-stored";
        var hash = ApiTokenHash.Compute(secret);
        var token = (await Store.Tokens.CreateAsync(new ApiToken(StoreId.New(), alice.Id, hash, T0, T0.AddDays(7)), Ct)).GetValueOrThrow();
        var old = (await Store.Tokens.CreateAsync(new ApiToken(StoreId.New(), alice.Id, ApiTokenHash.Compute("old"), T0.AddDays(-8), T0.AddDays(-1)), Ct)).GetValueOrThrow();

        Assert.Equal(token, await Store.Tokens.FindByHashAsync(hash, Ct));
        Assert.Null(await Store.Tokens.FindByHashAsync(secret, Ct));
        Assert.Equal(0L, Convert.ToInt64(await ScalarSqlAsync($"SELECT COUNT(*) FROM api_tokens WHERE token_hash LIKE '%{secret}%'"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([token, old], await Store.Tokens.ListForUserAsync(alice.Id, Ct));
        AssertFailure(await Store.Tokens.CreateAsync(new ApiToken(StoreId.New(), "nobody", hash, T0, T0), Ct), StoreErrorKind.NotFound, "User 'nobody' does not exist");

        Assert.Equal(1, await Store.Tokens.DeleteExpiredAsync(T0, Ct));
        Assert.Equal([token], await Store.Tokens.ListForUserAsync(alice.Id, Ct));
        Assert.True((await Store.Tokens.DeleteAsync(token.Id, Ct)).IsSuccess);
        Assert.Null(await Store.Tokens.FindByHashAsync(hash, Ct));
    }
}
