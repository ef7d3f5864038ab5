namespace Cog.Api.Identity;

/// <summary>A chat handle.</summary>
sealed record ChatHandleJson(string Id, string Handle, ChatProviderJson ChatProvider, UserRefJson User, string ChatProviderUserId);
