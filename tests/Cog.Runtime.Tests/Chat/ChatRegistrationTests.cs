using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;

namespace Cog.Runtime.Tests.Chat;

/// <summary>Reference §4.3: a sender without a Cog account, with and without self-registration.</summary>
public sealed class ChatRegistrationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_sender_gets_the_unregistered_user_reply_naming_who_can_help_on_that_provider_and_nothing_runs()
    {
        await using var world = await ChatWorld.StartAsync();
        await world.PersonAsync("ada", permissions: ChatService.ManageUsersPermission);
        await world.PersonAsync("grace", world.Web, ChatService.ManageUsersPermission);
        await world.PersonAsync("bob");
        var stranger = world.Slack.AddUser("zed");

        await world.Slack.SayAsync(stranger, world.Ops, "!echo hi", threadId: "t-1");

        var reply = Assert.Single(await world.Slack.WaitForRepliesAsync());
        Assert.Equal((world.Ops, "t-1", ReplyKind.Notice), (reply.Room, reply.ThreadId, reply.Kind));
        var (template, data) = Assert.Single(world.Composer.Common);
        Assert.Equal(ChatMessages.UnregisteredUserTemplate, template);
        Assert.Equal("""{"mention":"@zed","provider":"slack","display_name":"Slack","handle":"zed","user_creators":["@ada"]}""", data.ToJson());
        Assert.Empty(world.Pipelines.Requests);
    }

    [Fact]
    public async Task A_sender_with_a_handle_on_another_provider_only_is_unregistered_here()
    {
        await using var world = await ChatWorld.StartAsync();
        await world.PersonAsync("alice", world.Web);

        await world.Slack.SayAsync(world.Slack.AddUser("alice"), world.Ops, "!echo hi");

        await world.Slack.WaitForRepliesAsync();
        Assert.Equal(ChatMessages.UnregisteredUserTemplate, Assert.Single(world.Composer.Common).Template);
    }

    [Fact]
    public async Task With_self_registration_an_unknown_sender_gets_an_account_a_greeting_and_the_answer()
    {
        await using var world = await ChatWorld.StartAsync(new ChatServiceOptions { AllowSelfRegistration = true });
        var zed = world.Slack.AddUser("zed", firstName: "Zed", lastName: "Shaw", email: "zed@example.org");

        await world.Slack.SayAsync(zed, world.Ops, "!echo hi");

        var replies = await world.Slack.WaitForRepliesAsync(2);
        Assert.Equal("""self-registration-success {"mention":"@zed","first_name":"Zed","username":"zed","provider":"slack","display_name":"Slack"}""",
            replies[0].Text);
        Assert.Equal("hi", replies[1].Text);
        var user = await world.Store.Users.FindByChatUserAsync("slack", zed.Id, Ct);
        Assert.Equal(("zed", "zed@example.org", "Zed", "Shaw"), (user!.Username, user.EmailAddress, user.FirstName, user.LastName));
        Assert.StartsWith("$2", user.PasswordHash, StringComparison.Ordinal);
        var created = Assert.Single(await world.AuditAsync("user.created"));
        var attached = Assert.Single(await world.AuditAsync("chat_handle.attached"));
        Assert.Equal(((string?)null, "user:zed"), (created.Actor, created.Command));
        Assert.Contains("\"origin\":\"system\"", created.PayloadJson, StringComparison.Ordinal);
        Assert.Contains("\"provider_user_id\":\"U-zed\"", attached.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_registration_numbers_a_taken_username_and_makes_up_an_email_when_the_profile_has_none()
    {
        await using var world = await ChatWorld.StartAsync(new ChatServiceOptions { AllowSelfRegistration = true });
        await world.Runner.Store.UserAsync("zed");
        await world.Runner.Store.UserAsync("zed_1");
        var zed = world.Slack.AddUser("zed");

        await world.Slack.SayAsync(zed, world.Ops, "!echo hi");

        await world.Slack.WaitForRepliesAsync(2);
        var user = await world.Store.Users.FindByChatUserAsync("slack", zed.Id, Ct);
        Assert.Equal(("zed_2", "zed_2@slack.invalid", (string?)null), (user!.Username, user.EmailAddress, user.FirstName));
        Assert.Contains("\"first_name\":\"zed\"", world.Slack.Sent[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Self_registration_gives_up_after_twenty_numbered_usernames_and_nothing_runs()
    {
        await using var world = await ChatWorld.StartAsync(new ChatServiceOptions { AllowSelfRegistration = true });
        await world.Runner.Store.UserAsync("zed");
        for (var i = 1; i <= SelfRegistration.MaxSuffix; i++)
            await world.Runner.Store.UserAsync($"zed_{i}");
        var zed = world.Slack.AddUser("zed");

        await world.Slack.SayAsync(zed, world.Ops, "!echo hi");

        var reply = Assert.Single(await world.Slack.WaitForRepliesAsync());
        await world.IdleAsync();
        Assert.Equal("""self-registration-failed {"mention":"@zed","provider":"slack","display_name":"Slack","handle":"zed"}""", reply.Text);
        Assert.Null(await world.Store.Users.FindByChatUserAsync("slack", zed.Id, Ct));
        Assert.Empty(world.Pipelines.Requests);
    }

    [Fact]
    public async Task Self_registration_fails_when_the_profile_email_belongs_to_another_user()
    {
        await using var world = await ChatWorld.StartAsync(new ChatServiceOptions { AllowSelfRegistration = true });
        await world.Runner.Store.UserAsync("someone");
        var zed = world.Slack.AddUser("zed", email: "someone@example.com");

        await world.Slack.SayAsync(zed, world.Ops, "!echo hi");

        var reply = Assert.Single(await world.Slack.WaitForRepliesAsync());
        Assert.StartsWith(ChatMessages.SelfRegistrationFailedTemplate, reply.Text, StringComparison.Ordinal);
    }
}
