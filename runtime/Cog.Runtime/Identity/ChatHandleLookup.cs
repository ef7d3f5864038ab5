namespace Cog.Runtime.Identity;

/// <summary>The answer of <see cref="IChatHandleResolver.ResolveAsync"/>.</summary>
/// <param name="ProviderUserId">The provider's id of the user, or <see langword="null"/> when not found.</param>
/// <param name="Message">Why it was not found, or <see langword="null"/> on success.</param>
public sealed record ChatHandleLookup(string? ProviderUserId, string? Message)
{
    /// <summary>Found.</summary>
    public static ChatHandleLookup Found(string providerUserId) => new(providerUserId, null);

    /// <summary>Not found, with the message to show.</summary>
    public static ChatHandleLookup NotFound(string message) => new(null, message);
}
