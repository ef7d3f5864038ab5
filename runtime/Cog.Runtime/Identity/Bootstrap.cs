using System.Security.Cryptography;
using Cog.Contracts.Relays;
using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>Bootstrap: the first administrator, role <c>cog-admin</c> holding every
/// <c>operable:*</c> permission, group <c>cog-admin</c> granted that role with the administrator as its member.</summary>
/// <remarks>
/// <para>"Bootstrapped" ⇔ the group <c>cog-admin</c> exists. Everything is created in one unit of work
/// (<see cref="IStore.BeginAsync"/>), the group first, so a failure — or a concurrent bootstrap, which then finds the
/// group taken — leaves nothing behind. The embedded <c>operable</c> bundle must be installed first (the server does
/// it at start), otherwise the administrator would hold no permission.</para>
/// <para>Missing fields default to username <c>admin</c>, name "Cog Administrator", email <c>cog@localhost</c> and a
/// random 32-character password without <c>;</c> or <c>#</c>. The change is recorded (<see cref="AdminAudit"/>, kind
/// <c>bootstrap.completed</c>, never the password) and followed by <see cref="IDirectoryChanges.GrantsChanged"/>.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class Bootstrap
{
    /// <summary>The default administrator's username.</summary>
    public const string DefaultUsername = "admin";

    /// <summary>The default administrator's first name.</summary>
    public const string DefaultFirstName = "Cog";

    /// <summary>The default administrator's last name.</summary>
    public const string DefaultLastName = "Administrator";

    /// <summary>The default administrator's email address.</summary>
    public const string DefaultEmailAddress = "cog@localhost";

    /// <summary>The name of the relay and relay group of an environment bootstrap.</summary>
    public const string DefaultRelayName = "default";

    /// <summary>The length of a generated password.</summary>
    public const int GeneratedPasswordLength = 32;

    /// <summary>The characters of a generated password: letters, digits and punctuation that needs no quoting in a
    /// shell or a URL, never <c>;</c> or <c>#</c> nor <c>%</c> (URI-decoded on login).</summary>
    const string PasswordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+=@^*!";

    const string OperableNamespace = "operable";

    readonly IStore _store;
    readonly PasswordHasher _passwords;
    readonly AdminAudit _audit;
    readonly IDirectoryChanges _changes;
    readonly TimeProvider _time;
    readonly UserAdministration _users;

    /// <summary>Creates the service; <paramref name="users"/> resolves an environment bootstrap's chat handle.</summary>
    public Bootstrap(IStore store, PasswordHasher passwords, AdminAudit audit, IDirectoryChanges changes, TimeProvider time, UserAdministration users)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(passwords);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(users);
        (_store, _passwords, _audit, _changes, _time, _users) = (store, passwords, audit, changes, time, users);
    }

    /// <summary>Whether the group <c>cog-admin</c> exists.</summary>
    public async Task<bool> IsBootstrappedAsync(CancellationToken cancellationToken) =>
        await _store.Groups.FindByNameAsync(Group.AdminName, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Bootstraps with <paramref name="user"/>'s fields, defaulting the missing ones (<c>POST /v1/bootstrap</c>).
    /// Locked when already bootstrapped; Invalid (user fields); Refused (operable permissions missing).</summary>
    public Task<AdminResult<BootstrapCredentials>> BootstrapAsync(UserFields? user, AdminActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        user ??= new UserFields();
        var fields = new UserFields(
            Default(user.Username, DefaultUsername), Default(user.EmailAddress, DefaultEmailAddress), Default(user.FirstName, DefaultFirstName),
            Default(user.LastName, DefaultLastName), string.IsNullOrEmpty(user.Password) ? GeneratePassword() : user.Password);
        return RunAsync(fields, null, null, actor, cancellationToken);
    }

    /// <summary>The environment bootstrap at start: when <paramref name="options"/> is complete and the
    /// server is not bootstrapped, bootstraps with its fields, chat handle and relay. <see langword="null"/> when there
    /// was nothing to do.</summary>
    public async Task<AdminResult<BootstrapCredentials>?> BootstrapFromEnvironmentAsync(BootstrapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsComplete || await IsBootstrappedAsync(cancellationToken).ConfigureAwait(false))
            return null;
        ChatHandle? handle = null;
        if (options.ChatHandle is { Provider: { Length: > 0 } provider, Handle: { Length: > 0 } handleText })
        {
            var resolved = await _users.ResolveAsync(provider, handleText, null, cancellationToken).ConfigureAwait(false);
            if (!resolved.IsSuccess)
                return resolved.Error;
            handle = new ChatHandle(StoreId.New(), "", provider.Trim().ToLowerInvariant(), handleText, resolved.Value!);
        }
        RelayRecord? relay = null;
        if (!string.IsNullOrWhiteSpace(options.RelayId) && !string.IsNullOrEmpty(options.RelayToken))
        {
            if (!Topics.IsValidRelayId(options.RelayId))
                return AdminError.Invalid("relay_id", IdentityMessages.InvalidFormat);
            relay = new RelayRecord(options.RelayId, DefaultRelayName, RelayToken.Hash(options.RelayToken), null, true, _time.GetUtcNow());
        }
        var fields = new UserFields(options.Username, options.EmailAddress, options.FirstName, options.LastName, options.Password);
        return await RunAsync(fields, handle, relay, AdminActor.System, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A random password of <see cref="GeneratedPasswordLength"/> characters without <c>;</c> or <c>#</c>.</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString(PasswordAlphabet, GeneratedPasswordLength);

    async Task<AdminResult<BootstrapCredentials>> RunAsync(UserFields fields, ChatHandle? handle, RelayRecord? relay, AdminActor actor,
        CancellationToken cancellationToken)
    {
        if (await IsBootstrappedAsync(cancellationToken).ConfigureAwait(false))
            return new AdminError(AdminErrorKind.Locked, IdentityMessages.AlreadyBootstrapped);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        AdminChecks.Add(errors, "username", AdminChecks.UsernameError(fields.Username));
        AdminChecks.Add(errors, "email_address", string.IsNullOrWhiteSpace(fields.EmailAddress) ? IdentityMessages.Blank : null);
        if (errors.Count > 0)
            return AdminError.Invalid(errors);

        // The slow hash before the unit of work: SQLite's write lock is not held while bcrypt runs.
        var user = new User(StoreId.New(), fields.Username!, fields.EmailAddress!, fields.FirstName, fields.LastName, _passwords.Hash(fields.Password!));
        var group = new Group(StoreId.New(), Group.AdminName);
        var role = new Role(StoreId.New(), Role.AdminName);
        var granted = new List<string>();
        var transaction = await _store.BeginAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (!(await transaction.Groups.CreateAsync(group, cancellationToken).ConfigureAwait(false)).IsSuccess)
                return new AdminError(AdminErrorKind.Locked, IdentityMessages.AlreadyBootstrapped);
            var permissions = await transaction.Permissions.ListAsync(OperableNamespace, cancellationToken).ConfigureAwait(false);
            if (permissions.Count == 0)
                return AdminError.Refused(IdentityMessages.OperablePermissionsMissing);
            var createdUser = await transaction.Users.CreateAsync(user, cancellationToken).ConfigureAwait(false);
            if (!createdUser.IsSuccess)
                return createdUser.Error.Kind == StoreErrorKind.Duplicate ? TakenError(createdUser.Error, user) : AdminChecks.FromStore(createdUser.Error);
            var existingRole = await transaction.Roles.FindByNameAsync(Role.AdminName, cancellationToken).ConfigureAwait(false);
            if (existingRole is not null)
                role = existingRole;
            else
                (await transaction.Roles.CreateAsync(role, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            foreach (var permission in permissions)
            {
                (await transaction.Roles.GrantPermissionAsync(role.Id, permission.Id, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
                granted.Add(permission.FullName);
            }
            (await transaction.Groups.GrantRoleAsync(group.Id, role.Id, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            (await transaction.Groups.AddMemberAsync(group.Id, user.Id, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            if (handle is not null)
            {
                var attached = await transaction.Users.SetChatHandleAsync(handle with { UserId = user.Id }, cancellationToken).ConfigureAwait(false);
                if (!attached.IsSuccess)
                    return AdminChecks.FromStore(attached.Error);
            }
            if (relay is not null)
            {
                var createdRelay = await transaction.Relays.CreateAsync(relay, cancellationToken).ConfigureAwait(false);
                if (!createdRelay.IsSuccess)
                    return AdminChecks.FromStore(createdRelay.Error);
                var relayGroup = new RelayGroup(StoreId.New(), DefaultRelayName, null, relay.CreatedAt);
                var createdGroup = await transaction.Relays.CreateGroupAsync(relayGroup, cancellationToken).ConfigureAwait(false);
                if (!createdGroup.IsSuccess)
                    return AdminChecks.FromStore(createdGroup.Error);
                (await transaction.Relays.AddMemberAsync(relayGroup.Id, relay.Id, cancellationToken).ConfigureAwait(false)).GetValueOrThrow();
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var details = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["username"] = user.Username,
            ["email_address"] = user.EmailAddress,
            ["group"] = Group.AdminName,
            ["role"] = Role.AdminName,
            ["permissions"] = string.Join(",", granted),
            ["chat_handle"] = handle is null ? null : handle.Provider + ":" + handle.Handle,
            ["relay"] = relay?.Id,
        };
        try
        {
            await _audit.RecordAsync(actor.Username, actor.Origin, "bootstrap.completed", "user:" + user.Username, details, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _changes.GrantsChanged();
            if (relay is not null)
                _changes.RelaysChanged();
        }
        return new BootstrapCredentials(user.Username, fields.Password!);
    }

    static AdminError TakenError(StoreError error, User user) =>
        AdminError.Invalid(error.Message.Contains(user.EmailAddress, StringComparison.Ordinal) && !error.Message.Contains(user.Username, StringComparison.Ordinal)
            ? "email_address" : "username", IdentityMessages.Taken);

    static string Default(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
}
