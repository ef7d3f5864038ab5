namespace Cog.Api.Identity;

/// <summary>A reference to a user.</summary>
sealed record UserRefJson(string Id, string Username);
