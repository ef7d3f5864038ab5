namespace Cog.Api.Identity;

/// <summary>A chat provider.</summary>
sealed record ChatProviderJson(string Name);
