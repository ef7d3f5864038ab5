namespace Cog.Runtime.Pipeline;

/// <summary>The change-notification seam of the cached directory (<see cref="StorePipelineDirectory"/>): whoever changes
/// the store — the bundle registry, the built-in admin commands, the REST API — says what kind of thing changed, and the
/// cached snapshots of that kind are dropped, so the next pipeline reads the store again.</summary>
/// <remarks>Each method is cheap, thread-safe and never throws; call it <b>after</b> the change is committed.</remarks>
public interface IDirectoryChanges
{
    /// <summary>Bundles, versions (installed, enabled, disabled, deleted), commands, rules (bundle or site) or site
    /// aliases changed: the command space is rebuilt on next use.</summary>
    void CatalogChanged();

    /// <summary>A user's own aliases changed.</summary>
    void UserAliasesChanged(string userId);

    /// <summary>Any grant changed: a group's members or roles, a role's permissions, a permission or user deleted.
    /// Every cached permission set is dropped.</summary>
    void GrantsChanged();

    /// <summary>Relays, relay groups, their members or their bundle assignments changed (including a relay enabled or
    /// disabled): where commands may run is recomputed on next use.</summary>
    void RelaysChanged();

    /// <summary>A bundle's dynamic configuration layers changed.</summary>
    void ConfigChanged();
}
