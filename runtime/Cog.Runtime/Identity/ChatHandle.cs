namespace Cog.Runtime.Identity;

/// <summary>A user's handle on one chat provider: at most one per user per provider, and a
/// handle belongs to one user per provider.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="UserId">The owner.</param>
/// <param name="Provider">The chat provider (<c>slack</c>, <c>http</c>, ...).</param>
/// <param name="Handle">The handle as shown in chat.</param>
/// <param name="ProviderUserId">The provider's id of the user (Slack <c>U…</c>), the key chat messages are mapped by.</param>
public sealed record ChatHandle(string Id, string UserId, string Provider, string Handle, string ProviderUserId);
