namespace Cog.Runtime.Relays;

/// <summary>Relay logins kept outside Cog's store (an external broker's own accounts), told of every relay change so a
/// token is entered once, in Cog. <see cref="Administration.RelayAdministration"/> calls it after the store change; a
/// failure surfaces to the caller (the relay is stored, but the broker does not know the change yet).</summary>
public interface IRelayAccounts
{
    /// <summary>The relay was created or changed: <paramref name="token"/> is its new token, or null when unchanged.</summary>
    Task RelaySavedAsync(string relayId, string? token, bool enabled, CancellationToken cancellationToken);

    /// <summary>The relay was deleted.</summary>
    Task RelayDeletedAsync(string relayId, CancellationToken cancellationToken);
}
