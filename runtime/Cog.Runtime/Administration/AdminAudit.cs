using System.Buffers;
using System.Text;
using System.Text.Json;
using Cog.Runtime.Audit;

namespace Cog.Runtime.Administration;

/// <summary>Records administrative changes ("every administrative change is recorded") in the
/// hash-chained audit log, durably, through the server's <see cref="AuditWriter"/>.</summary>
/// <remarks>
/// <para>Contract for callers (the REST API, the built-in admin commands, bootstrap): make the change, then await
/// <see cref="RecordAsync(string?, string, string, string, IReadOnlyDictionary{string, string?}?, CancellationToken)"/>, then tell <c>IDirectoryChanges</c>, then answer. A change that was refused is not a
/// change and is not recorded here (API refusals are recorded by the API as <c>api.denied</c>).</para>
/// <para>Record shape: kind <c>&lt;entity&gt;.&lt;verb&gt;</c> (<c>role.created</c>, <c>group.member_added</c>,
/// <c>bundle.enabled</c>...), actor = the acting Cog username (<see langword="null"/> for the system: bootstrap,
/// migrations), command = the subject (<c>role:ops</c>, <c>bundle:deploy 1.2.0</c>), outcome <c>ok</c>, payload =
/// <c>{"origin": "api"|"chat"|"system", "details": {...}}</c>. Secrets (passwords, tokens) never go into details.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class AdminAudit(AuditWriter writer, TimeProvider time)
{
    /// <summary>Records one change; returns once it is durable. Throws when the audit log cannot be written (the
    /// caller reports the failure; the change itself is already committed).</summary>
    /// <param name="actor">The acting username, or <see langword="null"/> for the system.</param>
    /// <param name="origin">Where the change came from: <c>api</c>, <c>chat</c> or <c>system</c>.</param>
    /// <param name="kind">The record kind, <c>&lt;entity&gt;.&lt;verb&gt;</c>.</param>
    /// <param name="subject">What changed, <c>&lt;entity&gt;:&lt;name&gt;</c>.</param>
    /// <param name="details">Further facts (names, versions, ids), never secrets; <see langword="null"/> values are written as JSON null.</param>
    /// <param name="cancellationToken">Stops waiting (the record is still written once queued).</param>
    public Task RecordAsync(string? actor, string origin, string kind, string subject, IReadOnlyDictionary<string, string?>? details,
        CancellationToken cancellationToken) =>
        RecordAsync(actor, origin, kind, subject, "ok", details, cancellationToken);

    /// <summary>Records one security event that is not a change (a failed sign-in: outcome <c>failed</c>) in the same
    /// shape; returns once it is durable.</summary>
    public Task RecordAsync(string? actor, string origin, string kind, string subject, string outcome,
        IReadOnlyDictionary<string, string?>? details, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(origin);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(outcome);
        return writer.AppendAsync(new AuditEntry(time.GetUtcNow(), kind, actor, subject, outcome, Payload(origin, details)), cancellationToken);
    }

    static string Payload(string origin, IReadOnlyDictionary<string, string?>? details)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("origin", origin);
            json.WriteStartObject("details");
            if (details is not null)
            {
                foreach (var (key, value) in details.OrderBy(static d => d.Key, StringComparer.Ordinal))
                    json.WriteString(key, value);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
