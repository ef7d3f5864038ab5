namespace Cog.Contracts.Relays;

/// <summary>The server's word that it has the result of a request, so the relay may forget it. Published by the server
/// (not retained) on <see cref="RelayTopic.Receipts"/> for every <see cref="InvocationResult"/> of a request it sent,
/// duplicates included. Until a receipt arrives (or the request's deadline passes), the relay keeps the result and
/// publishes it again: a broker restart or a server reconnect never loses a result.</summary>
/// <param name="RequestId">The <see cref="InvocationResult.RequestId"/> received.</param>
/// <param name="RelayId">The relay's id.</param>
public sealed record InvocationReceipt(string RequestId, string RelayId) : ProtocolMessage(MessageTypes.Receipt);
