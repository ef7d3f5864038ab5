namespace Cog.Runtime.Identity;

/// <summary>Configuration of <see cref="SignInThrottle"/> (server settings <c>Cog:Api:SignIn:*</c>).</summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Consecutive failed sign-ins for one username from one client address before that pair is locked out.
    /// Default 5.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>How long a lockout lasts (fixed; the count starts again after it). Default 5 minutes.</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-in attempts (successful or not) one client address may make per <see cref="AddressWindow"/>. Default 20.</summary>
    public int MaxAttemptsPerAddress { get; set; } = 20;

    /// <summary>The fixed window of <see cref="MaxAttemptsPerAddress"/>. Default 1 minute.</summary>
    public TimeSpan AddressWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed sign-ins as one username, from any addresses, per <see cref="UserWindow"/> after which the username
    /// takes attempts only from addresses it has signed in from before. Default 50.</summary>
    public int MaxFailuresPerUser { get; set; } = 50;

    /// <summary>The fixed window of <see cref="MaxFailuresPerUser"/>. Default 15 minutes.</summary>
    public TimeSpan UserWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The most client addresses and (username, address) pairs remembered; past it, entries whose window and
    /// lockout have passed are forgotten. Default 100,000.</summary>
    public int MaxTracked { get; set; } = 100_000;
}
