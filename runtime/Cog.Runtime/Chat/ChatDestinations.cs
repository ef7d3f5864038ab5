using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Chat;

/// <summary>Destinations and delivery: makes the per-pipeline <see cref="DestinationPlan"/> for a chat
/// or non-chat origin, and delivers a pipeline's reply: composed once, sent to every destination of the output, or only
/// to the origin for errors, aborts and early exits.</summary>
/// <remarks>
/// <para>A failed delivery to one destination does not stop the others; it is logged and the origin is told which
/// destinations missed the reply (<see cref="ChatMessages.DeliveryFailed"/>). A reply in a thread goes to the same thread
/// at the origin only.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class ChatDestinations
{
    readonly IUserStore _users;
    readonly IReplyComposer _composer;
    readonly ILogger _logger;

    /// <summary>Creates the component over the running <paramref name="providers"/>.</summary>
    public ChatDestinations(ChatProviders providers, IUserStore users, IReplyComposer composer, ILogger<ChatDestinations> logger)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(composer);
        ArgumentNullException.ThrowIfNull(logger);
        (Providers, _users, _composer, _logger) = (providers, users, composer, logger);
    }

    /// <summary>The running chat providers.</summary>
    public ChatProviders Providers { get; }

    /// <summary>The plan of a pipeline written in chat by <paramref name="sender"/> (Cog user <paramref name="userId"/>)
    /// in <paramref name="room"/>, in thread <paramref name="threadId"/> if any.</summary>
    public DestinationPlan ForChat(IChatProvider provider, ChatRoom room, string? threadId, ChatUser sender, string userId)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(userId);
        return new DestinationPlan(Providers, _users, new ChatDestination(provider, room, threadId, ChatDestination.Here), sender, userId);
    }

    /// <summary>The plan of a pipeline that did not come from chat (a trigger, the REST API) run by Cog user
    /// <paramref name="userId"/>: <c>here</c> is the HTTP response; chat is reached through <c>chat://</c> and
    /// <c>provider://</c> targets.</summary>
    public DestinationPlan ForHttp(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return new DestinationPlan(Providers, _users, null, null, userId);
    }

    /// <summary>Delivers the reply to <paramref name="outcome"/>: the output of a success to every destination of
    /// <paramref name="plan"/>; anything else (errors, aborts, early exit, a refused redirect) to the origin only (none
    /// for a non-chat origin). Returns what was delivered where. Throws only when cancelled.</summary>
    public async Task<DeliveryReport> DeliverAsync(DestinationPlan plan, PipelineOutcome outcome, ReplyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<ChatDestination> targets = outcome.Status == PipelineStatus.Succeeded && plan.IsResolved
            ? plan.Destinations
            : plan.Origin is { } origin ? [origin] : [];
        if (targets.Count == 0)
            return DeliveryReport.None;
        var body = await _composer.ComposeAsync(outcome, context, cancellationToken).ConfigureAwait(false);
        var delivered = new List<string>(targets.Count);
        var failed = new List<string>();
        foreach (var target in targets)
        {
            if (await TrySendAsync(target, body, outcome.PipelineId, cancellationToken).ConfigureAwait(false))
                delivered.Add(target.Target);
            else
                failed.Add(target.Target);
        }
        if (failed.Count > 0 && plan.Origin is { } home && !failed.Contains(home.Target))
            await TrySendAsync(home, ReplyDocument.FromText(ChatMessages.DeliveryFailed(failed), ReplyKind.Error), outcome.PipelineId, cancellationToken)
                .ConfigureAwait(false);
        return new DeliveryReport(delivered, failed);
    }

    /// <summary>Sends <paramref name="body"/> to <paramref name="destination"/> (its thread, if any); a failure is logged
    /// and answered <see langword="false"/>. Throws only when cancelled.</summary>
    public async Task<bool> TrySendAsync(ChatDestination destination, ReplyDocument body, string? pipelineId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await destination.Provider.SendAsync(destination.Room, new ChatReply(body, destination.ThreadId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Fan-out fails soft: one destination's failure is logged, the others proceed.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ChatLog.DeliveryFailed(_logger, e, destination.Provider.Name, destination.Room.Id, destination.Target, pipelineId ?? "-");
            return false;
        }
    }
}
