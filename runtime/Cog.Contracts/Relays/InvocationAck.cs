namespace Cog.Contracts.Relays;

/// <summary>The relay's word that it has started an invocation. Published by the relay (not retained) on
/// <see cref="RelayTopic.Acks"/> before the command starts. Once acknowledged, the server never sends the request to
/// another relay.</summary>
/// <param name="RequestId">The <see cref="InvocationRequest.RequestId"/> being acknowledged.</param>
/// <param name="RelayId">The relay's id.</param>
/// <param name="StartedAt">When the relay started the invocation (its clock).</param>
public sealed record InvocationAck(string RequestId, string RelayId, DateTimeOffset StartedAt) : ProtocolMessage(MessageTypes.Ack);
