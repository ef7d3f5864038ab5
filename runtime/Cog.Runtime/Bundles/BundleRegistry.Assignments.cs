using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cog.Contracts.Relays;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Bundles;

/// <summary>Relay groups, memberships and the relays' bundle assignments.</summary>
public sealed partial class BundleRegistry : IRelayAssignments
{
    readonly SemaphoreSlim _publishing = new(1, 1);
    readonly Dictionary<string, long> _revisions = new(StringComparer.Ordinal); // guarded by _publishing
    readonly HashSet<string> _unpublished = new(StringComparer.Ordinal); // guarded by _publishing
    readonly ConcurrentDictionary<string, PackageFacts> _packages = new(StringComparer.Ordinal);

    /// <summary>Assigns a bundle to a relay group; the group's relays get their new assignments. NotFound; Protected for
    /// the built-in bundle.</summary>
    public Task<RegistryResult<Done>> AssignAsync(string relayGroup, string bundle, CancellationToken cancellationToken) =>
        ChangeAssignmentAsync(relayGroup, bundle, assign: true, cancellationToken);

    /// <summary>Removes a bundle from a relay group (no-op when not assigned); the group's relays get their new
    /// assignments. NotFound.</summary>
    public Task<RegistryResult<Done>> UnassignAsync(string relayGroup, string bundle, CancellationToken cancellationToken) =>
        ChangeAssignmentAsync(relayGroup, bundle, assign: false, cancellationToken);

    /// <summary>Adds a relay (by name, or by id) to a relay group (no-op when a member); the relay gets its new
    /// assignments. NotFound.</summary>
    public Task<RegistryResult<Done>> AddRelayAsync(string relayGroup, string relay, CancellationToken cancellationToken) =>
        ChangeMembershipAsync(relayGroup, relay, add: true, cancellationToken);

    /// <summary>Removes a relay (by name, or by id) from a relay group (no-op when not a member); the relay gets its new
    /// assignments. NotFound.</summary>
    public Task<RegistryResult<Done>> RemoveRelayAsync(string relayGroup, string relay, CancellationToken cancellationToken) =>
        ChangeMembershipAsync(relayGroup, relay, add: false, cancellationToken);

    /// <summary>Deletes a relay group with its memberships and assignments; its relays get their new assignments.
    /// NotFound.</summary>
    public async Task<RegistryResult<Done>> DeleteRelayGroupAsync(string relayGroup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayGroup);
        var group = await _store.Relays.FindGroupByNameAsync(relayGroup, cancellationToken).ConfigureAwait(false);
        if (group is null)
            return NotFound(BundleRegistryErrors.RelayGroupNotFound(relayGroup));
        var members = await _store.Relays.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
        var deleted = await _store.Relays.DeleteGroupAsync(group.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return RegistryError.FromStore(deleted.Error);
        _changes.RelaysChanged();
        await PublishAssignmentsAsync(members.Select(static r => r.Id), cancellationToken).ConfigureAwait(false);
        return Done.Value;
    }

    /// <summary>The bundle versions <paramref name="relayId"/> should serve now: the enabled version of every bundle
    /// assigned to one of its relay groups (never the built-in bundle; a version without a package is left out), by
    /// name.</summary>
    public async Task<ImmutableArray<BundleAssignment>> ComputeAssignmentsAsync(string relayId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayId);
        var bundleIds = await _store.Relays.ListRelayBundlesAsync(relayId, cancellationToken).ConfigureAwait(false);
        if (bundleIds.Count == 0)
            return [];
        var enabled = await _store.Bundles.ListEnabledVersionsAsync(cancellationToken).ConfigureAwait(false);
        var byBundle = new Dictionary<string, BundleVersion>(enabled.Count, StringComparer.Ordinal);
        foreach (var version in enabled)
            byBundle[version.BundleId] = version;

