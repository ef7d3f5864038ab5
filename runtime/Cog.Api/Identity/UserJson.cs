namespace Cog.Api.Identity;

/// <summary>A user (never the password).</summary>
sealed record UserJson(string Id, string Username, string? FirstName, string? LastName, string EmailAddress,
    IReadOnlyList<NamedJson> Groups, IReadOnlyList<ChatHandleJson> ChatHandles);
