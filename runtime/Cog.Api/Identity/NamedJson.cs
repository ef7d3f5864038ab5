namespace Cog.Api.Identity;

/// <summary><c>{"id", "name"}</c>: a group, role or relation in a list.</summary>
sealed record NamedJson(string Id, string Name);