        var assignments = new List<BundleAssignment>(bundleIds.Count);
        foreach (var bundleId in bundleIds)
        {
            if (!byBundle.TryGetValue(bundleId, out var version) || version.PackageDigest is null)
                continue;
            var bundle = await _store.Bundles.GetAsync(bundleId, cancellationToken).ConfigureAwait(false);
            if (bundle is null || bundle.Name == Bundle.BuiltInName)
                continue;
            var facts = await FactsAsync(version, cancellationToken).ConfigureAwait(false);
            if (facts is null)
                continue;
            assignments.Add(new BundleAssignment(bundle.Name, version.Version, version.PackageDigest, facts.ManifestVersion, facts.Format,
                PackageUrl(relayId, bundle.Name, version.Version), facts.Size));
        }
        assignments.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return [.. assignments];
    }

    /// <summary>Computes and publishes the full assignments of each relay named (and of every relay whose last
    /// publication failed), each with a new, higher revision. A publication the transport refuses is logged and retried
    /// next time; it is not an error of the caller's change.</summary>
    public async Task PublishAssignmentsAsync(IEnumerable<string> relayIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayIds);
        await _publishing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var targets = new SortedSet<string>(relayIds, StringComparer.Ordinal);
            targets.UnionWith(_unpublished);
            foreach (var relayId in targets)
            {
                var bundles = await ComputeAssignmentsAsync(relayId, cancellationToken).ConfigureAwait(false);
                var revision = NextRevision(relayId);
                try
                {
                    await _transport.PublishAssignmentsAsync(new BundleAssignments(relayId, revision, bundles), cancellationToken).ConfigureAwait(false);
                    _unpublished.Remove(relayId);
                    BundleRegistryLog.Published(_logger, relayId, revision, bundles.Length);
                }
                catch (RelayTransportException e)
                {
                    _unpublished.Add(relayId);
                    BundleRegistryLog.PublishFailed(_logger, e, relayId, revision);
                }
            }
        }
        finally
        {
            _publishing.Release();
        }
    }

    /// <summary>Publishes the assignments of every registered relay (at start-up: retained messages then match the
    /// store whatever happened while the server was down).</summary>
    public async Task PublishAllAsync(CancellationToken cancellationToken)
    {
        var relays = await _store.Relays.ListAsync(cancellationToken).ConfigureAwait(false);
        await PublishAssignmentsAsync(relays.Select(static r => r.Id), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The revision of the next publication to <paramref name="relayId"/>; call under <see cref="_publishing"/>.</summary>
    long NextRevision(string relayId)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var revision = _revisions.TryGetValue(relayId, out var last) ? Math.Max(last + 1, now) : now;
        _revisions[relayId] = revision;
        return revision;
    }

    Uri PackageUrl(string relayId, string bundle, string version) =>
        new($"{_serverUrl}/v1/relays/{Uri.EscapeDataString(relayId)}/packages/{Uri.EscapeDataString(bundle)}/{Uri.EscapeDataString(version)}");

    async Task<RegistryResult<Done>> ChangeAssignmentAsync(string relayGroup, string bundle, bool assign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayGroup);
        ArgumentNullException.ThrowIfNull(bundle);
        var group = await _store.Relays.FindGroupByNameAsync(relayGroup, cancellationToken).ConfigureAwait(false);
        if (group is null)
            return NotFound(BundleRegistryErrors.RelayGroupNotFound(relayGroup));
        var found = await _store.Bundles.FindByNameAsync(bundle, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return NotFound(BundleRegistryErrors.BundleNotFound(bundle));
        var changed = assign
            ? await _store.Relays.AssignBundleAsync(group.Id, found.Id, cancellationToken).ConfigureAwait(false)
            : await _store.Relays.UnassignBundleAsync(group.Id, found.Id, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
            return RegistryError.FromStore(changed.Error);
        _changes.RelaysChanged();
        var members = await _store.Relays.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false);
        await PublishAssignmentsAsync(members.Select(static r => r.Id), cancellationToken).ConfigureAwait(false);
        return Done.Value;
    }

    async Task<RegistryResult<Done>> ChangeMembershipAsync(string relayGroup, string relay, bool add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relayGroup);
        ArgumentNullException.ThrowIfNull(relay);
        var group = await _store.Relays.FindGroupByNameAsync(relayGroup, cancellationToken).ConfigureAwait(false);
        if (group is null)
            return NotFound(BundleRegistryErrors.RelayGroupNotFound(relayGroup));
        var found = await _store.Relays.FindByNameAsync(relay, cancellationToken).ConfigureAwait(false)
            ?? await _store.Relays.GetAsync(relay, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return NotFound(BundleRegistryErrors.RelayNotFound(relay));
        var changed = add
            ? await _store.Relays.AddMemberAsync(group.Id, found.Id, cancellationToken).ConfigureAwait(false)
            : await _store.Relays.RemoveMemberAsync(group.Id, found.Id, cancellationToken).ConfigureAwait(false);
        if (!changed.IsSuccess)
            return RegistryError.FromStore(changed.Error);
        _changes.RelaysChanged();
        await PublishAssignmentsAsync([found.Id], cancellationToken).ConfigureAwait(false);
        return Done.Value;
    }

    /// <summary>Publishes to every relay in a relay group the bundle is assigned to.</summary>
    async Task PublishForBundleAsync(string bundleId, CancellationToken cancellationToken)
    {
        var relays = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in await _store.Relays.ListGroupsAsync(cancellationToken).ConfigureAwait(false))
        {
            var bundles = await _store.Relays.ListGroupBundlesAsync(group.Id, cancellationToken).ConfigureAwait(false);
            if (!bundles.Contains(bundleId))
                continue;
            foreach (var member in await _store.Relays.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
                relays.Add(member.Id);
        }
        if (relays.Count > 0)
            await PublishAssignmentsAsync(relays, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Format, size and manifest version of a version's package (immutable, so cached by version id).</summary>
    async ValueTask<PackageFacts?> FactsAsync(BundleVersion version, CancellationToken cancellationToken)
    {
        if (_packages.TryGetValue(version.Id, out var facts))
            return facts;
        var package = await _store.Bundles.GetPackageAsync(version.Id, cancellationToken).ConfigureAwait(false);
        if (package is null || package.Length == 0)
            return null;
        facts = new PackageFacts(StoredPackages.FormatOf(package), package.LongLength, StoredPackages.ManifestVersionOf(version.ManifestJson));
        _packages.TryAdd(version.Id, facts);
        return facts;
    }

    sealed record PackageFacts(PackageFormat Format, long Size, int ManifestVersion);
}
