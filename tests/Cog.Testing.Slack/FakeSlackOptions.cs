namespace Cog.Testing.Slack;

/// <summary>Timings and limits of a <see cref="FakeSlackServer"/>; tests shorten the deadlines.</summary>
public sealed class FakeSlackOptions
{
    /// <summary>How long an envelope may wait for its acknowledgement before it is delivered again. Slack: 3 s.</summary>
    public TimeSpan AckDeadline { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often an unacknowledged event is delivered again (with <c>retry_attempt</c> 1, 2, 3). Slack: 3.</summary>
    public int MaxRedeliveries { get; init; } = 3;

    /// <summary>The most live sockets per app; one more gets <c>disconnect/too_many_websockets</c>. Slack: 10.</summary>
    public int MaxSockets { get; init; } = 10;

    /// <summary>Whether the bot's own posts come back as <c>message</c> events with its <c>bot_id</c>, as on Slack (the
    /// adapter must ignore them).</summary>
    public bool EchoBotMessages { get; init; } = true;

    /// <summary>Whether <c>table</c> blocks are refused with <c>invalid_blocks</c> (to test the adapter's fallback).</summary>
    public bool RejectTableBlocks { get; init; }
}
