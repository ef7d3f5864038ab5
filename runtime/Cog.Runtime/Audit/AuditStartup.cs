using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Cog.Runtime.Audit;

/// <summary>What a server does with its audit log before anything else writes to it: it records a key change and a
/// detected truncation, sealed with its key, so neither can pass unnoticed.</summary>
/// <remarks>
/// <para>Key change: when the stored head was sealed by another key than the current one (or by none: a log written
/// before the chain was keyed), an <see cref="AuditChain.KeyRotatedKind"/> record moves the chain to the current key
/// (payload <c>{"from": old id or null, "to": new id, "head": sequence}</c>). Only a holder of the new key can write it,
/// and verification accepts a key change nowhere else.</para>
/// <para>Truncation: when the stored head is behind the latest validly signed checkpoint, the server logs a critical
/// error and appends an <see cref="AuditChain.TruncationDetectedKind"/> record naming both, then starts: refusing to start
/// would let whoever truncated the log also stop the service, and continuing silently would number new records over
/// the removed ones. Verification keeps reporting the truncation against the checkpoint either way.</para>
/// </remarks>
public static class AuditStartup
{
    /// <summary>Checks the head of <paramref name="store"/> against the key ring and the checkpoints, and appends the
    /// records described above to it directly, sealed with the current key. Returns them (empty when there was nothing to
    /// record).</summary>
    /// <remarks>Call it before the server's <see cref="AuditWriter"/> starts: nothing else may append meanwhile, and the
    /// writer's spool (records of the last run, sealed when replayed) must come after a key change, never before it.</remarks>
    public static async Task<IReadOnlyList<AuditEntry>> RecordAsync(IAuditStore store, AuditKeyRing keys,
        AuditCheckpointFiles checkpoints, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(time);
        var head = await store.ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        var latest = checkpoints.Read().Checkpoints.Where(c => c.IsSignedBy(keys)).MaxBy(c => c.Sequence);
        var entries = new List<AuditEntry>();
        var now = time.GetUtcNow();
        if (head is not null && head.KeyId != keys.Current.Id)
        {
            AuditLog.KeyRotated(logger, head.KeyId ?? "(none: keyless)", keys.Current.Id, head.Sequence + 1);
            entries.Add(new AuditEntry(now, AuditChain.KeyRotatedKind, null, "audit", "ok", Json(json =>
            {
                json.WriteString("from", head.KeyId);
                json.WriteString("to", keys.Current.Id);
                json.WriteNumber("head", head.Sequence);
            })));
        }
        var headSequence = head?.Sequence ?? 0;
        if (latest is not null && headSequence < latest.Sequence)
        {
            AuditLog.Truncated(logger, headSequence, latest.Sequence, latest.Time);
            entries.Add(new AuditEntry(now, AuditChain.TruncationDetectedKind, null, "audit", "detected", Json(json =>
            {
                json.WriteNumber("stored_head", headSequence);
                json.WriteNumber("checkpoint_sequence", latest.Sequence);
                json.WriteString("checkpoint_hash", latest.Hash);
                json.WriteString("checkpoint_time", latest.Time);
                json.WriteString("checkpoint", latest.Source);
            })));
        }
        if (entries.Count > 0)
            await store.AppendAsync(entries, keys.Current, cancellationToken).ConfigureAwait(false);
        return entries;
    }

    static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
