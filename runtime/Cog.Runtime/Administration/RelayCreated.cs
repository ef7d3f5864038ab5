namespace Cog.Runtime.Administration;

/// <summary>A registered relay.</summary>
/// <param name="Relay">The relay and its groups.</param>
/// <param name="GeneratedToken">The token the server generated, shown once; <see langword="null"/> when the operator
/// gave one.</param>
public sealed record RelayCreated(RelayDetails Relay, string? GeneratedToken);
