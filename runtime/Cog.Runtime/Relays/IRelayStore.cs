using Cog.Runtime.Storage;

namespace Cog.Runtime.Relays;

/// <summary>Relays, relay groups, their members and bundle assignments.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values.</remarks>
public interface IRelayStore
{
    /// <summary>Registers a relay. Duplicate when the id or name is taken.</summary>
    Task<StoreResult<RelayRecord>> CreateAsync(RelayRecord relay, CancellationToken cancellationToken);

    /// <summary>The relay with this id, or <see langword="null"/>.</summary>
    Task<RelayRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The relay with this name, or <see langword="null"/>.</summary>
    Task<RelayRecord?> FindByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every relay, by name.</summary>
    Task<IReadOnlyList<RelayRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a relay's name, token hash, description and enabled flag (matched by id). NotFound, Duplicate.</summary>
    Task<StoreResult<RelayRecord>> UpdateAsync(RelayRecord relay, CancellationToken cancellationToken);

    /// <summary>Deletes a relay and its group memberships. NotFound.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds a relay group. Duplicate when the name is taken.</summary>
    Task<StoreResult<RelayGroup>> CreateGroupAsync(RelayGroup group, CancellationToken cancellationToken);

    /// <summary>The relay group with this id, or <see langword="null"/>.</summary>
    Task<RelayGroup?> GetGroupAsync(string id, CancellationToken cancellationToken);

    /// <summary>The relay group with this name, or <see langword="null"/>.</summary>
    Task<RelayGroup?> FindGroupByNameAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every relay group, by name.</summary>
    Task<IReadOnlyList<RelayGroup>> ListGroupsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a group's name and description. NotFound, Duplicate.</summary>
    Task<StoreResult<RelayGroup>> UpdateGroupAsync(RelayGroup group, CancellationToken cancellationToken);

    /// <summary>Deletes a group with its memberships and assignments. NotFound.</summary>
    Task<StoreResult<Done>> DeleteGroupAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds a relay to a group (no-op when a member). NotFound for an unknown group or relay.</summary>
    Task<StoreResult<Done>> AddMemberAsync(string groupId, string relayId, CancellationToken cancellationToken);

    /// <summary>Removes a relay from a group (no-op when not a member).</summary>
    Task<StoreResult<Done>> RemoveMemberAsync(string groupId, string relayId, CancellationToken cancellationToken);

    /// <summary>A group's relays, by name.</summary>
    Task<IReadOnlyList<RelayRecord>> ListMembersAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>The groups a relay belongs to, by name.</summary>
    Task<IReadOnlyList<RelayGroup>> ListGroupsOfRelayAsync(string relayId, CancellationToken cancellationToken);

    /// <summary>Assigns a bundle to a group (no-op when assigned). NotFound; Protected for the built-in bundle.</summary>
    Task<StoreResult<Done>> AssignBundleAsync(string groupId, string bundleId, CancellationToken cancellationToken);

    /// <summary>Unassigns a bundle from a group (no-op when not assigned).</summary>
    Task<StoreResult<Done>> UnassignBundleAsync(string groupId, string bundleId, CancellationToken cancellationToken);

    /// <summary>The ids of the bundles assigned to a group, sorted.</summary>
    Task<IReadOnlyList<string>> ListGroupBundlesAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>The ids of the bundles a relay serves: assigned to any of its groups, distinct, sorted.</summary>
    Task<IReadOnlyList<string>> ListRelayBundlesAsync(string relayId, CancellationToken cancellationToken);
}
