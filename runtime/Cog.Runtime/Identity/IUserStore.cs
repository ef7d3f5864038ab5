using Cog.Runtime.Storage;

namespace Cog.Runtime.Identity;

/// <summary>Users and their chat handles.</summary>
/// <remarks>Thread-safe. Expected failures are <see cref="StoreResult{T}"/> values; exceptions mean a broken database.</remarks>
public interface IUserStore
{
    /// <summary>Adds a user. Fails with <see cref="StoreErrorKind.Duplicate"/> when the username or email is taken.</summary>
    Task<StoreResult<User>> CreateAsync(User user, CancellationToken cancellationToken);

    /// <summary>The user with this id, or <see langword="null"/>.</summary>
    Task<User?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The user with this username, or <see langword="null"/>.</summary>
    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    /// <summary>The user with this email address, or <see langword="null"/>.</summary>
    Task<User?> FindByEmailAsync(string emailAddress, CancellationToken cancellationToken);

    /// <summary>Every user, by username.</summary>
    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the user's fields (matched by id). NotFound or Duplicate (username, email).</summary>
    Task<StoreResult<User>> UpdateAsync(User user, CancellationToken cancellationToken);

    /// <summary>Deletes a user with its handles, memberships, tokens and aliases. Refused (InUse) while a trigger
    /// runs as the user; refused (Protected) for the last member of <c>cog-admin</c>.</summary>
    Task<StoreResult<Done>> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Adds or replaces the user's handle on <see cref="ChatHandle.Provider"/> (one per user per provider).
    /// Fails with <see cref="StoreErrors.ChatHandleClaimed"/> when another user holds the handle or provider user id.</summary>
    Task<StoreResult<ChatHandle>> SetChatHandleAsync(ChatHandle handle, CancellationToken cancellationToken);

    /// <summary>The user whose handle on <paramref name="provider"/> has this provider user id (how a chat message is
    /// mapped to a user), or <see langword="null"/>.</summary>
    Task<User?> FindByChatUserAsync(string provider, string providerUserId, CancellationToken cancellationToken);

    /// <summary>Chat handles, of one user or (<see langword="null"/>) of everybody.</summary>
    Task<IReadOnlyList<ChatHandle>> ListChatHandlesAsync(string? userId, CancellationToken cancellationToken);

    /// <summary>Deletes the user's handle on a provider. NotFound when there is none.</summary>
    Task<StoreResult<Done>> DeleteChatHandleAsync(string userId, string provider, CancellationToken cancellationToken);
}
