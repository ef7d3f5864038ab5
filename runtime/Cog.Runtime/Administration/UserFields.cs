namespace Cog.Runtime.Administration;

/// <summary>The fields of a user to create or change; <see langword="null"/> means "not given" (unchanged on update).
/// An empty first or last name clears it.</summary>
/// <param name="Username">Unique, required; no white space.</param>
/// <param name="EmailAddress">Unique, required.</param>
/// <param name="FirstName">Optional.</param>
/// <param name="LastName">Optional.</param>
/// <param name="Password">Required on creation; an empty password on update leaves it unchanged (as Cog 1.0).</param>
public sealed record UserFields(string? Username = null, string? EmailAddress = null, string? FirstName = null, string? LastName = null,
    string? Password = null);
