namespace Cog.Runtime.Relays;

/// <summary>Settings of the <see cref="RelayDispatcher"/> (docs/protocol.md §8.1).</summary>
public sealed class RelayDispatcherOptions
{
    /// <summary>How long a relay has to start an invocation: <c>ack_by</c> = send time + this. Default 5 s.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock difference tolerated between servers and relays. The server waits for an ack until
    /// <c>ack_by</c> + this, and for the result until <c>deadline</c> = <c>ack_by</c> + the command's timeout + this.
    /// Default 2 s.</summary>
    public TimeSpan ClockTolerance { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the pending requests are checked for a missed ack time or deadline (one timer for all of
    /// them). A missed time is noticed at most this late. Default 100 ms.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AckTimeout, TimeSpan.Zero, nameof(AckTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ClockTolerance, TimeSpan.Zero, nameof(ClockTolerance));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SweepInterval, TimeSpan.Zero, nameof(SweepInterval));
    }
}
