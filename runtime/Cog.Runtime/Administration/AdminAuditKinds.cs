namespace Cog.Runtime.Administration;

/// <summary>The kinds of the audit records written for bundle, rule, relay, relay-group and dynamic configuration
/// changes (<c>&lt;entity&gt;.&lt;verb&gt;</c>, see <see cref="AdminAudit"/>).</summary>
public static class AdminAuditKinds
{
    /// <summary>A bundle version was installed (details: bundle, version, digest, enabled, forced).</summary>
    public const string BundleInstalled = "bundle.installed";

    /// <summary>A bundle version was enabled.</summary>
    public const string BundleEnabled = "bundle.enabled";

    /// <summary>A bundle's enabled version was disabled.</summary>
    public const string BundleDisabled = "bundle.disabled";

    /// <summary>One version of a bundle was deleted.</summary>
    public const string BundleVersionUninstalled = "bundle.version_uninstalled";

    /// <summary>A whole bundle was deleted.</summary>
    public const string BundleUninstalled = "bundle.uninstalled";

    /// <summary>A site rule was created (or an existing rule re-enabled as one).</summary>
    public const string RuleCreated = "rule.created";

    /// <summary>A site rule was deleted.</summary>
    public const string RuleDeleted = "rule.deleted";

    /// <summary>A bundle rule was disabled (deleting a rule that came from a manifest).</summary>
    public const string RuleDisabled = "rule.disabled";

    /// <summary>A relay was registered.</summary>
    public const string RelayCreated = "relay.created";

    /// <summary>A relay's name, description or token changed.</summary>
    public const string RelayUpdated = "relay.updated";

    /// <summary>A relay was enabled.</summary>
    public const string RelayEnabled = "relay.enabled";

    /// <summary>A relay was disabled.</summary>
    public const string RelayDisabled = "relay.disabled";

    /// <summary>A relay was deleted.</summary>
    public const string RelayDeleted = "relay.deleted";

    /// <summary>A relay group was created.</summary>
    public const string RelayGroupCreated = "relay_group.created";

    /// <summary>A relay group was renamed or its description changed.</summary>
    public const string RelayGroupUpdated = "relay_group.updated";

    /// <summary>A relay group was deleted.</summary>
    public const string RelayGroupDeleted = "relay_group.deleted";

    /// <summary>A relay was added to a relay group.</summary>
    public const string RelayGroupRelayAdded = "relay_group.relay_added";

    /// <summary>A relay was removed from a relay group.</summary>
    public const string RelayGroupRelayRemoved = "relay_group.relay_removed";

    /// <summary>A bundle was assigned to a relay group.</summary>
    public const string RelayGroupBundleAssigned = "relay_group.bundle_assigned";

    /// <summary>A bundle was removed from a relay group.</summary>
    public const string RelayGroupBundleUnassigned = "relay_group.bundle_unassigned";

    /// <summary>A dynamic configuration layer was created or replaced (details name the layer, never its values).</summary>
    public const string ConfigLayerSet = "config.set";

    /// <summary>A dynamic configuration layer was deleted.</summary>
    public const string ConfigLayerDeleted = "config.deleted";
}
