using System.Diagnostics;

namespace Cog.Runtime.Diagnostics;

/// <summary>The server's OpenTelemetry traces: one <see cref="ActivitySource"/> named <see cref="SourceName"/> and the
/// spans it starts, one trace per pipeline (docs/operations.md "Traces and metrics").</summary>
/// <remarks>
/// <para>Spans: <c>cog.chat.message</c> (a chat message handled, the root of a chat pipeline's trace; an API request's
/// root is ASP.NET Core's own span) → <c>cog.pipeline</c> → for every stage decision <c>cog.authorize</c>, for every
/// durable write of the pipeline's audit records <c>cog.audit.write</c>, for every dispatched command
/// <c>cog.invocation</c> → <c>cog.mqtt.publish</c> (whose W3C context travels to the relay in MQTT 5 user properties,
/// where the relay's spans continue the trace) → and, back on the server, <c>cog.chat.reply</c>.</para>
/// <para>With no listener (no exporter configured) <see cref="ActivitySource.StartActivity(string, ActivityKind)"/>
/// returns null and every helper here does nothing: tracing costs nothing unless it is switched on. The source is a
/// process-wide immutable singleton, as .NET's tracing API intends.</para>
/// </remarks>
public static class CogTracing
{
    /// <summary>The activity source's name, for <c>AddSource</c>.</summary>
    public const string SourceName = "Cog.Server";

    /// <summary>The source of every span above.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(CogTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Starts the root span of a chat message: a new trace whatever is current on the caller's flow (a chat
    /// provider's receive loop belongs to no pipeline).</summary>
    public static Activity? StartChatMessage(string provider, string room)
    {
        Activity.Current = null;
        return Source.StartActivity("cog.chat.message", ActivityKind.Consumer)?
            .SetTag("cog.chat.provider", provider)
            .SetTag("cog.chat.room", room);
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="message"/> (nothing when null).</summary>
    public static void Failed(Activity? activity, string? message) => activity?.SetStatus(ActivityStatusCode.Error, message);
}
