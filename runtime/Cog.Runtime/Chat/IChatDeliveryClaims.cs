namespace Cog.Runtime.Chat;

/// <summary>Where a chat provider that delivers at least once (Slack: redeliveries, a message sent both as
/// <c>message</c> and <c>app_mention</c>, each possibly to another server) asks whether a delivery is its to handle.</summary>
/// <remarks>Thread-safe. In a server the claims are in the store (<see cref="StoreChatDeliveryClaims"/>), shared by
/// every server on it; a provider running alone (its own tests) remembers them in memory.</remarks>
public interface IChatDeliveryClaims
{
    /// <summary>Whether the delivery known by <paramref name="keys"/> is this server's to handle: <see langword="true"/>
    /// for the first claim of any of its keys among every server sharing the claims, <see langword="false"/> for every
    /// later one (a duplicate: drop it).</summary>
    /// <param name="provider">The provider's name (<c>slack</c>).</param>
    /// <param name="keys">The delivery's keys; at least one.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    ValueTask<bool> TryClaimAsync(string provider, IReadOnlyList<string> keys, CancellationToken cancellationToken);
}
