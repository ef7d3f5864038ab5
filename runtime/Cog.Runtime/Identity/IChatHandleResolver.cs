namespace Cog.Runtime.Identity;

/// <summary>Looks a chat handle up on one chat provider, to learn the provider's id of the user (Cog
/// 1.0 asked the live chat adapter). The server registers one per enabled provider; chat messages are then mapped to
/// Cog users by that id, so renaming the handle in chat does not break the mapping.</summary>
/// <remarks>Thread-safe. A provider that does not know the handle answers <see cref="ChatHandleLookup.NotFound"/>;
/// exceptions mean the provider could not be asked.</remarks>
public interface IChatHandleResolver
{
    /// <summary>The provider's name, lower-case (<c>slack</c>, <c>web</c>).</summary>
    string Provider { get; }

    /// <summary>The provider's user id for <paramref name="handle"/>.</summary>
    Task<ChatHandleLookup> ResolveAsync(string handle, CancellationToken cancellationToken);
}
