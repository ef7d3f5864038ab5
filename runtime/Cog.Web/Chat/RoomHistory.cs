namespace Cog.Web.Chat;

/// <summary>The most recent messages of one room, oldest first, at most a fixed number.</summary>
/// <remarks>Thread-safe.</remarks>
sealed class RoomHistory(int limit)
{
    readonly Queue<WebChatEntry> _entries = new();
    readonly Lock _lock = new();

    public void Add(WebChatEntry entry)
    {
        lock (_lock)
        {
            _entries.Enqueue(entry);
            while (_entries.Count > limit)
                _entries.Dequeue();
        }
    }

    public WebChatEntry[] Snapshot()
    {
        lock (_lock)
            return [.. _entries];
    }
}
