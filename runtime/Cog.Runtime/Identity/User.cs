namespace Cog.Runtime.Identity;

/// <summary>A Cog user: the identity behind chat handles and API tokens.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Username">Unique.</param>
/// <param name="EmailAddress">Unique.</param>
/// <param name="FirstName">Optional.</param>
/// <param name="LastName">Optional.</param>
/// <param name="PasswordHash">The slow hash of the password; never the password.</param>
/// <param name="Active">Whether the user may act (an inactive user keeps its history and audit trail).</param>
public sealed record User(
    string Id, string Username, string EmailAddress, string? FirstName, string? LastName, string PasswordHash, bool Active = true);
