namespace Cog.Relay.Transport;

/// <summary>How long the relay waits before connecting again: <see cref="Initial"/> doubling up to
/// <see cref="Maximum"/>, each delay spread by ±25 % so that many relays do not reconnect in step.</summary>
/// <param name="Initial">The first delay (1 s).</param>
/// <param name="Maximum">The longest delay (60 s).</param>
sealed record ReconnectPolicy(TimeSpan Initial, TimeSpan Maximum)
{
    /// <summary>1 s doubling to 60 s.</summary>
    public static ReconnectPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (0 after the first failure).</summary>
    /// <param name="attempt">How many attempts failed since the last successful connect, minus one.</param>
    /// <param name="random">A number in [0, 1) (the injected jitter source).</param>
    public TimeSpan Delay(int attempt, double random)
    {
        var factor = Math.Pow(2, Math.Clamp(attempt, 0, 30));
        var baseDelay = Math.Min(Initial.TotalMilliseconds * factor, Maximum.TotalMilliseconds);
        var jittered = baseDelay * (0.75 + (0.5 * Math.Clamp(random, 0, 1)));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, Maximum.TotalMilliseconds));
    }
}
