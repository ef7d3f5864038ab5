namespace Cog.Runtime.Relays;

/// <summary>Looks up the stored credential of a relay.</summary>
/// <remarks>Implementations are thread-safe: the broker calls them concurrently, once per connection attempt.</remarks>
public interface IRelayCredentialStore
{
    /// <summary>The credential of the relay <paramref name="relayId"/>, or <see langword="null"/> when there is no
    /// such relay.</summary>
    ValueTask<RelayCredential?> FindAsync(string relayId, CancellationToken cancellationToken);
}
