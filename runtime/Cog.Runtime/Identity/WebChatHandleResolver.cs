namespace Cog.Runtime.Identity;

/// <summary>The built-in web console chat (provider <c>web</c>): its users are addressed by their handle, so a handle
/// is its own provider user id.</summary>
public sealed class WebChatHandleResolver : IChatHandleResolver
{
    /// <summary>The provider's name.</summary>
    public const string Name = "web";

    /// <inheritdoc/>
    public string Provider => Name;

    /// <inheritdoc/>
    public Task<ChatHandleLookup> ResolveAsync(string handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return Task.FromResult(ChatHandleLookup.Found(handle));
    }
}
