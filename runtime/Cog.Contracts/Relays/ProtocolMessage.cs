using System.Text.Json.Serialization;

namespace Cog.Contracts.Relays;

/// <summary>What every message of the relay protocol starts with: the protocol version (<c>v</c>) and the message
/// type (<c>type</c>). See docs/protocol.md.</summary>
/// <remarks>Only this assembly defines messages; read and write them with <see cref="ProtocolSerializer"/>.</remarks>
public abstract record ProtocolMessage
{
    private protected ProtocolMessage(string type) => Type = type;

    /// <summary>The protocol version this message is written in: always <see cref="ProtocolSerializer.CurrentVersion"/>.</summary>
    [JsonPropertyName("v")]
    [JsonPropertyOrder(-2)]
    public int ProtocolVersion => ProtocolSerializer.CurrentVersion;

    /// <summary>The message type on the wire (<c>status</c>, <c>announce</c>, <c>assignments</c>, <c>invocation</c>,
    /// <c>ack</c> or <c>result</c>).</summary>
    [JsonPropertyName("type")]
    [JsonPropertyOrder(-1)]
    public string Type { get; }
}
