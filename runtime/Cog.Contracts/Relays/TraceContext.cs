using System.Diagnostics;

namespace Cog.Contracts.Relays;

/// <summary>How the trace of a pipeline crosses the relay bus (docs/protocol.md "Trace context"): every message published
/// while a span is current carries the W3C trace context of that span in two MQTT 5 user properties,
/// <see cref="TraceParent"/> and (when not empty) <see cref="TraceState"/>, so the relay's spans join the server's trace.</summary>
/// <remarks>The properties are optional: a message without them (or with a malformed <c>traceparent</c>) is handled as
/// before, and starts a trace of its own where the receiver traces at all. Pure and thread-safe.</remarks>
public static class TraceContext
{
    /// <summary>The user property holding the W3C <c>traceparent</c> (<c>00-&lt;trace id&gt;-&lt;span id&gt;-&lt;flags&gt;</c>).</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The user property holding the W3C <c>tracestate</c>.</summary>
    public const string TraceState = "tracestate";

    /// <summary>The properties to publish for <paramref name="activity"/> (none when it is null or not in W3C format).</summary>
    public static IEnumerable<KeyValuePair<string, string>> PropertiesOf(Activity? activity)
    {
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C || activity.Id is not { } id)
            yield break;
        yield return new(TraceParent, id);
        if (activity.TraceStateString is { Length: > 0 } state)
            yield return new(TraceState, state);
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="context"/>, or null for <c>default</c> (no trace).</summary>
    public static string? Format(ActivityContext context) =>
        context == default ? null : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(int)context.TraceFlags:x2}";

    /// <summary>The remote parent carried by a received message's user properties, or <c>default</c> when there is none
    /// or it is malformed.</summary>
    public static ActivityContext Parse(IEnumerable<KeyValuePair<string, string>>? properties)
    {
        string? parent = null;
        string? state = null;
        foreach (var (name, value) in properties ?? [])
        {
            if (name == TraceParent)
                parent = value;
            else if (name == TraceState)
                state = value;
        }
        return parent is not null && ActivityContext.TryParse(parent, state, isRemote: true, out var context) ? context : default;
    }
}
