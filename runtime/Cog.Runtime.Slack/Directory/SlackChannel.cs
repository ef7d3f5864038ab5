using System.Text.Json;

namespace Cog.Runtime.Slack.Directory;

/// <summary>A conversation as <c>conversations.info</c> / <c>conversations.list</c> describe it.</summary>
/// <param name="Id">C…, G… or D….</param>
/// <param name="Name">The name without <c>#</c>; <c>direct</c> for a direct conversation.</param>
/// <param name="IsMember">Whether the bot is in it (always for direct conversations).</param>
/// <param name="IsDirect">A direct conversation (<c>is_im</c>).</param>
/// <param name="IsArchived">Archived: nothing can be posted.</param>
sealed record SlackChannel(string Id, string Name, bool IsMember, bool IsDirect, bool IsArchived)
{
    public static SlackChannel FromJson(JsonElement channel)
    {
        var id = channel.GetProperty("id").GetString()!;
        var direct = Flag(channel, "is_im");
        var name = direct ? Chat.ChatRoom.DirectName : channel.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : id;
        return new SlackChannel(id, name, direct || Flag(channel, "is_member"), direct, Flag(channel, "is_archived"));
    }

    static bool Flag(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
