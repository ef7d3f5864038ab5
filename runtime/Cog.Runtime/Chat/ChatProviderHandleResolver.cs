using Cog.Runtime.Administration;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Chat;

/// <summary>Resolves chat handles on a running chat provider (creating a handle asks the live provider
/// for the person's id), so <c>chat-handle create</c> for <c>slack</c> stores the Slack user id.</summary>
/// <remarks>Thread-safe. A provider failure (<see cref="ChatProviderException"/>) propagates: the provider could not be
/// asked.</remarks>
public sealed class ChatProviderHandleResolver : IChatHandleResolver
{
    readonly IChatProvider _provider;

    /// <summary>Creates the resolver over <paramref name="provider"/>.</summary>
    public ChatProviderHandleResolver(IChatProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
    }

    /// <inheritdoc/>
    public string Provider => _provider.Name;

    /// <inheritdoc/>
    public async Task<ChatHandleLookup> ResolveAsync(string handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var user = await _provider.FindUserAsync(handle, cancellationToken).ConfigureAwait(false);
        return user is null ? ChatHandleLookup.NotFound(IdentityMessages.HandleNotFound(handle)) : ChatHandleLookup.Found(user.Id);
    }
}
