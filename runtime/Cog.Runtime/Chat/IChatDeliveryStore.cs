namespace Cog.Runtime.Chat;

/// <summary>The chat deliveries that some server sharing the store has taken on: a chat provider that delivers at least
/// once, to any of several servers (Slack's Socket Mode), claims each delivery here before handling it, so that it is
/// handled by one server, once.</summary>
/// <remarks>Thread-safe, and atomic across servers sharing the database. Exceptions mean a broken or unreachable
/// database.</remarks>
public interface IChatDeliveryStore
{
    /// <summary>Records every one of <paramref name="keys"/> as claimed by <paramref name="instance"/> at
    /// <paramref name="at"/>, unless any of them is recorded already: then nothing is recorded and the answer is
    /// <see langword="false"/>. Of two servers claiming a shared key at once, exactly one gets <see langword="true"/>.</summary>
    /// <param name="provider">The chat provider the keys belong to (<c>slack</c>); keys of different providers never meet.</param>
    /// <param name="keys">The delivery's keys (its event id, the message it carries...); at least one.</param>
    /// <param name="instance">The claiming server's instance name (kept for diagnosis).</param>
    /// <param name="at">When.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    Task<bool> TryClaimAsync(string provider, IReadOnlyList<string> keys, string instance, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Forgets the claims made before <paramref name="before"/>; returns how many.</summary>
    Task<int> DeleteClaimedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
