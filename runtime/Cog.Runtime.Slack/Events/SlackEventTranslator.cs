using System.Text.Json;
using Cog.Runtime.Chat;
using Cog.Runtime.Slack.Directory;
using Cog.Runtime.Slack.Text;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Slack.Events;

/// <summary>Who the bot is on Slack (<c>auth.test</c>).</summary>
/// <param name="UserId">The bot user (U…).</param>
/// <param name="BotId">The bot (B…).</param>
/// <param name="Name">The bot user's name, as in <c>@cog</c>.</param>
sealed record BotIdentity(string UserId, string BotId, string Name);

/// <summary>Turns Events API payloads into <see cref="ChatMessage"/>s: <c>message</c> events of every
/// conversation type and <c>app_mention</c>; edits (<c>message_changed</c> with an <c>edited</c> mark) as edited messages;
/// the bot's own and every other bot's messages, previews and unfurls (<c>message_changed</c> without an edit), deletions
/// and channel notices dropped. Text is normalised (<see cref="SlackText.Normalize"/>), and a leading mention of the bot
/// removed (the message is then <see cref="ChatMessage.AddressedToBot"/>).</summary>
sealed class SlackEventTranslator(SlackDirectory directory, ILogger logger)
{
    /// <summary>Subtypes that are a person's message; every other subtype is dropped.</summary>
    static readonly HashSet<string> PersonSubtypes = new(StringComparer.Ordinal) { "file_share", "thread_broadcast", "me_message" };

    /// <summary>The keys under which a delivery is deduplicated: the <c>event_id</c> and the message itself (channel and
    /// <c>ts</c>; for an edit, the edit's own <c>ts</c>). Empty when the payload is not an event callback.</summary>
    public static string[] DeliveryKeys(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object)
            return [];
        var keys = new List<string>(2);
        if (Text(payload, "event_id") is { } eventId)
            keys.Add("event:" + eventId);
        if (Text(e, "channel") is { } channel && Text(e, "ts") is { } ts)
            keys.Add((Text(e, "subtype") == "message_changed" ? "edit:" : "message:") + channel + ":" + ts);
        return [.. keys];
    }

    /// <summary>The message in <paramref name="payload"/>, or <see langword="null"/> when it is not for Cog.</summary>
    public async Task<ChatMessage?> TranslateAsync(JsonElement payload, BotIdentity bot, CancellationToken cancellationToken)
    {
        if (Text(payload, "type") != "event_callback" || !payload.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.Object)
            return null;
        var type = Text(e, "type");
        if (type is not ("message" or "app_mention"))
            return null;
        var channel = Text(e, "channel");
        if (channel is null)
            return null;

        var message = e;
        var edited = false;
        if (Text(e, "subtype") is { } subtype)
        {
            if (subtype == "message_changed")
            {
                // Link unfurls and other previews also arrive as message_changed; only a real edit carries "edited".
                if (!e.TryGetProperty("message", out message) || message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("edited", out _)
                    || (e.TryGetProperty("previous_message", out var previous) && Text(previous, "text") == Text(message, "text")))
                    return null;
                edited = true;
            }
            else if (!PersonSubtypes.Contains(subtype))
            {
                return null;
            }
        }

        var userId = Text(message, "user");
        // Ours or another bot's: never commands, so bots cannot loop through Cog.
        if (userId is null || userId == bot.UserId || Text(message, "bot_id") is not null)
            return null;
        var ts = Text(message, "ts");
        var rawText = Text(message, "text") ?? "";
        if (ts is null)
            return null;

        var addressed = SlackText.TryStripLeadingMention(rawText, bot.UserId, out var stripped);
        var text = await NormalizeAsync(addressed ? stripped : rawText, bot, cancellationToken).ConfigureAwait(false);
        var threadTs = Text(message, "thread_ts");
        var direct = Text(e, "channel_type") == "im" || channel.StartsWith('D');
        var room = direct ? new ChatRoom(channel, ChatRoom.DirectName, IsDirect: true)
            : new ChatRoom(channel, await ChannelNameAsync(channel, cancellationToken).ConfigureAwait(false) ?? channel, IsDirect: false);
        var sender = await UserAsync(userId, cancellationToken).ConfigureAwait(false) ?? new ChatUser(userId, userId);
        return new ChatMessage(SlackChatProvider.ProviderName, ts, room, sender, text, edited,
            threadTs is not null && threadTs != ts ? threadTs : null, addressed);
    }

    async Task<string> NormalizeAsync(string text, BotIdentity bot, CancellationToken cancellationToken)
    {
        if (!text.Contains('<', StringComparison.Ordinal))
            return SlackText.Decode(text);
        var users = new HashSet<string>(StringComparer.Ordinal);
        var channels = new HashSet<string>(StringComparer.Ordinal);
        SlackText.CollectReferences(text, users, channels);
        var handles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in users)
        {
            if (id == bot.UserId)
                handles[id] = bot.Name;
            else if (await UserAsync(id, cancellationToken).ConfigureAwait(false) is { } user)
                handles[id] = user.Handle;
        }
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in channels)
        {
            if (await ChannelNameAsync(id, cancellationToken).ConfigureAwait(false) is { } name)
                names[id] = name;
        }
        return SlackText.Normalize(text, id => handles.GetValueOrDefault(id), id => names.GetValueOrDefault(id));
    }

    async Task<ChatUser?> UserAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await directory.GetUserAsync(id, cancellationToken).ConfigureAwait(false);
        }
        catch (ChatProviderException e)
        {
            SlackLog.LookupFailed(logger, "user " + id, e.Message);
            return null;
        }
    }

    async Task<string?> ChannelNameAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return (await directory.GetChannelAsync(id, cancellationToken).ConfigureAwait(false))?.Name;
        }
        catch (ChatProviderException e)
        {
            SlackLog.LookupFailed(logger, "channel " + id, e.Message);
            return null;
        }
    }

    static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
