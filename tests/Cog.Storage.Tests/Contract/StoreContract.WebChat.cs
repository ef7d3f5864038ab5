using Cog.Runtime.Chat;

namespace Cog.Storage.Tests.Contract;

public abstract partial class StoreContract
{
    static WebChatMessage Chat(string room, string text, bool fromCog = false) =>
        new(0, room, fromCog ? "cog" : "alice", fromCog, T0, fromCog ? "output" : "message", $"<p>{text}</p>", fromCog ? "t1" : null, fromCog ? null : "c1");

    [Fact]
    public async Task Web_chat_messages_get_increasing_ids_and_each_room_keeps_its_newest()
    {
        var first = await Store.WebChat.AppendAsync(Chat("general", "one"), 2, Ct);
        var reply = await Store.WebChat.AppendAsync(Chat("dm:alice", "for alice", fromCog: true), 2, Ct);
        var second = await Store.WebChat.AppendAsync(Chat("general", "two"), 2, Ct);
        var third = await Store.WebChat.AppendAsync(Chat("general", "three"), 2, Ct);

        Assert.True(first.Id < reply.Id && reply.Id < second.Id && second.Id < third.Id);
        Assert.Equal(Chat("dm:alice", "for alice", fromCog: true) with { Id = reply.Id }, await Store.WebChat.GetAsync(reply.Id, Ct));
        Assert.Equal([second, third], await Store.WebChat.RecentAsync("general", 10, Ct));
        Assert.Equal([third], await Store.WebChat.RecentAsync("general", 1, Ct));
        Assert.Null(await Store.WebChat.GetAsync(first.Id, Ct));
        Assert.Equal(third.Id, await Store.WebChat.NewestIdAsync(Ct));
        Assert.Equal([second, third], await Store.WebChat.AfterAsync(reply.Id, 10, Ct));
        Assert.Empty(await Store.WebChat.RecentAsync("ops", 10, Ct));
    }
}
