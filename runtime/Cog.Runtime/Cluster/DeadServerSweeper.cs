using Cog.Runtime.Audit;
using Cog.Runtime.Chat;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Rendering;
using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Cluster;

/// <summary>What a live server does about a server that died sharing its store (run under the <see cref="LeaseName"/>
/// lease, <see cref="LeasedJob"/>): for each instance whose heartbeat is older than <see cref="ClusterTimings.InstanceTtl"/>,
/// it takes the instance's row away (one sweeper wins it), marks the pipelines it left running interrupted in the audit
/// log with what is known (<see cref="InterruptedPipelines"/>), and tells each person who asked, in the room they asked
/// in (or directly), where the chat provider is running on this server.</summary>
/// <remarks>
/// <para>A dead server that restarts before a peer swept it marks its own pipelines at start, as a lone server does.</para>
/// <para>Only a server that has watched the store for a whole TTL judges: sweeps must have come at least every two
/// heartbeats for <see cref="ClusterTimings.InstanceTtl"/> before anybody is taken for dead. After an outage of the store
/// (a PostgreSQL failover longer than the TTL) every heartbeat in it is old, the live peers' too; they beat again within a
/// heartbeat of the store's return, so waiting a TTL of watching keeps a sweeper from marking the pipelines of live
/// servers interrupted. The same holds for a server that just started or just took the lease over.</para>
/// </remarks>
public sealed class DeadServerSweeper(IStore store, AuditWriter writer, ChatProviders providers, string instance, ClusterTimings timings,
    TimeProvider time, ILogger<DeadServerSweeper> logger)
{
    DateTimeOffset? _watchingSince;
    DateTimeOffset _lastSweep;

    /// <summary>The lease the sweep runs under.</summary>
    public const string LeaseName = "dead-server-sweeper";

    /// <summary>Sweeps once (the caller calls it every heartbeat while it holds the lease); returns the pipelines marked
    /// interrupted. Nothing is judged until this sweeper has watched for a TTL (see the remarks).</summary>
    public async Task<IReadOnlyList<PipelineHistoryEntry>> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_watchingSince is null || now - _lastSweep > timings.Heartbeat * 2)
            _watchingSince = now;
        _lastSweep = now;
        if (now - _watchingSince < timings.InstanceTtl)
            return [];
        var deadAtOrBefore = now - timings.InstanceTtl;
        var marked = new List<PipelineHistoryEntry>();
        foreach (var dead in await store.Cluster.ListInstancesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (dead.Name == instance || dead.HeartbeatAt > deadAtOrBefore
                || !await store.Cluster.RemoveDeadInstanceAsync(dead.Name, deadAtOrBefore, cancellationToken).ConfigureAwait(false))
                continue;
            var left = await InterruptedPipelines.MarkAsync(store.History, store.Audit, writer, dead.Name, time, cancellationToken).ConfigureAwait(false);
            var interrupted = left.Where(static e => e.State == PipelineState.Interrupted).ToList();
            ClusterLog.DeadServerSwept(logger, dead.Name, dead.Host, dead.HeartbeatAt, interrupted.Count);
            foreach (var entry in interrupted)
                await TellAsync(entry, dead.Name, cancellationToken).ConfigureAwait(false);
            marked.AddRange(interrupted);
        }
        return marked;
    }

    /// <summary>Tells the person who ran <paramref name="entry"/> that it was interrupted: in its room, else directly.</summary>
    async Task TellAsync(PipelineHistoryEntry entry, string deadInstance, CancellationToken cancellationToken)
    {
        if (entry.Provider is null || providers.Find(entry.Provider) is not { } provider)
            return;
        try
        {
            var handle = (await store.Users.ListChatHandlesAsync(entry.UserId, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(h => string.Equals(h.Provider, provider.Name, StringComparison.OrdinalIgnoreCase));
            var user = handle is null ? null : await provider.FindUserAsync(handle.ProviderUserId, cancellationToken).ConfigureAwait(false);
            var room = entry.Room is { } name && await provider.FindRoomAsync(name, cancellationToken).ConfigureAwait(false) is { Room: { } found }
                ? found
                : user is not null ? await provider.OpenDirectAsync(user, cancellationToken).ConfigureAwait(false) : null;
            if (room is null)
            {
                ClusterLog.InterruptionNotSent(logger, entry.Id, provider.Name, "neither the room nor the user was found");
                return;
            }
            var mention = user is null || room.IsDirect ? "" : provider.Mention(user) + " ";
            var text = ChatMessages.Interrupted(mention, entry.Text, deadInstance, entry.Id);
            await provider.SendAsync(room, new ChatReply(ReplyDocument.FromText(text, ReplyKind.Error)), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // One person's notice failing (the provider down) must not stop the others' or the sweep.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ClusterLog.InterruptionNotSent(logger, entry.Id, provider.Name, e.Message);
        }
    }
}
