namespace Cog.Runtime.Relays;

/// <summary>The broker's <see cref="IRelayCredentialStore"/> over the relay store (the database keeps credentials).</summary>
/// <remarks>Thread-safe when the store is.</remarks>
public sealed class StoredRelayCredentials(IRelayStore relays) : IRelayCredentialStore
{
    /// <inheritdoc />
    public async ValueTask<RelayCredential?> FindAsync(string relayId, CancellationToken cancellationToken)
    {
        var relay = await relays.GetAsync(relayId, cancellationToken).ConfigureAwait(false);
        return relay?.ToCredential();
    }
}
