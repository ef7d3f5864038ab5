namespace Cog.Api.Identity;

/// <summary>A group's member: the user without groups and handles.</summary>
sealed record MemberJson(string Id, string Username, string? FirstName, string? LastName, string EmailAddress);
