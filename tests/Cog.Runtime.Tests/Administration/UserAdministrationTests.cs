using Cog.Runtime.Administration;
using Cog.Runtime.Tests.Identity;

namespace Cog.Runtime.Tests.Administration;

public class UserAdministrationTests
{
    static CancellationToken Ct => IdentityWorld.Ct;

    static AdminActor Alice => IdentityWorld.Alice;

    [Fact]
    public async Task Missing_fields_are_reported_with_cog_messages()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        var result = await world.Users.CreateAsync(Alice, new UserFields(Username: " "), Ct);

        Assert.Equal(AdminErrorKind.Invalid, result.Error?.Kind);
        Assert.Equal(["can't be blank"], result.Error!.Fields!["username"]);
        Assert.Equal(["can't be blank"], result.Error.Fields["email_address"]);
        Assert.Equal(["can't be blank"], result.Error.Fields["password"]);
        Assert.Equal("username can't be blank; email_address can't be blank; password can't be blank", result.Error.Message);
    }

    [Fact]
    public async Task A_taken_username_or_email_is_reported_on_its_field()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");

        var byName = await world.Users.CreateAsync(Alice, new UserFields("bob", "other@example.com", null, null, "pw"), Ct);
        var byEmail = await world.Users.CreateAsync(Alice, new UserFields("robert", "bob@example.com", null, null, "pw"), Ct);

        Assert.Equal(["has already been taken"], byName.Error?.Fields?["username"]);
        Assert.Equal(["has already been taken"], byEmail.Error?.Fields?["email_address"]);
    }

    [Fact]
    public async Task A_created_user_is_audited_without_any_password()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        var created = (await world.Users.CreateAsync(Alice, new UserFields("bob", "bob@example.com", "Bob", "", "hunter2"), Ct)).GetValueOrThrow();

        Assert.Equal("Bob", created.User.FirstName);
        Assert.Null(created.User.LastName);
        Assert.True(world.Passwords.Verify("hunter2", created.User.PasswordHash));
        var record = Assert.Single(await world.AuditAsync("user.created"));
        Assert.Equal(("alice", "user:bob"), (record.Actor, record.Command));
        Assert.DoesNotContain("hunter2", record.PayloadJson, StringComparison.Ordinal);
        Assert.DoesNotContain(created.User.PasswordHash, record.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_changes_only_the_given_fields()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        var bob = await world.UserAsync("bob", "old");

        var updated = (await world.Users.UpdateAsync(Alice, "bob", new UserFields(FirstName: "Bobby", Password: "new"), Ct)).GetValueOrThrow();

        Assert.Equal(("bob", "bob@example.com", "Bobby"), (updated.User.Username, updated.User.EmailAddress, updated.User.FirstName));
        Assert.True(world.Passwords.Verify("new", updated.User.PasswordHash));
        var renamed = (await world.Users.UpdateAsync(Alice, bob.Id, new UserFields(Username: "robert", Password: ""), Ct)).GetValueOrThrow();
        Assert.Equal("robert", renamed.User.Username);
        Assert.Equal(updated.User.PasswordHash, renamed.User.PasswordHash);
        Assert.Equal(2, (await world.AuditAsync("user.updated")).Count);
    }

    [Fact]
    public async Task Unknown_users_are_not_found()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        Assert.Equal("User not found", (await world.Users.GetAsync("nobody", Ct)).Error?.Message);
        Assert.Equal(AdminErrorKind.NotFound, (await world.Users.UpdateAsync(Alice, "nobody", new UserFields(), Ct)).Error?.Kind);
        Assert.Equal(AdminErrorKind.NotFound, (await world.Users.DeleteAsync(Alice, "nobody", Ct)).Error?.Kind);
    }

    [Fact]
    public async Task The_last_administrator_cannot_be_deleted_but_another_user_can()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();
        await world.UserAsync("bob");

        var admin = await world.Users.DeleteAsync(Alice, "admin", Ct);
        var bob = await world.Users.DeleteAsync(Alice, "bob", Ct);

        Assert.Equal(AdminErrorKind.Refused, admin.Error?.Kind);
        Assert.Equal("The cog-admin group must have at least one member", admin.Error?.Message);
        Assert.True(bob.IsSuccess);
        Assert.Equal(1, world.Changes.Grants);
        Assert.Single(await world.AuditAsync("user.deleted"));
    }

    [Fact]
    public async Task A_handle_is_resolved_by_its_provider_and_replaces_the_previous_one()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");

        var first = (await world.Users.AttachChatHandleAsync(Alice, "bob", "Slack", "ada", null, Ct)).GetValueOrThrow();
        var second = (await world.Users.AttachChatHandleAsync(Alice, "bob", "slack", "bob", null, Ct)).GetValueOrThrow();

        Assert.Equal(("slack", "ada", "U0ADA"), (first.Provider, first.Handle, first.ProviderUserId));
        var handle = Assert.Single((await world.Users.GetAsync("bob", Ct)).GetValueOrThrow().ChatHandles);
        Assert.Equal((second.Id, "bob", "U0BOB"), (handle.Id, handle.Handle, handle.ProviderUserId));
        Assert.Equal(2, (await world.AuditAsync("chat_handle.attached")).Count);
    }

    [Fact]
    public async Task A_web_handle_is_its_own_id_and_an_explicit_provider_user_id_skips_the_lookup()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");

        var web = (await world.Users.AttachChatHandleAsync(Alice, "bob", "web", "bobby", null, Ct)).GetValueOrThrow();
        var slack = (await world.Users.AttachChatHandleAsync(Alice, "bob", "slack", "unknown-to-slack", "U0XYZ", Ct)).GetValueOrThrow();

        Assert.Equal("bobby", web.ProviderUserId);
        Assert.Equal("U0XYZ", slack.ProviderUserId);
    }

    [Fact]
    public async Task Unknown_providers_unknown_handles_and_claimed_handles_are_refused()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");
        await world.UserAsync("carol");
        await world.Users.AttachChatHandleAsync(Alice, "bob", "slack", "bob", null, Ct);

        Assert.Equal("Unknown chat provider 'irc'", (await world.Users.AttachChatHandleAsync(Alice, "bob", "irc", "bob", null, Ct)).Error?.Message);
        Assert.Equal("User with handle 'zed' not found", (await world.Users.AttachChatHandleAsync(Alice, "bob", "slack", "zed", null, Ct)).Error?.Message);
        Assert.Equal("Another user has claimed this chat handle",
            (await world.Users.AttachChatHandleAsync(Alice, "carol", "slack", "bob", null, Ct)).Error?.Message);
        Assert.Equal(["can't be blank"], (await world.Users.AttachChatHandleAsync(Alice, "bob", "slack", "", null, Ct)).Error?.Fields?["handle"]);
    }

    [Fact]
    public async Task Handles_are_deleted_by_id_or_detached_by_provider()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.UserAsync("bob");
        var slack = (await world.Users.AttachChatHandleAsync(Alice, "bob", "slack", "bob", null, Ct)).GetValueOrThrow();
        await world.Users.AttachChatHandleAsync(Alice, "bob", "web", "bob", null, Ct);

        Assert.True((await world.Users.DeleteChatHandleAsync(Alice, slack.Id, Ct)).IsSuccess);
        Assert.True((await world.Users.DetachChatHandleAsync(Alice, "bob", "WEB", Ct)).IsSuccess);

        Assert.Empty(await world.Users.ListChatHandlesAsync(Ct));
        Assert.Equal("Chat handle not found", (await world.Users.DeleteChatHandleAsync(Alice, slack.Id, Ct)).Error?.Message);
        Assert.Equal(2, (await world.AuditAsync("chat_handle.detached")).Count);
    }

    [Fact]
    public async Task The_list_shows_each_users_groups_and_handles()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();
        await world.UserAsync("bob");
        await world.Users.AttachChatHandleAsync(Alice, "bob", "web", "bob", null, Ct);

        var users = await world.Users.ListAsync(Ct);

        Assert.Equal(["admin", "bob"], users.Select(static u => u.User.Username));
        Assert.Equal(["cog-admin"], users[0].Groups.Select(static g => g.Name));
        Assert.Empty(users[1].Groups);
        Assert.Equal(["bob"], users[1].ChatHandles.Select(static h => h.Handle));
    }
}
