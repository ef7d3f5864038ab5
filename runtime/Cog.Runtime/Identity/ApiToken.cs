namespace Cog.Runtime.Identity;

/// <summary>A REST API token, stored hashed (<see cref="ApiTokenHash"/>), expiring.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="UserId">The user the token authenticates.</param>
/// <param name="TokenHash">The token's hash; the token itself is never stored.</param>
/// <param name="CreatedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it stops working.</param>
public sealed record ApiToken(string Id, string UserId, string TokenHash, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
