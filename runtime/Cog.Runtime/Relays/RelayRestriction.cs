namespace Cog.Runtime.Relays;

/// <summary>Which relays may run a command, beyond having announced its bundle version: the relays of the bundle's
/// relay groups and/or the relays carrying a tag. Both must hold when both are given.</summary>
/// <param name="RelayIds">The allowed relay ids (the enabled relays of the bundle's relay groups), or
/// <see langword="null"/> for any relay. An empty set allows none.</param>
/// <param name="Tag">A tag the relay must carry (<see cref="Cog.Contracts.Relays.RelayStatus.Tags"/>), or
/// <see langword="null"/>.</param>
public sealed record RelayRestriction(IReadOnlySet<string>? RelayIds, string? Tag = null)
{
    internal bool Allows(RelayEntry entry) =>
        (RelayIds is null || RelayIds.Contains(entry.RelayId)) && (Tag is null || entry.HasTag(Tag));
}
