using Cog.Runtime.Identity;

namespace Cog.Runtime.Administration;

/// <summary>The catalog of identity and access messages: users, chat handles, groups, roles,
/// permissions, tokens, bootstrap. Cog 1.0's texts where it had them (its field messages are Ecto's); tests pin them.</summary>
public static class IdentityMessages
{
    /// <summary>Cog 1.0: the addressed user does not exist.</summary>
    public const string UserNotFound = "User not found";

    /// <summary>Cog 1.0: the addressed group does not exist.</summary>
    public const string GroupNotFound = "Group not found";

    /// <summary>The addressed role does not exist.</summary>
    public const string RoleNotFound = "Role not found";

    /// <summary>The addressed permission does not exist.</summary>
    public const string PermissionNotFound = "Permission not found";

    /// <summary>The addressed chat handle does not exist.</summary>
    public const string ChatHandleNotFound = "Chat handle not found";

    /// <summary>Field message (Ecto): a required field is missing or empty.</summary>
    public const string Blank = "can't be blank";

    /// <summary>Field message (Ecto): a unique name or address is taken.</summary>
    public const string Taken = "has already been taken";

    /// <summary>Field message (Ecto): the value has the wrong JSON type.</summary>
    public const string InvalidValue = "is invalid";

    /// <summary>Field message: a name contains white space or control characters.</summary>
    public const string InvalidFormat = "has invalid format";

    /// <summary>Field message: <c>POST /v1/permissions</c> creates <c>site</c> permissions only.</summary>
    public const string SiteNamespaceOnly = "must be in the site namespace (site:NAME)";

    /// <summary>Cog 1.0: the bootstrap group keeps its name.</summary>
    public const string AdminGroupRenamed = "The cog-admin group cannot be renamed";

    /// <summary>Cog 1.0: the bootstrap group cannot be deleted.</summary>
    public const string AdminGroupDeleted = "The cog-admin group cannot be deleted";

    /// <summary>Cog 1.0: the bootstrap role keeps its name.</summary>
    public const string AdminRoleRenamed = "The cog-admin role cannot be renamed";

    /// <summary>Cog 1.0: the bootstrap role cannot be deleted.</summary>
    public const string AdminRoleDeleted = "The cog-admin role cannot be deleted";

    /// <summary>Cog 1.0: the bootstrap group's role grant is protected.</summary>
    public const string AdminGroupRoleRevoked = "The cog-admin role cannot be revoked from the cog-admin group";

    /// <summary>Cog 1.0 (403): bundle permissions live and die with their bundle.</summary>
    public const string DeleteOutsideSite = "Deleting permissions outside of the site namespace is forbidden.";

    /// <summary>Cog 1.0 (403): unknown user, unknown email or wrong password, one text for all.</summary>
    public const string InvalidCredentials = "Invalid credentials";

    /// <summary><c>POST /v1/token</c> refused before checking the password: too many attempts (new).</summary>
    public static string TooManySignIns(int seconds) =>
        $"Too many sign-in attempts. Try again in {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} seconds.";

    /// <summary>Cog 1.0 (401): <c>POST /v1/token</c> without a username or email, or without a password.</summary>
    public const string MissingCredentials = "Give a username or an email address, and a password.";

    /// <summary>Cog 1.0 (423).</summary>
    public const string AlreadyBootstrapped = "Already bootstrapped";

    /// <summary>Bootstrap before the embedded bundle is installed would make an administrator with no permission.</summary>
    public const string OperablePermissionsMissing = "Cannot bootstrap: the operable bundle's permissions are not installed";

    /// <summary>Cog 1.0: the bootstrap role keeps every permission granted to it.</summary>
    public static string AdminRolePermissionRevoked(string permission) =>
        $"Permission '{permission}' cannot be revoked from the {Role.AdminName} role";

    /// <summary>A chat handle names a provider the server has no resolver for.</summary>
    public static string UnknownChatProvider(string provider) => $"Unknown chat provider '{provider}'";

    /// <summary>Cog 1.0: the chat provider does not know the handle.</summary>
    public static string HandleNotFound(string handle) => $"User with handle '{handle}' not found";

    /// <summary>One line for field errors: <c>username can't be blank; email_address has already been taken</c>.</summary>
    public static string InvalidFields(IReadOnlyDictionary<string, IReadOnlyList<string>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var parts = new List<string>();
        foreach (var (field, messages) in fields)
        {
            foreach (var message in messages)
                parts.Add(field + " " + message);
        }
        return string.Join("; ", parts);
    }

    /// <summary>One line for names that do not exist: <c>Unknown users: bob, eve</c>.</summary>
    public static string UnknownNames(string kind, IReadOnlyList<string> names) => $"Unknown {kind}: {string.Join(", ", names)}";
}
