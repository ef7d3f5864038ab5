using System.Text;
using System.Text.Json;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.Audit;

/// <summary>
/// Where the records of things that already happened wait while the store is unavailable: audit entries (before they
/// are sealed into the chain) and pipeline history updates, in an append-only file on the server's disk, each append
/// fsync'ed before it returns. <see cref="AuditWriter"/> replays the spool, in order, before it appends anything newer,
/// so the chain keeps the order of events; the file survives a restart and is replayed at the next start.
/// </summary>
/// <remarks>
/// <para>Only what cannot be undone is spooled: the completion of a command that was dispatched, and the end of its
/// pipeline. A record that gates work (a pipeline's start, the decision before a dispatch) is never spooled: when the
/// store cannot take it, the work does not happen.</para>
/// <para>Format: one JSON object per line, <c>{"audit":{...}}</c> or <c>{"history":{...}}</c>. A line torn by a crash
/// during its append (no final newline) was never acknowledged to anyone and is dropped when the file is opened.</para>
/// <para>Thread-safe. The file is rewritten (to a temporary file, then renamed) only after a replay, with what is left.</para>
/// </remarks>
public sealed class AuditSpool
{
    /// <summary>The spool file's name in the server's data directory.</summary>
    public const string FileName = "audit-spool.jsonl";

    readonly string _path;
    readonly IHistoryStore _history;
    readonly List<SpooledWrite> _pending = [];
    readonly Lock _lock = new();

    AuditSpool(string path, IHistoryStore history)
    {
        (_path, _history) = (path, history);
    }

    /// <summary>Opens (or creates) the spool at <paramref name="path"/>, loading what an earlier run left there;
    /// history updates are replayed to <paramref name="history"/>.</summary>
    /// <exception cref="InvalidDataException">A complete line of the file is not a spooled record (the file was edited or
    /// damaged: it is left alone, for an operator to look at).</exception>
    public static AuditSpool Open(string path, IHistoryStore history)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(history);
        var spool = new AuditSpool(System.IO.Path.GetFullPath(path), history);
        if (File.Exists(spool._path))
        {
            var text = File.ReadAllText(spool._path, Encoding.UTF8);
            var complete = text.LastIndexOf('\n') + 1;
            var lines = text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < lines.Length; i++)
                spool._pending.Add(SpooledWrite.Parse(lines[i], spool._path, i + 1));
            if (complete < text.Length)
                spool.Rewrite(spool._pending);
        }
        return spool;
    }

    /// <summary>The spool file.</summary>
    public string Path => _path;

    /// <summary>How many records wait to be replayed.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _pending.Count;
        }
    }

    /// <summary>Appends audit entries durably (fsync'ed) after everything spooled before them.</summary>
    public void Append(IReadOnlyList<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Append([.. entries.Select(static e => new SpooledWrite(e, null))]);
    }

    /// <summary>Appends a pipeline history update durably (fsync'ed).</summary>
    public void Append(HistoryUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        Append([new SpooledWrite(null, update)]);
    }

    void Append(IReadOnlyList<SpooledWrite> writes)
    {
        var text = new StringBuilder();
        foreach (var write in writes)
            text.Append(write.ToJson()).Append('\n');
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        lock (_lock)
        {
            using (var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            _pending.AddRange(writes);
        }
    }

    /// <summary>Writes everything spooled to the store, in order: runs of audit entries through
    /// <paramref name="appendAudit"/> (at most <paramref name="batchSize"/> a call), history updates to the history
    /// store. What was written leaves the spool as soon as it is committed; throws (leaving the rest) when the store
    /// fails again.</summary>
    /// <remarks>Called by <see cref="AuditWriter"/>'s loop only (never concurrently with itself); appends may happen
    /// meanwhile and are kept after what is replayed.</remarks>
    public async Task ReplayAsync(Func<IReadOnlyList<AuditEntry>, Task> appendAudit, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(appendAudit);
        while (true)
        {
            List<SpooledWrite> next;
            lock (_lock)
            {
                if (_pending.Count == 0)
                    return;
                next = _pending[0].Entry is null
                    ? [_pending[0]]
                    : [.. _pending.Take(batchSize).TakeWhile(static w => w.Entry is not null)];
            }
            if (next[0].History is { } update)
            {
                // NotFound (the row never made it into the history) leaves nothing to update.
                await _history.UpdateAsync(update.PipelineId, update.State, update.Count, update.FinishedAt, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await appendAudit([.. next.Select(static w => w.Entry!)]).ConfigureAwait(false);
            }
            lock (_lock)
            {
                _pending.RemoveRange(0, next.Count);
                Rewrite(_pending);
            }
        }
    }

    /// <summary>Replaces the file with <paramref name="writes"/> (caller holds the lock or owns the spool alone).</summary>
    void Rewrite(List<SpooledWrite> writes)
    {
        if (writes.Count == 0)
        {
            using var empty = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.Read);
            empty.Flush(flushToDisk: true);
            return;
        }
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var text = new StringBuilder();
            foreach (var write in writes)
                text.Append(write.ToJson()).Append('\n');
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
    }

    sealed record SpooledWrite(AuditEntry? Entry, HistoryUpdate? History)
    {
        public string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                if (Entry is { } e)
                {
                    w.WriteStartObject("audit");
                    w.WriteString("time", e.Time);
                    w.WriteString("kind", e.Kind);
                    w.WriteString("actor", e.Actor);
                    w.WriteString("command", e.Command);
                    w.WriteString("outcome", e.Outcome);
                    w.WriteString("payload", e.PayloadJson);
                    w.WriteEndObject();
                }
                else
                {
                    var h = History!;
                    w.WriteStartObject("history");
                    w.WriteString("pipeline_id", h.PipelineId);
                    w.WriteString("state", h.State.ToString());
                    w.WriteNumber("count", h.Count);
                    if (h.FinishedAt is { } finished)
                        w.WriteString("finished_at", finished);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        public static SpooledWrite Parse(string line, string path, int number)
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                if (root.TryGetProperty("audit", out var a))
                {
                    return new SpooledWrite(new AuditEntry(a.GetProperty("time").GetDateTimeOffset(), a.GetProperty("kind").GetString()!,
                        a.GetProperty("actor").GetString(), a.GetProperty("command").GetString(), a.GetProperty("outcome").GetString(),
                        a.GetProperty("payload").GetString()!), null);
                }
                var h = root.GetProperty("history");
                return new SpooledWrite(null, new HistoryUpdate(h.GetProperty("pipeline_id").GetString()!,
                    Enum.Parse<PipelineState>(h.GetProperty("state").GetString()!), h.GetProperty("count").GetInt64(),
                    h.TryGetProperty("finished_at", out var f) ? f.GetDateTimeOffset() : null));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
            {
                throw new InvalidDataException($"{path}, line {number}: not a spooled audit or history record ({e.Message}).", e);
            }
        }
    }
}
