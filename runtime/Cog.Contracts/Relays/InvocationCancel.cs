namespace Cog.Contracts.Relays;

/// <summary>The server's request to stop an acknowledged invocation (a <c>pipeline kill</c>, or the pipeline's deadline).
/// Published by the server (not retained) on <see cref="RelayTopic.Cancels"/>. The relay cancels the command's token (or
/// kills an executable's process tree) and still publishes exactly one result for the request; a cancel for a request
/// it does not run is ignored.</summary>
/// <param name="RequestId">The <see cref="InvocationRequest.RequestId"/> to stop.</param>
/// <param name="RelayId">The relay's id.</param>
/// <param name="Reason">Why, for the relay's log; optional.</param>
public sealed record InvocationCancel(string RequestId, string RelayId, string? Reason = null) : ProtocolMessage(MessageTypes.Cancel);
