using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Testing.Chat;

namespace Cog.Runtime.Tests.Chat;

/// <summary>Cog 1.0: a sender without a Cog account, with and without self-registration.</summary>
public sealed class ChatRegistrationTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Cog 1.0's texts (priv/templates/common), rendered as plain text by the real composer.
    const string Unregistered =
        "@zed: I'm terribly sorry, but either I don't have a Cog account for you, or your Slack chat handle has not been registered. "
        + "Currently, only registered users can interact with me.\n\n"
        + "You'll need to ask a Cog administrator to fix this situation and to register your Slack handle.";

    const string RegistrationFailed =
        "@zed: Unfortunately I was unable to automatically create a Cog account for your Slack chat handle. Only users with Cog accounts can interact with me.\n\n"
        + "You'll need to ask a Cog administrator to investigate the situation and set up your account.";

    static string Plain(SentReply reply) => PlainTextFormatter.Format(reply.Reply.Body);

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
        Assert.Equal(
            """{"mention":{"provider":"slack","id":"U-zed","handle":"zed"},"provider":"slack","display_name":"Slack","handle":"zed","user_creators":[{"provider":"slack","id":"U-ada","handle":"ada"}]}""",
            data.ToJson());
        Assert.Equal(Unregistered + "\n\nThe following users can help you right here in chat:\n@ada", Plain(reply));
        var creators = Assert.IsType<ParagraphBlock>(reply.Reply.Body.Blocks[^1]).Inlines;
        Assert.Equal(new MentionInline("slack", "U-ada", "ada"), creators[^1]);
        Assert.Empty(world.Pipelines.Requests);
    }

    [Fact]
    public async Task A_sender_with_a_handle_on_another_provider_only_is_unregistered_here()
    {
        await using var world = await ChatWorld.StartAsync();
        await world.PersonAsync("alice", world.Web);

        await world.Slack.SayAsync(world.Slack.AddUser("alice"), world.Ops, "!echo hi");

        var reply = Assert.Single(await world.Slack.WaitForRepliesAsync());
        Assert.Equal(ChatMessages.UnregisteredUserTemplate, Assert.Single(world.Composer.Common).Template);
        Assert.Equal(Unregistered.Replace("zed", "alice", StringComparison.Ordinal), Plain(reply));
    }

    [Fact]
    public async Task With_self_registration_an_unknown_sender_gets_an_account_a_greeting_and_the_answer()
    {
        await using var world = await ChatWorld.StartAsync(new ChatServiceOptions { AllowSelfRegistration = true });
        var zed = world.Slack.AddUser("zed", firstName: "Zed", lastName: "Shaw", email: "zed@example.org");

        await world.Slack.SayAsync(zed, world.Ops, "!echo hi");

        var replies = await world.Slack.WaitForRepliesAsync(2);
        Assert.Equal(("@zed: Hello Zed! It's great to meet you! You're the proud owner of a shiny new Cog account named 'zed'.", ReplyKind.Notice),
            (Plain(replies[0]), replies[0].Kind));
        var (template, data) = Assert.Single(world.Composer.Common);
        Assert.Equal(ChatMessages.SelfRegistrationSuccessTemplate, template);
        Assert.Equal(
            """{"mention":{"provider":"slack","id":"U-zed","handle":"zed"},"first_name":"Zed","username":"zed","provider":"slack","display_name":"Slack"}""",
            data.ToJson());
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
        Assert.Equal("@zed: Hello zed! It's great to meet you! You're the proud owner of a shiny new Cog account named 'zed_2'.", Plain(world.Slack.Sent[0]));
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
        Assert.Equal(RegistrationFailed, Plain(reply));
        var (template, data) = Assert.Single(world.Composer.Common);
        Assert.Equal(ChatMessages.SelfRegistrationFailedTemplate, template);
        Assert.Equal("""{"mention":{"provider":"slack","id":"U-zed","handle":"zed"},"provider":"slack","display_name":"Slack","handle":"zed"}""", data.ToJson());
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
        Assert.Equal(RegistrationFailed, Plain(reply));
    }
}
