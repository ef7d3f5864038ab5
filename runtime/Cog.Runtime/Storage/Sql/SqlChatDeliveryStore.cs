using Cog.Runtime.Chat;

namespace Cog.Runtime.Storage.Sql;

sealed class SqlChatDeliveryStore(SqlExecutor executor) : IChatDeliveryStore
{
    public async Task<bool> TryClaimAsync(string provider, IReadOnlyList<string> keys, string instance, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count, nameof(keys));
        var claimedAlready = new StoreError(StoreErrorKind.Duplicate, "The delivery was claimed already.");
        // Insert-if-absent, key by key, in one transaction: a key another server holds (or is inserting: PostgreSQL makes
        // the second insert of a key wait for the first's commit) inserts nothing, and the whole claim is rolled back.
        var claimed = await executor.WriteAsync<Done>(async sql =>
        {
            foreach (var key in keys)
            {
                if (await sql.ExecuteAsync(
                        "INSERT INTO chat_deliveries (provider, delivery_key, instance, claimed_at) VALUES (@p, @k, @i, @t) ON CONFLICT DO NOTHING",
                        [("p", provider), ("k", key), ("i", instance), ("t", Read.Micros(at))], cancellationToken).ConfigureAwait(false) == 0)
                    return claimedAlready;
            }
            return Done.Value;
        }, null, cancellationToken).ConfigureAwait(false);
        return claimed.IsSuccess;
    }

    public async Task<int> DeleteClaimedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        (await executor.WriteAsync<int>(async sql =>
            await sql.ExecuteAsync("DELETE FROM chat_deliveries WHERE claimed_at < @t", [("t", Read.Micros(before))], cancellationToken).ConfigureAwait(false),
            null, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
}
