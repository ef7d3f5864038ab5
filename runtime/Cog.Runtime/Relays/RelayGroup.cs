namespace Cog.Runtime.Relays;

/// <summary>A relay group: relays as members, bundles assigned.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="Name">Unique.</param>
/// <param name="Description">Optional.</param>
/// <param name="CreatedAt">Creation time.</param>
public sealed record RelayGroup(string Id, string Name, string? Description, DateTimeOffset CreatedAt);
