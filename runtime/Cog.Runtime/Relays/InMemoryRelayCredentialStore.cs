using System.Collections.Concurrent;

namespace Cog.Runtime.Relays;

/// <summary>An <see cref="IRelayCredentialStore"/> held in memory: for tests and the dev mode (which starts its own
/// relay), never for production, where the database keeps the credentials.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryRelayCredentialStore : IRelayCredentialStore
{
    readonly ConcurrentDictionary<string, RelayCredential> _credentials = new(StringComparer.Ordinal);

    /// <summary>Creates the relay <paramref name="relayId"/> with a new token (replacing any earlier credential of
    /// that id) and returns the token: the only time it is seen, as with <c>cogctl relay create</c>.</summary>
    public string Create(string relayId, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(relayId);
        var token = RelayToken.Generate();
        Set(new RelayCredential(relayId, RelayToken.Hash(token), enabled));
        return token;
    }

    /// <summary>Adds or replaces a credential.</summary>
    public void Set(RelayCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credentials[credential.RelayId] = credential;
    }

    /// <summary>Enables or disables the relay <paramref name="relayId"/>.</summary>
    /// <returns><see langword="false"/> when there is no such relay.</returns>
    public bool SetEnabled(string relayId, bool enabled)
    {
        while (_credentials.TryGetValue(relayId, out var current))
        {
            if (_credentials.TryUpdate(relayId, current with { Enabled = enabled }, current))
                return true;
        }
        return false;
    }

    /// <summary>Removes the relay <paramref name="relayId"/>.</summary>
    /// <returns><see langword="false"/> when there was no such relay.</returns>
    public bool Remove(string relayId) => _credentials.TryRemove(relayId, out _);

    /// <inheritdoc />
    public ValueTask<RelayCredential?> FindAsync(string relayId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_credentials.TryGetValue(relayId, out var credential) ? credential : null);
}
