namespace Cog.Runtime.Pipeline;

/// <summary>An alias: a user alias (<see cref="OwnerUserId"/> set) or a site alias.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique per owner (and among site aliases).</param>
/// <param name="Pipeline">The pipeline text it expands to.</param>
/// <param name="OwnerUserId">The owner, or <see langword="null"/> for a site alias.</param>
public sealed record Alias(string Id, string Name, string Pipeline, string? OwnerUserId);
