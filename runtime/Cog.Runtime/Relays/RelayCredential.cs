namespace Cog.Runtime.Relays;

/// <summary>What the server stores to authenticate a relay: its id, the hash of its token (never the token itself,
/// see <see cref="RelayToken"/>) and whether it is enabled.</summary>
/// <param name="RelayId">The relay's id (docs/protocol.md §3: 1 to 64 characters from <c>a-z</c>, <c>0-9</c>, <c>-</c>).</param>
/// <param name="TokenHash">The token's hash as written by <see cref="RelayToken.Hash"/>.</param>
/// <param name="Enabled">Whether the relay may connect; a disabled relay is refused by the embedded broker.</param>
public sealed record RelayCredential(string RelayId, string TokenHash, bool Enabled);
