namespace Cog.Runtime.Identity;

/// <summary>A token just issued by <see cref="ApiTokens.IssueAsync"/>.</summary>
/// <param name="Value">The token itself: shown once, never stored.</param>
/// <param name="Token">What is stored (its hash, owner and lifetime).</param>
/// <param name="User">Its owner.</param>
public sealed record IssuedToken(string Value, ApiToken Token, User User);
