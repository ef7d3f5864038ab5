namespace Cog.Api.Identity;

/// <summary>A permission; <c>bundle</c> is its namespace (a bundle name or <c>site</c>).</summary>
sealed record PermissionJson(string Id, string Name, string Bundle);
