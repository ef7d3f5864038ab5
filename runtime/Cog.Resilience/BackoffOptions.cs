namespace Cog.Resilience;

/// <summary>How one use of <see cref="Backoff"/> waits between attempts: exponential back-off from <see cref="Delay"/>
/// doubling to <see cref="MaxDelay"/>, with jitter unless <see cref="UseJitter"/> is off, for at most
/// <see cref="MaxRetries"/> retries (or until cancelled).</summary>
public sealed record BackoffOptions
{
    /// <summary>The delay before the first retry; with jitter, the median of that delay.</summary>
    public required TimeSpan Delay { get; init; }

    /// <summary>The longest delay between two attempts; no jitter goes past it.</summary>
    public required TimeSpan MaxDelay { get; init; }

    /// <summary>How many times a failed attempt is retried before the pipeline gives up and returns the last outcome;
    /// <see langword="null"/> (the default) retries until the execution is cancelled.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Whether the delays are randomised (Polly's decorrelated jitter: each delay is spread between almost 0 and
    /// a little over twice the exponential one, still capped at <see cref="MaxDelay"/>), so that many clients that
    /// lost the same server do not come back in step. Default on; off, the delays are exactly <see cref="Delay"/>,
    /// 2 × <see cref="Delay"/>, 4 × <see cref="Delay"/>… up to <see cref="MaxDelay"/>.</summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>The jitter's source of numbers in [0, 1); Polly's own when <see langword="null"/>. Tests pin it.</summary>
    public Func<double>? Randomizer { get; init; }
}
