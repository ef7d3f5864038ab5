using Cog.Runtime.Storage;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Chat;

/// <summary>Chat delivery claims in the store (<see cref="IChatDeliveryStore"/>), shared by every server on it: a
/// delivery is handled by the one server whose claim inserted its keys first. Claims are kept for
/// <see cref="KeepFor"/> (longer than the provider goes on redelivering), then pruned by whichever server claims
/// something after a minute has passed since its last pruning (idempotent, so no lease is needed).</summary>
/// <remarks>Thread-safe. When the store cannot be reached the delivery is handled (and a warning logged): a person gets
/// an answer rather than silence, and a duplicate then needs the provider to have delivered the same event twice
/// during the outage.</remarks>
public sealed class StoreChatDeliveryClaims(IChatDeliveryStore store, string instance, TimeProvider time, ILogger<StoreChatDeliveryClaims> logger)
    : IChatDeliveryClaims
{
    /// <summary>How long a claim is kept: Slack redelivers up to about 5 minutes after the first delivery.</summary>
    public static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(10);

    static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    long _lastPruneTicks = time.GetUtcNow().UtcTicks;

    /// <inheritdoc/>
    public async ValueTask<bool> TryClaimAsync(string provider, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        bool claimed;
        try
        {
            claimed = await store.TryClaimAsync(provider, keys, instance, now, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException e)
        {
            ChatLog.DeliveryUnclaimed(logger, e, provider, keys[0]);
            return true;
        }
        var last = Interlocked.Read(ref _lastPruneTicks);
        if (now.UtcTicks - last >= PruneEvery.Ticks && Interlocked.CompareExchange(ref _lastPruneTicks, now.UtcTicks, last) == last)
        {
            try
            {
                await store.DeleteClaimedBeforeAsync(now - KeepFor, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException)
            {
                // The claim stands; old claims are pruned by the next attempt, a minute later.
            }
        }
        return claimed;
    }
}
