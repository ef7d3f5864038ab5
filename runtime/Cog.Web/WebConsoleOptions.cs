namespace Cog.Web;

/// <summary>The web console's settings (the server binds them from <c>Cog:Chat:Web</c>).</summary>
public sealed class WebConsoleOptions
{
    /// <summary>The shared rooms every signed-in person sees, besides their own direct conversation with Cog. Default:
    /// <c>general</c>.</summary>
    public IList<string> Rooms { get; init; } = ["general"];

    /// <summary>How many recent messages each room keeps and sends to a person who joins. Default 100.</summary>
    public int HistoryLimit { get; init; } = 100;

    /// <summary>The file in which a server kept the rooms' recent messages before they moved into the store (one JSON
    /// object per line): imported into the store at start when it exists, then renamed <c>*.imported</c>. The server
    /// names <c>web-chat-history.jsonl</c> of its data directory.</summary>
    public string? HistoryFile { get; init; }

    /// <summary>How many frames may wait for one browser; a session with more is too slow and is dropped, so it never
    /// holds up the others. Default 256.</summary>
    public int SendQueueLimit { get; init; } = 256;

    /// <summary>How long a new connection has to send its authentication frame. Default 10 s.</summary>
    public TimeSpan AuthenticationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest message a person may write, in characters. Default 4000.</summary>
    public int MaxMessageLength { get; init; } = 4000;
}
