namespace Cog.Runtime.Storage;

/// <summary>The catalog of store messages; tests pin the exact text.</summary>
public static class StoreErrors
{
    /// <summary>Cog 1.0: a handle is unique per chat provider.</summary>
    public const string ChatHandleClaimed = "Another user has claimed this chat handle";

    /// <summary>Cog 1.0: the admin group cannot lose its last member.</summary>
    public const string LastAdminMember = "The cog-admin group must have at least one member";

    /// <summary>An entity of kind <paramref name="entity"/> identified by <paramref name="key"/> does not exist.</summary>
    public static string NotFound(string entity, string key) => $"{entity} '{key}' does not exist";

    /// <summary>The name or key <paramref name="key"/> of an entity of kind <paramref name="entity"/> is taken.</summary>
    public static string Duplicate(string entity, string key) => $"{entity} '{key}' already exists";

    /// <summary>Cog 1.0: a user that triggers run as cannot be deleted.</summary>
    public static string UserRunsTrigger(string username, string trigger) =>
        $"User '{username}' cannot be deleted: trigger '{trigger}' runs as this user";

    /// <summary>Cog 1.0: a permission granted to a role cannot be deleted.</summary>
    public static string PermissionGranted(string permission, string role) =>
        $"Permission '{permission}' cannot be deleted: it is granted to role '{role}'";

    /// <summary>Bundle permissions live and die with their bundle.</summary>
    public static string PermissionOfBundle(string permission) =>
        $"Permission '{permission}' belongs to a bundle and is deleted only with it";

    /// <summary>A role granted to a group cannot be deleted (restrict semantics).</summary>
    public static string RoleGranted(string role, string group) =>
        $"Role '{role}' cannot be deleted: it is granted to group '{group}'";

    /// <summary>A group with members cannot be deleted (restrict semantics).</summary>
    public static string GroupHasMembers(string group) => $"Group '{group}' cannot be deleted: it has members";

    /// <summary>Cog 1.0: an enabled version cannot be deleted.</summary>
    public static string VersionEnabled(string bundle, string version) =>
        $"Version {version} of bundle '{bundle}' cannot be deleted: it is enabled";

    /// <summary>Cog 1.0: a bundle with an enabled version cannot be deleted.</summary>
    public static string BundleEnabled(string bundle) =>
        $"Bundle '{bundle}' cannot be deleted: one of its versions is enabled";

    /// <summary>Cog 1.0: the embedded bundle cannot be deleted, disabled or assigned.</summary>
    public static string BundleProtected(string bundle) => $"Bundle '{bundle}' is protected";

    /// <summary>Cog 1.0: installing a version that exists (HTTP 409).</summary>
    public static string DuplicateVersion(string bundle, string version) =>
        $"Version {version} of bundle '{bundle}' is already installed";
}
