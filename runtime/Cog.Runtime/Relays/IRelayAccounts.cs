namespace Cog.Runtime.Relays;

/// <summary>Relay logins kept outside Cog's store (an external broker's own accounts), told of every relay change so a
/// token is entered once, in Cog. <see cref="Administration.RelayAdministration"/> calls it with every change, before the
/// change is committed (a deletion: before the relay is deleted); an exception refuses the change, which is then not
/// made in Cog either, and its message is the reason the caller is given.</summary>
public interface IRelayAccounts
{
    /// <summary>The relay was created or changed: <paramref name="token"/> is its new token, or null when unchanged.</summary>
    Task RelaySavedAsync(string relayId, string? token, bool enabled, CancellationToken cancellationToken);

    /// <summary>The relay was deleted.</summary>
    Task RelayDeletedAsync(string relayId, CancellationToken cancellationToken);
}
