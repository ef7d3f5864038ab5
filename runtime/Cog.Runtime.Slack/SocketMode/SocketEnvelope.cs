using System.Text.Json;

namespace Cog.Runtime.Slack.SocketMode;

/// <summary>One Socket Mode delivery, already acknowledged.</summary>
/// <param name="EnvelopeId">The id the acknowledgement echoed.</param>
/// <param name="Type"><c>events_api</c>, <c>slash_commands</c>, <c>interactive</c>.</param>
/// <param name="Payload">For <c>events_api</c>, the Events API body (<c>event</c>, <c>event_id</c>...).</param>
/// <param name="RetryAttempt">0 on the first delivery, then 1, 2, 3 on Slack's redeliveries.</param>
/// <param name="Connection">The number of the connection it arrived on (for logs).</param>
sealed record SocketEnvelope(string EnvelopeId, string Type, JsonElement Payload, int RetryAttempt, int Connection);

/// <summary>What happened to a connection, as its receive loop tells the supervisor.</summary>
abstract record ConnectionSignal(SocketConnection Connection);

/// <summary>Slack sent a <c>disconnect</c> frame.</summary>
sealed record DisconnectSignal(SocketConnection Connection, string Reason) : ConnectionSignal(Connection);

/// <summary>The socket closed or failed.</summary>
sealed record ClosedSignal(SocketConnection Connection, string Reason) : ConnectionSignal(Connection);
