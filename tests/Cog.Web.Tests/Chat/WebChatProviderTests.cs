using System.Text.Json;
using Cog.Runtime.Chat;
using Cog.Runtime.Rendering;
using Cog.Web.Chat;

namespace Cog.Web.Tests.Chat;

public class WebChatProviderTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static ClientFrame Send(string room, string text, string? clientId = null, string? thread = null) => new("send", null, room, text, clientId, thread);

    [Fact]
    public async Task A_valid_token_signs_its_user_in_with_the_username_as_id_and_handle()
    {
        await using var world = await ChatWorld.OpenAsync();

        var (user, expiresAt, refusal) = await world.Provider.AuthenticateAsync(ChatWorld.AliceToken, Ct);

        Assert.Null(refusal);
        Assert.Equal(new ChatUser("alice", "alice", "Alice", null, "alice@example.com"), user);
        Assert.Equal(world.Time.GetUtcNow().AddDays(7), expiresAt);
    }

    [Fact]
    public async Task Signing_in_gives_a_person_without_a_web_handle_their_username_as_handle_and_audits_it()
    {
        await using var world = await ChatWorld.OpenAsync();

        await world.Provider.AuthenticateAsync(ChatWorld.AliceToken, Ct);

        var holder = await world.Store.Users.FindByChatUserAsync("web", "alice", Ct);
        Assert.Equal("alice", holder?.Username);
        var records = await world.Store.Audit.ListAsync(new Cog.Runtime.Audit.AuditQuery(Kind: "chat_handle.attached"), Ct);
        Assert.Single(records);
    }

    [Fact]
    public async Task A_person_whose_web_handle_another_user_holds_is_refused()
    {
        await using var world = await ChatWorld.OpenAsync();
        var bob = (await world.Store.Users.FindByUsernameAsync("bob", Ct))!;
        await world.Store.Users.SetChatHandleAsync(new Cog.Runtime.Identity.ChatHandle(Cog.Runtime.Storage.StoreId.New(), bob.Id, "web", "alice", "alice"), Ct);

        var (user, _, refusal) = await world.Provider.AuthenticateAsync(ChatWorld.AliceToken, Ct);

        Assert.Null(user);
        Assert.Equal("Another Cog user holds your web chat handle: ask an administrator to correct the chat handles.", refusal);
    }

    [Theory]
    [InlineData("no-such-token", WebChatMessages.InvalidToken)]
    [InlineData("carol-token-0123456789", WebChatMessages.InvalidToken)]
    public async Task An_unknown_token_or_an_inactive_user_is_refused(string token, string expected)
    {
        await using var world = await ChatWorld.OpenAsync();

        var (user, _, refusal) = await world.Provider.AuthenticateAsync(token, Ct);

        Assert.Null(user);
        Assert.Equal(expected, refusal);
    }

    [Fact]
    public async Task An_expired_token_is_refused_as_the_api_refuses_it()
    {
        await using var world = await ChatWorld.OpenAsync();
        world.Time.Advance(TimeSpan.FromDays(8));

        var (user, _, refusal) = await world.Provider.AuthenticateAsync(ChatWorld.AliceToken, Ct);

        Assert.Null(user);
        Assert.Equal("token expired", refusal);
    }

    [Fact]
    public async Task The_ready_frame_lists_the_direct_room_then_the_configured_rooms_with_their_history()
    {
        await using var world = await ChatWorld.OpenAsync();
        var bob = await world.ConnectAsync(world.Bob);
        Assert.Null(await world.Provider.ReceiveAsync(bob.Session, Send("general", "hello all"), Ct));

        var alice = await world.ConnectAsync(world.Alice);

        var ready = (await alice.WaitForAsync("ready"))[0];
        Assert.Equal("alice", ready.GetProperty("user").GetProperty("username").GetString());
        var rooms = ready.GetProperty("rooms").EnumerateArray().ToList();
        Assert.Equal(["dm:alice", "general", "ops"], rooms.Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(["direct", "general", "ops"], rooms.Select(r => r.GetProperty("name").GetString()));
        Assert.True(rooms[0].GetProperty("direct").GetBoolean());
        var history = rooms[1].GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("bob", history.GetProperty("author").GetString());
        Assert.Equal("<p>hello all</p>", history.GetProperty("html").GetString());
    }

    [Fact]
    public async Task The_rooms_history_is_the_stores_so_it_survives_a_restart_and_message_ids_go_on()
    {
        await using var world = await ChatWorld.OpenAsync(new WebConsoleOptions { Rooms = ["general"], HistoryLimit = 2 });
        var bob = await world.ConnectAsync(world.Bob);
        foreach (var text in (string[])["one", "two", "three"])
            Assert.Null(await world.Provider.ReceiveAsync(bob.Session, Send("general", text), Ct));
        Assert.Null(await world.Provider.ReceiveAsync(bob.Session, Send("dm:bob", "just for cog"), Ct));
        var lastId = long.Parse(world.Inbox.Messages[^1].Id, System.Globalization.CultureInfo.InvariantCulture);

        // The server restarts: a new provider on the same store.
        var restarted = world.NewProvider();
        await restarted.StartAsync(world.Inbox, Ct);
        var browser = await world.ConnectAsync(restarted, world.Bob);
        var rooms = Rooms((await browser.WaitForAsync("ready"))[0]);
        Assert.Null(await restarted.ReceiveAsync(browser.Session, Send("general", "after the restart"), Ct));

        Assert.Equal(["<p>just for cog</p>"], rooms["dm:bob"]);
        Assert.Equal(["<p>two</p>", "<p>three</p>"], rooms["general"]);
        Assert.Equal(lastId + 1, long.Parse(world.Inbox.Messages[^1].Id, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_history_file_of_an_earlier_version_is_imported_once_bounded_per_room_then_renamed()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cog-web-history-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file, [
            Line("1", "general", "one"), Line("2", "general", "two"), "not json", Line("3", "dm:bob", "just for cog"), Line("4", "general", "three")], Ct);
        try
        {
            await using var world = await ChatWorld.OpenAsync(new WebConsoleOptions { Rooms = ["general"], HistoryLimit = 2, HistoryFile = file });
            var restarted = world.NewProvider();
            await restarted.StartAsync(world.Inbox, Ct);

            var rooms = Rooms((await (await world.ConnectAsync(restarted, world.Bob)).WaitForAsync("ready"))[0]);

            Assert.Equal(["<p>two</p>", "<p>three</p>"], rooms["general"]);
            Assert.Equal(["<p>just for cog</p>"], rooms["dm:bob"]);
            Assert.False(File.Exists(file));
            Assert.True(File.Exists(file + ".imported"));
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".imported");
        }

        static string Line(string id, string room, string text) =>
            $$"""{"id":"{{id}}","room":"{{room}}","author":"bob","from_cog":false,"time":"2026-04-30T10:00:00.000Z","kind":"message","html":"<p>{{text}}</p>","thread":null,"client_id":null}""";
    }

    [Fact]
    public async Task With_two_servers_a_message_through_one_reaches_the_sessions_of_the_other_and_its_history()
    {
        var buses = new Testing.Cluster.InMemoryServerBuses();
        await using var world = await ChatWorld.OpenAsync(bus: buses.For("cog-a"));
        var other = world.NewProvider(buses.For("cog-b"));
        await other.StartAsync(world.Inbox, Ct);
        var aliceOnA = await world.ConnectAsync(world.Alice);
        var bobOnB = await world.ConnectAsync(other, world.Bob);

        Assert.Null(await other.ReceiveAsync(bobOnB.Session, Send("general", "hello from b"), Ct));
        await other.SendAsync(new ChatRoom("dm:alice", ChatRoom.DirectName, true), new ChatReply(ReplyDocument.FromText("just for alice")), Ct);

        var messages = await aliceOnA.WaitForAsync("message", 2);
        Assert.Equal(["<p>hello from b</p>", "<div class=\"cog-reply cog-reply-output\"><p>just for alice</p></div>"],
            messages.Select(m => m.GetProperty("html").GetString()));
        Assert.Equal(["general"], (await bobOnB.WaitForAsync("message")).Select(m => m.GetProperty("room").GetString()));
        var later = Rooms((await (await world.ConnectAsync(world.Bob)).WaitForAsync("ready"))[0]);
        Assert.Equal(["<p>hello from b</p>"], later["general"]);
    }

    [Fact]
    public async Task After_missed_notices_a_server_shows_what_the_store_holds_beyond_what_it_showed()
    {
        var buses = new Testing.Cluster.InMemoryServerBuses();
        await using var world = await ChatWorld.OpenAsync(bus: buses.For("cog-a"));
        // The other server's notices never reach this one's listener (as while it reconnects).
        var unheard = world.NewProvider(new Testing.Cluster.InMemoryServerBuses().For("cog-b"));
        await unheard.StartAsync(world.Inbox, Ct);
        var aliceOnA = await world.ConnectAsync(world.Alice);
        var bobOnB = await world.ConnectAsync(unheard, world.Bob);
        Assert.Null(await unheard.ReceiveAsync(bobOnB.Session, Send("general", "while a was not listening"), Ct));

        buses.Reconnect("cog-a");

        var message = Assert.Single(await aliceOnA.WaitForAsync("message"));
        Assert.Equal("<p>while a was not listening</p>", message.GetProperty("html").GetString());
    }

    [Fact]
    public async Task A_message_the_store_cannot_take_is_refused_and_neither_shown_nor_run()
    {
        await using var world = await ChatWorld.OpenAsync();
        var alice = await world.ConnectAsync(world.Alice);
        await world.ExecuteSqlAsync("DROP TABLE web_chat_messages");

        var refusal = await world.Provider.ReceiveAsync(alice.Session, Send("general", "!echo lost"), Ct);

        Assert.Equal(WebChatMessages.NotStored, refusal);
        Assert.Empty(world.Inbox.Messages);
        Assert.DoesNotContain(alice.Frames, f => f.GetProperty("type").GetString() == "message");
    }

    static Dictionary<string, string?[]> Rooms(JsonElement ready) => ready.GetProperty("rooms").EnumerateArray().ToDictionary(
        r => r.GetProperty("id").GetString()!, r => r.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("html").GetString()).ToArray());

    [Fact]
    public async Task A_message_in_a_shared_room_reaches_every_session_and_the_inbox()
    {
        await using var world = await ChatWorld.OpenAsync();
        var alice = await world.ConnectAsync(world.Alice);
        var bob = await world.ConnectAsync(world.Bob);

        Assert.Null(await world.Provider.ReceiveAsync(alice.Session, Send("general", "  !echo <b>hi</b>  ", "c1", "t1"), Ct));

        foreach (var browser in new[] { alice, bob })
        {
            var message = (await browser.WaitForAsync("message"))[0];
            Assert.Equal("general", message.GetProperty("room").GetString());
            Assert.Equal("alice", message.GetProperty("author").GetString());
            Assert.False(message.GetProperty("from_cog").GetBoolean());
            Assert.Equal("message", message.GetProperty("kind").GetString());
            Assert.Equal("<p>!echo &lt;b&gt;hi&lt;/b&gt;</p>", message.GetProperty("html").GetString());
            Assert.Equal("c1", message.GetProperty("client_id").GetString());
            Assert.Equal("t1", message.GetProperty("thread").GetString());
            Assert.Equal("2026-05-01T12:00:00.000Z", message.GetProperty("time").GetString());
        }
        var received = Assert.Single(world.Inbox.Messages);
        Assert.Equal(new ChatMessage("web", received.Id, new ChatRoom("general", "general", false), world.Alice, "!echo <b>hi</b>", ThreadId: "t1"), received);
    }

    [Fact]
    public async Task A_direct_message_reaches_only_the_writers_own_sessions()
    {
        await using var world = await ChatWorld.OpenAsync();
        var alice = await world.ConnectAsync(world.Alice);
        var aliceOtherTab = await world.ConnectAsync(world.Alice);
        var bob = await world.ConnectAsync(world.Bob);

        Assert.Null(await world.Provider.ReceiveAsync(alice.Session, Send("dm:alice", "echo secret"), Ct));

        await alice.WaitForAsync("message");
        await aliceOtherTab.WaitForAsync("message");
        await world.Provider.SendAsync(new ChatRoom("general", "general", false), new ChatReply(ReplyDocument.FromText("public")), Ct);
        var bobs = await bob.WaitForAsync("message");
        Assert.Equal("general", Assert.Single(bobs).GetProperty("room").GetString());
        Assert.True(Assert.Single(world.Inbox.Messages).Room.IsDirect);
    }

    [Fact]
    public async Task Nobody_writes_in_another_persons_direct_room_or_an_unknown_room()
    {
        await using var world = await ChatWorld.OpenAsync();
        var bob = await world.ConnectAsync(world.Bob);

        Assert.Equal("There is no room 'dm:alice' here.", await world.Provider.ReceiveAsync(bob.Session, Send("dm:alice", "echo hi"), Ct));
        Assert.Equal("There is no room 'random' here.", await world.Provider.ReceiveAsync(bob.Session, Send("random", "echo hi"), Ct));
        Assert.Empty(world.Inbox.Messages);
    }

    [Fact]
    public async Task Empty_and_overlong_messages_are_refused()
    {
        await using var world = await ChatWorld.OpenAsync(new WebConsoleOptions { MaxMessageLength = 10 });
        var bob = await world.ConnectAsync(world.Bob);

        Assert.Equal("A message needs some text.", await world.Provider.ReceiveAsync(bob.Session, Send("general", "   "), Ct));
        Assert.Equal("A message may have at most 10 characters.", await world.Provider.ReceiveAsync(bob.Session, Send("general", "echo 1234567"), Ct));
        Assert.Empty(world.Inbox.Messages);
    }

    [Fact]
    public async Task A_provider_that_was_not_started_says_it_is_not_listening()
    {
        await using var world = await ChatWorld.OpenAsync(start: false);
        var bob = await world.ConnectAsync(world.Bob);

        Assert.Equal("Cog is not listening to the web chat right now.", await world.Provider.ReceiveAsync(bob.Session, Send("general", "!echo hi"), Ct));
    }

    [Fact]
    public async Task Frames_after_the_token_expired_are_refused()
    {
        await using var world = await ChatWorld.OpenAsync();
        var bob = await world.ConnectAsync(world.Bob);
        world.Time.Advance(TimeSpan.FromDays(7));

        Assert.Equal("token expired", await world.Provider.ReceiveAsync(bob.Session, Send("general", "!echo hi"), Ct));
    }

    [Fact]
    public async Task Each_room_keeps_only_its_most_recent_messages()
    {
        await using var world = await ChatWorld.OpenAsync();
        var bob = await world.ConnectAsync(world.Bob);
        for (var i = 1; i <= 5; i++)
            Assert.Null(await world.Provider.ReceiveAsync(bob.Session, Send("ops", $"message {i}"), Ct));

        var alice = await world.ConnectAsync(world.Alice);

        var ops = (await alice.WaitForAsync("ready"))[0].GetProperty("rooms")[2];
        Assert.Equal(["<p>message 3</p>", "<p>message 4</p>", "<p>message 5</p>"],
            ops.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("html").GetString()));
    }

    [Fact]
    public async Task A_session_too_slow_to_read_is_dropped_and_the_others_keep_receiving()
    {
        await using var world = await ChatWorld.OpenAsync(new WebConsoleOptions { SendQueueLimit = 4 });
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = await world.ConnectAsync(world.Bob, stuck);
        var alice = await world.ConnectAsync(world.Alice);
        var room = new ChatRoom("general", "general", false);

        for (var i = 0; i < 10; i++)
        {
            await world.Provider.SendAsync(room, new ChatReply(ReplyDocument.FromText($"reply {i}")), Ct);
            await alice.WaitForAsync("message", i + 1);
        }

        Assert.True(slow.Aborted);
        Assert.True(slow.Session.IsEnded);
        Assert.Equal(1, world.Provider.SessionCount);
        var messages = await alice.WaitForAsync("message", 10);
        Assert.Contains("<p>reply 9</p>", messages[9].GetProperty("html").GetString(), StringComparison.Ordinal);
        stuck.SetResult();
    }

    [Fact]
    public async Task Cogs_replies_are_rendered_as_html_with_their_kind_and_thread()
    {
        await using var world = await ChatWorld.OpenAsync();
        var alice = await world.ConnectAsync(world.Alice);
        var direct = await world.Provider.OpenDirectAsync(world.Alice, Ct);
        var body = new ReplyDocument(ReplyKind.Error, [new ParagraphBlock([new StrongInline([new TextInline("No <rule>")])])]);

        await world.Provider.SendAsync(direct, new ChatReply(body, "t9"), Ct);

        var message = (await alice.WaitForAsync("message"))[0];
        Assert.Equal("dm:alice", message.GetProperty("room").GetString());
        Assert.Equal("cog", message.GetProperty("author").GetString());
        Assert.True(message.GetProperty("from_cog").GetBoolean());
        Assert.Equal("error", message.GetProperty("kind").GetString());
        Assert.Equal("<div class=\"cog-reply cog-reply-error\"><p><strong>No &lt;rule&gt;</strong></p></div>", message.GetProperty("html").GetString());
        Assert.Equal("t9", message.GetProperty("thread").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("client_id").ValueKind);
    }

    [Fact]
    public async Task Sending_to_a_room_the_provider_does_not_have_is_a_provider_error()
    {
        await using var world = await ChatWorld.OpenAsync();

        var error = await Assert.ThrowsAsync<ChatProviderException>(() =>
            world.Provider.SendAsync(new ChatRoom("random", "random", false), new ChatReply(ReplyDocument.FromText("x")), Ct));
        Assert.Equal("There is no room 'random' here.", error.Message);
    }

    [Theory]
    [InlineData("general", "general")]
    [InlineData("#General", "general")]
    [InlineData("ops", "ops")]
    [InlineData("dm:bob", "dm:bob")]
    public async Task Rooms_are_found_by_name_with_or_without_hash_and_direct_rooms_by_id(string name, string id)
    {
        await using var world = await ChatWorld.OpenAsync();

        var lookup = await world.Provider.FindRoomAsync(name, Ct);

        Assert.Equal(RoomProblem.None, lookup.Problem);
        Assert.Equal(id, lookup.Room!.Id);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("dm:nobody")]
    [InlineData("dm:carol")]
    public async Task Unknown_rooms_are_not_found(string name)
    {
        await using var world = await ChatWorld.OpenAsync();

        Assert.Equal(RoomLookup.NotFound, await world.Provider.FindRoomAsync(name, Ct));
    }

    [Fact]
    public async Task People_are_found_by_username_with_or_without_at_and_mentioned_with_at()
    {
        await using var world = await ChatWorld.OpenAsync();

        Assert.Equal(world.Bob, await world.Provider.FindUserAsync("@bob", Ct));
        Assert.Equal(world.Bob, await world.Provider.FindUserAsync("bob", Ct));
        Assert.Null(await world.Provider.FindUserAsync("nobody", Ct));
        Assert.Null(await world.Provider.FindUserAsync("carol", Ct));
        Assert.Equal("@bob", world.Provider.Mention(world.Bob));
        Assert.Equal(new ChatRoom("dm:bob", "direct", true), await world.Provider.OpenDirectAsync(world.Bob, Ct));
        Assert.Equal(("web", "@cog"), (world.Provider.Name, world.Provider.BotMention));
    }

    [Fact]
    public async Task Stopping_tells_every_session_and_ends_it()
    {
        await using var world = await ChatWorld.OpenAsync();
        var alice = await world.ConnectAsync(world.Alice);

        await world.Provider.StopAsync(Ct);

        var error = (await alice.WaitForAsync("error"))[0];
        Assert.Equal("Cog is stopping.", error.GetProperty("message").GetString());
        Assert.True(alice.Session.IsEnded);
        Assert.Equal("Cog is not listening to the web chat right now.",
            await world.Provider.ReceiveAsync(alice.Session, Send("general", "!echo hi"), Ct));
    }
}
