using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Users and their chat handles: what the REST API and the <c>user-*</c> chat commands
/// do. Every change is recorded (<see cref="AdminAudit"/>) before the call returns.</summary>
/// <remarks>
/// <para>Users are addressed by id or username. Validation follows Cog 1.0: username and email address required and
/// unique, password required on creation (field messages "can't be blank", "has already been taken"); a username may
/// not hold white space. Deleting follows Cog 1.0: refused while a trigger runs as the user or when the user is
/// the last member of <c>cog-admin</c>.</para>
/// <para>Chat handles are resolved by the provider's <see cref="IChatHandleResolver"/> unless the caller gives the
/// provider user id; a provider without a resolver is unknown.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class UserAdministration
{
    readonly IStore _store;
    readonly PasswordHasher _passwords;
    readonly AdminRecorder _recorder;
    readonly Dictionary<string, IChatHandleResolver> _resolvers = new(StringComparer.Ordinal);

    /// <summary>Creates the service over <paramref name="store"/>, recording with <paramref name="audit"/> and telling
    /// <paramref name="changes"/>; <paramref name="resolvers"/> are the known chat providers.</summary>
    public UserAdministration(IStore store, PasswordHasher passwords, AdminAudit audit, IDirectoryChanges changes, IEnumerable<IChatHandleResolver> resolvers)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(passwords);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(resolvers);
        (_store, _passwords, _recorder) = (store, passwords, new AdminRecorder(audit, changes));
        foreach (var resolver in resolvers)
            _resolvers[resolver.Provider.ToLowerInvariant()] = resolver;
    }

    /// <summary>Every user with groups and handles, by username.</summary>
    public async Task<IReadOnlyList<UserDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var users = await _store.Users.ListAsync(cancellationToken).ConfigureAwait(false);
        var handles = await _store.Users.ListChatHandlesAsync(null, cancellationToken).ConfigureAwait(false);
        var groupsOf = new Dictionary<string, List<Group>>(StringComparer.Ordinal);
        foreach (var group in await _store.Groups.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var member in await _store.Groups.ListMembersAsync(group.Id, cancellationToken).ConfigureAwait(false))
            {
                if (!groupsOf.TryGetValue(member.Id, out var list))
                    groupsOf[member.Id] = list = [];
                list.Add(group);
            }
        }
        var result = new List<UserDetails>(users.Count);
        foreach (var user in users)
        {
            var own = new List<ChatHandle>();
            foreach (var handle in handles)
            {
                if (handle.UserId == user.Id)
                    own.Add(handle);
            }
            result.Add(new UserDetails(user, groupsOf.TryGetValue(user.Id, out var groups) ? groups : [], own));
        }
        return result;
    }

    /// <summary>The user with this id or username, with groups and handles. NotFound.</summary>
    public async Task<AdminResult<UserDetails>> GetAsync(string idOrUsername, CancellationToken cancellationToken)
    {
        var user = await FindAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
        return user is null ? AdminError.NotFound(IdentityMessages.UserNotFound) : await DetailsAsync(user, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The user with this id or username, or <see langword="null"/>.</summary>
    public async Task<User?> FindAsync(string idOrUsername, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(idOrUsername);
        return await _store.Users.GetAsync(idOrUsername, cancellationToken).ConfigureAwait(false)
            ?? await _store.Users.FindByUsernameAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates a user. Invalid (field errors).</summary>
    public async Task<AdminResult<UserDetails>> CreateAsync(AdminActor actor, UserFields fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(fields);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        AdminChecks.Add(errors, "username", AdminChecks.UsernameError(fields.Username));
        AdminChecks.Add(errors, "email_address", string.IsNullOrWhiteSpace(fields.EmailAddress) ? IdentityMessages.Blank : null);
        AdminChecks.Add(errors, "password", string.IsNullOrEmpty(fields.Password) ? IdentityMessages.Blank : null);
        await CheckTakenAsync(errors, null, fields, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
            return AdminError.Invalid(errors);

        var user = new User(StoreId.New(), fields.Username!, fields.EmailAddress!, Optional(fields.FirstName), Optional(fields.LastName),
            _passwords.Hash(fields.Password!));
        var created = await _store.Users.CreateAsync(user, cancellationToken).ConfigureAwait(false);
        if (!created.IsSuccess)
            return AdminChecks.FromStore(created.Error);
        await _recorder.RecordAsync(actor, [new AdminChange("user.created", Subject(user), Facts(user))], null, cancellationToken).ConfigureAwait(false);
        return new UserDetails(user, [], []);
    }

    /// <summary>Changes the given fields of a user. NotFound, Invalid.</summary>
    public async Task<AdminResult<UserDetails>> UpdateAsync(AdminActor actor, string idOrUsername, UserFields changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(changes);
        var user = await FindAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
        if (user is null)
            return AdminError.NotFound(IdentityMessages.UserNotFound);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (changes.Username is not null)
            AdminChecks.Add(errors, "username", AdminChecks.UsernameError(changes.Username));
        if (changes.EmailAddress is not null)
            AdminChecks.Add(errors, "email_address", string.IsNullOrWhiteSpace(changes.EmailAddress) ? IdentityMessages.Blank : null);
        await CheckTakenAsync(errors, user.Id, changes, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
            return AdminError.Invalid(errors);

        var passwordChanged = !string.IsNullOrEmpty(changes.Password);
        var updated = user with
        {
            Username = changes.Username ?? user.Username,
            EmailAddress = changes.EmailAddress ?? user.EmailAddress,
            FirstName = changes.FirstName is null ? user.FirstName : Optional(changes.FirstName),
            LastName = changes.LastName is null ? user.LastName : Optional(changes.LastName),
            PasswordHash = passwordChanged ? _passwords.Hash(changes.Password!) : user.PasswordHash,
        };
        var stored = await _store.Users.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
            return AdminChecks.FromStore(stored.Error);
        var facts = Facts(updated);
        facts["password"] = passwordChanged ? "changed" : null;
        if (updated.Username != user.Username)
            facts["previous_username"] = user.Username;
        await _recorder.RecordAsync(actor, [new AdminChange("user.updated", Subject(updated), facts)], null, cancellationToken).ConfigureAwait(false);
        return await DetailsAsync(updated, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a user with their handles, memberships and tokens. NotFound; Refused while a trigger runs as
    /// the user or for the last member of <c>cog-admin</c>.</summary>
    public async Task<AdminResult<User>> DeleteAsync(AdminActor actor, string idOrUsername, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await FindAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
        if (user is null)
            return AdminError.NotFound(IdentityMessages.UserNotFound);
        var deleted = await _store.Users.DeleteAsync(user.Id, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return AdminChecks.FromStore(deleted.Error);
        await _recorder.GrantsAsync(actor, new AdminChange("user.deleted", Subject(user), Facts(user)), cancellationToken).ConfigureAwait(false);
        return user;
    }

    /// <summary>Every chat handle, by provider and handle.</summary>
    public Task<IReadOnlyList<ChatHandle>> ListChatHandlesAsync(CancellationToken cancellationToken) =>
        _store.Users.ListChatHandlesAsync(null, cancellationToken);

    /// <summary>A user's chat handles. NotFound.</summary>
    public async Task<AdminResult<IReadOnlyList<ChatHandle>>> ListChatHandlesAsync(string idOrUsername, CancellationToken cancellationToken)
    {
        var user = await FindAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
        return user is null
            ? AdminError.NotFound(IdentityMessages.UserNotFound)
            : AdminResult<IReadOnlyList<ChatHandle>>.Success(await _store.Users.ListChatHandlesAsync(user.Id, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The chat handle with this id, or <see langword="null"/>.</summary>
    public async Task<ChatHandle?> FindChatHandleAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var handle in await _store.Users.ListChatHandlesAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (handle.Id == id)
                return handle;
        }
        return null;
    }

    /// <summary>Gives a user a handle on <paramref name="provider"/>, replacing their previous one there (one per
    /// user per provider). The provider user id is <paramref name="providerUserId"/> when given, else
    /// looked up by the provider's resolver. NotFound (user); Invalid (blank handle or provider); Refused (unknown
    /// provider, unknown handle, handle claimed by another user).</summary>
    public async Task<AdminResult<ChatHandle>> AttachChatHandleAsync(AdminActor actor, string idOrUsername, string? provider, string? handle,
        string? providerUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await FindAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
        if (user is null)
            return AdminError.NotFound(IdentityMessages.UserNotFound);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        AdminChecks.Add(errors, "chat_provider", string.IsNullOrWhiteSpace(provider) ? IdentityMessages.Blank : null);
        AdminChecks.Add(errors, "handle", string.IsNullOrWhiteSpace(handle) ? IdentityMessages.Blank : null);
        if (errors.Count > 0)
            return AdminError.Invalid(errors);

        var resolved = await ResolveAsync(provider!, handle!, providerUserId, cancellationToken).ConfigureAwait(false);
        if (!resolved.IsSuccess)
            return resolved.Error;
        var chatHandle = new ChatHandle(StoreId.New(), user.Id, provider!.Trim().ToLowerInvariant(), handle!, resolved.Value!);
        var stored = await _store.Users.SetChatHandleAsync(chatHandle, cancellationToken).ConfigureAwait(false);
        if (!stored.IsSuccess)
            return AdminChecks.FromStore(stored.Error);
        await _recorder.RecordAsync(actor, [new AdminChange("chat_handle.attached", Subject(user), HandleFacts(chatHandle))], null, cancellationToken)
            .ConfigureAwait(false);
        return stored.Value!;
    }

    /// <summary>The provider user id for a handle: <paramref name="providerUserId"/> when given, else the resolver's
    /// answer. Refused for an unknown provider or handle.</summary>
    internal async Task<AdminResult<string>> ResolveAsync(string provider, string handle, string? providerUserId, CancellationToken cancellationToken)
    {
        var name = provider.Trim().ToLowerInvariant();
        if (!_resolvers.TryGetValue(name, out var resolver))
            return AdminError.Refused(IdentityMessages.UnknownChatProvider(provider));
        if (!string.IsNullOrWhiteSpace(providerUserId))
            return providerUserId;
        var lookup = await resolver.ResolveAsync(handle, cancellationToken).ConfigureAwait(false);
        return lookup.ProviderUserId is { } id ? id : AdminError.Refused(lookup.Message ?? IdentityMessages.HandleNotFound(handle));
    }

    /// <summary>Deletes the chat handle with this id. NotFound.</summary>
    public async Task<AdminResult<ChatHandle>> DeleteChatHandleAsync(AdminActor actor, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var handle = await FindChatHandleAsync(id, cancellationToken).ConfigureAwait(false);
        return handle is null ? AdminError.NotFound(IdentityMessages.ChatHandleNotFound) : await DetachAsync(actor, handle, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a user's handle on <paramref name="provider"/> (<c>user-detach-handle</c>). NotFound.</summary>
    public async Task<AdminResult<ChatHandle>> DetachChatHandleAsync(AdminActor actor, string idOrUsername, string provider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(provider);
        var user = await FindAsync(idOrUsername, cancellationToken).ConfigureAwait(false);
        if (user is null)
            return AdminError.NotFound(IdentityMessages.UserNotFound);
        var name = provider.Trim().ToLowerInvariant();
        foreach (var handle in await _store.Users.ListChatHandlesAsync(user.Id, cancellationToken).ConfigureAwait(false))
        {
            if (handle.Provider == name)
                return await DetachAsync(actor, handle, cancellationToken).ConfigureAwait(false);
        }
        return AdminError.NotFound(IdentityMessages.ChatHandleNotFound);
    }

    async Task<AdminResult<ChatHandle>> DetachAsync(AdminActor actor, ChatHandle handle, CancellationToken cancellationToken)
    {
        var deleted = await _store.Users.DeleteChatHandleAsync(handle.UserId, handle.Provider, cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return AdminChecks.FromStore(deleted.Error);
        var owner = await _store.Users.GetAsync(handle.UserId, cancellationToken).ConfigureAwait(false);
        await _recorder.RecordAsync(actor, [new AdminChange("chat_handle.detached", "user:" + (owner?.Username ?? handle.UserId), HandleFacts(handle))],
            null, cancellationToken).ConfigureAwait(false);
        return handle;
    }

    async Task<UserDetails> DetailsAsync(User user, CancellationToken cancellationToken) => new(
        user,
        await _store.Groups.ListGroupsOfUserAsync(user.Id, cancellationToken).ConfigureAwait(false),
        await _store.Users.ListChatHandlesAsync(user.Id, cancellationToken).ConfigureAwait(false));

    async Task CheckTakenAsync(Dictionary<string, IReadOnlyList<string>> errors, string? selfId, UserFields fields, CancellationToken cancellationToken)
    {
        if (!errors.ContainsKey("username") && fields.Username is not null
            && await _store.Users.FindByUsernameAsync(fields.Username, cancellationToken).ConfigureAwait(false) is { } byName && byName.Id != selfId)
            AdminChecks.Add(errors, "username", IdentityMessages.Taken);
        if (!errors.ContainsKey("email_address") && fields.EmailAddress is not null
            && await _store.Users.FindByEmailAsync(fields.EmailAddress, cancellationToken).ConfigureAwait(false) is { } byEmail && byEmail.Id != selfId)
            AdminChecks.Add(errors, "email_address", IdentityMessages.Taken);
    }

    static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    static string Subject(User user) => "user:" + user.Username;

    static Dictionary<string, string?> Facts(User user) => new(StringComparer.Ordinal)
    {
        ["id"] = user.Id,
        ["username"] = user.Username,
        ["email_address"] = user.EmailAddress,
        ["first_name"] = user.FirstName,
        ["last_name"] = user.LastName,
    };

    static Dictionary<string, string?> HandleFacts(ChatHandle handle) => new(StringComparer.Ordinal)
    {
        ["provider"] = handle.Provider,
        ["handle"] = handle.Handle,
        ["provider_user_id"] = handle.ProviderUserId,
    };
}
