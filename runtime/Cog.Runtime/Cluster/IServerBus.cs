namespace Cog.Runtime.Cluster;

/// <summary>
/// Short notices between the Cog servers that share one store: a cache to drop, a pipeline to kill, a web chat message
/// to push to a socket held by another server. Embedded (one server) it reaches nobody; on PostgreSQL it is
/// <c>LISTEN/NOTIFY</c>.
/// </summary>
/// <remarks>
/// <para><b>Contract.</b> <see cref="PublishAsync"/> returns once the notice is handed to the store; every <b>other</b>
/// server listening at that moment receives it once, in the order this server published; the sender never receives
/// its own notice (it acts locally itself). Notices are not stored: a server that is not listening misses them. When a
/// server's listener (re)connects, every subscriber receives one notice with <see cref="ServerNotice.Missed"/> set,
/// meaning "notices may have been lost: reload what you cache".</para>
/// <para>Publish only after the change it announces is committed, so a peer that reacts reads the new state.
/// A payload is at most <see cref="MaxPayloadBytes"/> bytes of UTF-8: send an id and let the peer read the rest from the
/// store. Handlers run on the listener's loop, one at a time: keep them short and never throw.</para>
/// </remarks>
public interface IServerBus
{
    /// <summary>The most UTF-8 bytes of one payload (PostgreSQL's NOTIFY takes 8,000 with the channel and envelope).</summary>
    const int MaxPayloadBytes = 7000;

    /// <summary>This server's instance name, unique among the servers sharing the store.</summary>
    string Instance { get; }

    /// <summary>Sends <paramref name="payload"/> on <paramref name="channel"/> to every other server.</summary>
    /// <exception cref="ArgumentException">The payload is longer than <see cref="MaxPayloadBytes"/>, or the channel is
    /// not 1–40 characters of <c>a-z</c>, <c>0-9</c>, <c>.</c> and <c>-</c>.</exception>
    ValueTask PublishAsync(string channel, string payload, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="handler"/> for each notice on <paramref name="channel"/> from another server, and
    /// for each <see cref="ServerNotice.Missed"/> notice; disposing the result stops it.</summary>
    IDisposable Subscribe(string channel, Action<ServerNotice> handler);
}

/// <summary>One notice from another server.</summary>
/// <param name="Channel">What it is about (<c>directory</c>, <c>pipeline.kill</c>...).</param>
/// <param name="From">The sending server's instance name; empty for a <paramref name="Missed"/> notice.</param>
/// <param name="Payload">What the sender published; empty for a <paramref name="Missed"/> notice.</param>
/// <param name="Missed">The listener (re)connected: notices may have been lost, reload what you cache.</param>
public readonly record struct ServerNotice(string Channel, string From, string Payload, bool Missed = false);
