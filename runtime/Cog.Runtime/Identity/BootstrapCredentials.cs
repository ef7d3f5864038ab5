namespace Cog.Runtime.Identity;

/// <summary>The administrator a bootstrap created, with the password to hand to the operator (the one place a password
/// is ever returned).</summary>
/// <param name="Username">The administrator's username.</param>
/// <param name="Password">The administrator's password (given or generated).</param>
public sealed record BootstrapCredentials(string Username, string Password);
