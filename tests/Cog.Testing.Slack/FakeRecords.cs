using System.Text.Json.Nodes;

namespace Cog.Testing.Slack;

/// <summary>One Web API call the fake received.</summary>
/// <param name="Method">The method name (<c>chat.postMessage</c>).</param>
/// <param name="Verb">GET or POST.</param>
/// <param name="Authorization">The <c>Authorization</c> header as sent, if any.</param>
/// <param name="ContentType">The request's content type, if any.</param>
/// <param name="Encoding"><c>query</c>, <c>form</c> or <c>json</c>: where the arguments were.</param>
/// <param name="Arguments">The arguments, JSON values as sent.</param>
/// <param name="Body">The raw body.</param>
/// <param name="At">When it arrived.</param>
public sealed record RecordedCall(string Method, string Verb, string? Authorization, string? ContentType, string Encoding,
    JsonObject Arguments, string Body, DateTimeOffset At);

/// <summary>A message the bot posted (<c>chat.postMessage</c> accepted).</summary>
/// <param name="Channel">Where.</param>
/// <param name="Ts">The generated timestamp (the message id).</param>
/// <param name="Text">The <c>text</c>.</param>
/// <param name="Blocks">The <c>blocks</c>, if any.</param>
/// <param name="ThreadTs">The thread it went to, if any.</param>
public sealed record PostedMessage(string Channel, string Ts, string Text, JsonArray? Blocks, string? ThreadTs);

/// <summary>An acknowledgement frame the fake received.</summary>
/// <param name="Socket">The socket it came on.</param>
/// <param name="EnvelopeId">The envelope it acknowledged.</param>
/// <param name="HasPayload">Whether it carried a <c>payload</c>.</param>
/// <param name="Outcome">What the fake made of it.</param>
public sealed record RecordedAck(int Socket, string EnvelopeId, bool HasPayload, AckOutcome Outcome);

/// <summary>What became of an acknowledgement.</summary>
public enum AckOutcome
{
    /// <summary>It acknowledged an envelope sent on that socket.</summary>
    Accepted,

    /// <summary>It came on another socket than the envelope's (counts as missing).</summary>
    WrongSocket,

    /// <summary>The fake dropped it on purpose (<see cref="FakeSlackServer.LoseNextAcks"/>).</summary>
    Lost,

    /// <summary>No such envelope, or one already acknowledged.</summary>
    Unknown,
}

/// <summary>One envelope the fake sent.</summary>
/// <param name="Socket">The socket it went to.</param>
/// <param name="EnvelopeId">Its id.</param>
/// <param name="EventId">The event it carries.</param>
/// <param name="RetryAttempt">0 first, then 1, 2, 3.</param>
public sealed record SentEnvelope(int Socket, string EnvelopeId, string EventId, int RetryAttempt);

/// <summary>An event pushed by a test.</summary>
/// <param name="EventId">Its <c>event_id</c>.</param>
/// <param name="Ts">The message's <c>ts</c>, for message events.</param>
public sealed record FakeDelivery(string EventId, string? Ts);
