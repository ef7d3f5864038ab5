using Cog.Runtime.Chat;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Runtime.Slack.Tests.Directory;

/// <summary>User and room lookups (users.info / users.list, conversations.info / conversations.list, conversations.open),
/// their answers and their cache.</summary>
public sealed class SlackDirectoryTests
{
    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("alice")]
    [InlineData("@alice")]
    [InlineData("ALICE")]
    [InlineData("U0ALICE01")]
    [InlineData("@U0ALICE01")]
    public async Task A_user_is_found_by_handle_or_id(string key)
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.AddUser("U0CAROL01", "carol");
        h.Slack.AddUser("U0DAVE001", "dave", deleted: true);

        var user = await h.Provider.FindUserAsync(key, Token);

        Assert.Equal(new ChatUser("U0ALICE01", "alice", "Alice", "Liddell", "alice@example.com"), user);
    }

    [Theory]
    [InlineData("nobody")]
    [InlineData("U0NOBODY1")]
    [InlineData("dave")]
    [InlineData("@")]
    public async Task An_unknown_or_deleted_user_is_not_found(string key)
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.AddUser("U0DAVE001", "dave", deleted: true);

        Assert.Null(await h.Provider.FindUserAsync(key, Token));
    }

    [Fact]
    public async Task The_user_list_is_read_page_by_page_with_query_arguments()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        for (var i = 0; i < 5; i++)
            h.Slack.AddUser($"U0ZED{i:0000}", "zed" + i);

        Assert.Equal("U0ZED0004", (await h.Provider.FindUserAsync("zed4", Token))?.Id);

        var calls = h.Slack.CallsTo("users.list");
        Assert.Equal(4, calls.Count);
        Assert.All(calls, c => Assert.Equal(("GET", "query"), (c.Verb, c.Encoding)));
        Assert.Equal(["", "2", "4", "6"], calls.Select(c => c.Arguments["cursor"]?.GetValue<string>() ?? ""));
    }

    [Fact]
    public async Task Lookups_are_cached_until_the_cache_duration_passes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var h = await SlackHarness.StartAsync(start: false, time: time);

        await h.Provider.FindUserAsync("U0ALICE01", Token);
        await h.Provider.FindUserAsync("U0ALICE01", Token);
        await h.Provider.FindRoomAsync("general", Token);
        await h.Provider.FindRoomAsync("#general", Token);
        Assert.Equal((1, 1), (h.Slack.CallsTo("users.info").Count, h.Slack.CallsTo("conversations.list").Count));

        time.Advance(TimeSpan.FromMinutes(5));
        await h.Provider.FindUserAsync("U0ALICE01", Token);
        await h.Provider.FindRoomAsync("general", Token);
        Assert.Equal((2, 2), (h.Slack.CallsTo("users.info").Count, h.Slack.CallsTo("conversations.list").Count));
    }

    [Fact]
    public async Task Rooms_are_found_by_name_or_id_with_their_membership()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        h.Slack.AddChannel("C0OPS0001", "ops");
        h.Slack.AddChannel("G0PRIV001", "private-ops");
        h.Slack.AddChannel("C0SECRET1", "secret", botIsMember: false);
        h.Slack.AddChannel("C0OLD0001", "old", archived: true);
        h.Slack.AddChannel("C0TWIN001", "twin");
        h.Slack.AddChannel("C0TWIN002", "twin");

        Assert.Equal(RoomLookup.Found(new ChatRoom("C0OPS0001", "ops", false)), await h.Provider.FindRoomAsync("#ops", Token));
        Assert.Equal(RoomLookup.Found(new ChatRoom("C0OPS0001", "ops", false)), await h.Provider.FindRoomAsync("C0OPS0001", Token));
        Assert.Equal(RoomLookup.Found(new ChatRoom("G0PRIV001", "private-ops", false)), await h.Provider.FindRoomAsync("private-ops", Token));
        Assert.Equal(RoomLookup.NotAMember(new ChatRoom("C0SECRET1", "secret", false)), await h.Provider.FindRoomAsync("secret", Token));
        Assert.Equal(RoomLookup.NotFound, await h.Provider.FindRoomAsync("old", Token));
        Assert.Equal(RoomLookup.NotFound, await h.Provider.FindRoomAsync("C0OLD0001", Token));
        Assert.Equal(RoomLookup.NotFound, await h.Provider.FindRoomAsync("nowhere", Token));
        Assert.Equal(RoomLookup.NotFound, await h.Provider.FindRoomAsync("C0NOWHERE", Token));
        Assert.Equal(RoomLookup.Ambiguous, await h.Provider.FindRoomAsync("twin", Token));
    }

    [Fact]
    public async Task A_direct_conversation_is_opened_once_and_mentions_use_the_user_id()
    {
        await using var h = await SlackHarness.StartAsync(start: false);
        var alice = new ChatUser("U0ALICE01", "alice");

        var room = await h.Provider.OpenDirectAsync(alice, Token);
        var again = await h.Provider.OpenDirectAsync(alice, Token);

        Assert.Equal(new ChatRoom("D0ALICE01", "direct", true), room);
        Assert.Equal(room, again);
        Assert.Single(h.Slack.CallsTo("conversations.open"));
        Assert.Equal("<@U0ALICE01>", h.Provider.Mention(alice));
        Assert.Equal(RoomLookup.Found(room), await h.Provider.FindRoomAsync(room.Id, Token));
    }

    [Fact]
    public async Task Opening_a_direct_conversation_with_an_unknown_user_is_refused()
    {
        await using var h = await SlackHarness.StartAsync(start: false);

        var e = await Assert.ThrowsAsync<ChatProviderException>(() => h.Provider.OpenDirectAsync(new ChatUser("U0NOBODY1", "nobody"), Token));

        Assert.Equal("Slack refused conversations.open: user_not_found.", e.Message);
    }
}
