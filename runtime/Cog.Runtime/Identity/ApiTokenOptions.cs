namespace Cog.Runtime.Identity;

/// <summary>Configuration of <see cref="ApiTokens"/>.</summary>
public sealed class ApiTokenOptions
{
    /// <summary>How long a token works after it is issued. Default one week.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);
}
