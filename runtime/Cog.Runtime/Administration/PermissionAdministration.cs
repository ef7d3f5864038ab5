using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Permissions: what the REST API and the <c>permission-*</c> chat commands do. Only
/// <c>site</c> permissions are created and deleted here; bundle permissions come and go with their bundle.</summary>
/// <remarks>Permissions are addressed by id or full name (<c>bundle:name</c>). A permission granted to a role cannot be
/// deleted. Every change is recorded (<see cref="AdminAudit"/>); a deletion is followed by
/// <see cref="IDirectoryChanges.GrantsChanged"/>. Thread-safe.</remarks>
public sealed class PermissionAdministration(IStore store, AdminAudit audit, IDirectoryChanges changes)
{
    readonly AdminRecorder _recorder = new(audit, changes);

    /// <summary>Every permission, or those of one namespace, by full name.</summary>
    public Task<IReadOnlyList<Permission>> ListAsync(string? ns, CancellationToken cancellationToken) => store.Permissions.ListAsync(ns, cancellationToken);

    /// <summary>The permission with this id or full name. NotFound.</summary>
    public async Task<AdminResult<Permission>> GetAsync(string idOrFullName, CancellationToken cancellationToken)
    {
        var permission = await FindAsync(store, idOrFullName, cancellationToken).ConfigureAwait(false);
        return permission is null ? AdminError.NotFound(IdentityMessages.PermissionNotFound) : permission;
    }

    /// <summary>Creates the <c>site</c> permission <paramref name="fullName"/> (<c>site:NAME</c>). Invalid (another
    /// namespace, a blank or malformed name, or taken).</summary>
    public async Task<AdminResult<Permission>> CreateAsync(AdminActor actor, string? fullName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (string.IsNullOrWhiteSpace(fullName))
            return AdminError.Invalid("name", IdentityMessages.Blank);
        const string Prefix = Permission.SiteNamespace + ":";
        if (!fullName.StartsWith(Prefix, StringComparison.Ordinal))
            return AdminError.Invalid("name", IdentityMessages.SiteNamespaceOnly);
        var name = fullName[Prefix.Length..];
        if (AdminChecks.NameError(name) is { } error)
            return AdminError.Invalid("name", error);
        var created = await store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), Permission.SiteNamespace, name, null), cancellationToken)
            .ConfigureAwait(false);
        if (!created.IsSuccess)
            return created.Error.Kind == StoreErrorKind.Duplicate ? AdminError.Invalid("name", IdentityMessages.Taken) : AdminChecks.FromStore(created.Error);
        var permission = created.Value!;
        await _recorder.RecordAsync(actor, [new AdminChange("permission.created", Subject(permission), Facts(permission))], null, cancellationToken)
            .ConfigureAwait(false);
        return permission;
    }

    /// <summary>Deletes a <c>site</c> permission. NotFound; Forbidden for a bundle permission; Refused while granted to
    /// a role.</summary>
    public async Task<AdminResult<Permission>> DeleteAsync(AdminActor actor, string idOrFullName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var permission = await FindAsync(store, idOrFullName, cancellationToken).ConfigureAwait(false);
        if (permission is null)
            return AdminError.NotFound(IdentityMessages.PermissionNotFound);
        if (permission.Namespace != Permission.SiteNamespace)
            return new AdminError(AdminErrorKind.Forbidden, IdentityMessages.DeleteOutsideSite);
        var deleted = await store.Permissions.DeleteAsync(permission.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return AdminChecks.FromStore(deleted.Error);
        await _recorder.GrantsAsync(actor, new AdminChange("permission.deleted", Subject(permission), Facts(permission)), cancellationToken)
            .ConfigureAwait(false);
        return permission;
    }

    internal static async Task<Permission?> FindAsync(IStoreSession session, string idOrFullName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrFullName);
        return await FindByFullNameAsync(session, idOrFullName, cancellationToken).ConfigureAwait(false)
            ?? await session.Permissions.GetAsync(idOrFullName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The permission <c>namespace:name</c>, or <see langword="null"/> (also for a name without a namespace).</summary>
    internal static async Task<Permission?> FindByFullNameAsync(IStoreSession session, string fullName, CancellationToken cancellationToken)
    {
        var colon = fullName.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || colon == fullName.Length - 1
            ? null
            : await session.Permissions.FindAsync(fullName[..colon], fullName[(colon + 1)..], cancellationToken).ConfigureAwait(false);
    }

    static string Subject(Permission permission) => "permission:" + permission.FullName;

    static Dictionary<string, string?> Facts(Permission permission) =>
        new(StringComparer.Ordinal) { ["id"] = permission.Id, ["name"] = permission.FullName };
}
