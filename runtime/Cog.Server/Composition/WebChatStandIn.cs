using Cog.Runtime.Chat;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Composition;

/// <summary>STAND-IN until the chat service (issue 5, branch <c>chatcore</c>) is composed: the inbox of the web console's
/// chat alone. A direct message is a pipeline; in a shared room, text after the command prefix or the bot mention is.
/// The sender is the Cog user of that username (the web chat authenticated them). The reply goes back to the room (and
/// thread) through the provider. To be deleted when the chat service takes the web provider.</summary>
sealed class WebChatStandIn(IChatProvider provider, IStore store, IPipelineRunner runner, IReplyComposer composer, string prefix,
    TimeProvider time, ILogger logger) : IChatInbox
{
    public ValueTask ReceiveAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        var text = message.Text.Trim();
        if (text.StartsWith(prefix, StringComparison.Ordinal))
            text = text[prefix.Length..].Trim();
        else if (!message.Room.IsDirect)
        {
            if (provider.BotMention is { } mention && text.StartsWith(mention, StringComparison.OrdinalIgnoreCase))
                text = text[mention.Length..].TrimStart(':').Trim();
            else
                return ValueTask.CompletedTask;
        }
        if (text.Length == 0)
            return ValueTask.CompletedTask;
        // The pipeline runs in the background: the provider's connection goes on reading.
        _ = Task.Run(() => RunAsync(message, text), CancellationToken.None);
        return ValueTask.CompletedTask;
    }

    async Task RunAsync(ChatMessage message, string text)
    {
        try
        {
            var user = await store.Users.FindByUsernameAsync(message.Sender.Id, CancellationToken.None).ConfigureAwait(false);
            if (user is null)
                return;
            var started = time.GetUtcNow();
            var outcome = await runner.RunAsync(new PipelineRequest(text,
                new PipelineCaller(user.Id, user.Username, message.Sender.Handle, user.EmailAddress, provider.Name),
                new PipelineRoom(message.Room.Name, message.Room.IsDirect)), CancellationToken.None).ConfigureAwait(false);
            var reply = await composer.ComposeAsync(outcome, new ReplyContext(text, provider.Mention(message.Sender), started), CancellationToken.None)
                .ConfigureAwait(false);
            await provider.SendAsync(message.Room, new ChatReply(reply, message.ThreadId), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed chat reply is logged; it never takes the server down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ServerLog.ChatReplyFailed(logger, provider.Name, e);
        }
    }
}
