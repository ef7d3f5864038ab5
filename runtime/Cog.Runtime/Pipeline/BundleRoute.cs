namespace Cog.Runtime.Pipeline;

/// <summary>Where a bundle's commands may run, as the <see cref="RelayCommandExecutor"/> needs it.</summary>
/// <param name="Bundle">The bundle's name.</param>
/// <param name="EnabledVersion">The enabled version, or <see langword="null"/> when the bundle is disabled.</param>
/// <param name="Digest">The enabled version's package digest, or <see langword="null"/>.</param>
/// <param name="Assigned">Whether the bundle is assigned to at least one relay group.</param>
/// <param name="RelayIds">The enabled relays of those groups.</param>
/// <param name="HasDisabledRelays">Whether those groups also hold disabled relays.</param>
sealed record BundleRoute(string Bundle, string? EnabledVersion, string? Digest, bool Assigned, IReadOnlySet<string> RelayIds, bool HasDisabledRelays);
