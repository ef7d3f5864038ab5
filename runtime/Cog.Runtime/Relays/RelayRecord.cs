namespace Cog.Runtime.Relays;

/// <summary>A registered relay.</summary>
/// <param name="Id">UUID string, lower-case (may be chosen by the operator).</param>
/// <param name="Name">Unique.</param>
/// <param name="TokenHash">The hash of the relay's token (<see cref="RelayToken.Hash"/>); never the token.</param>
/// <param name="Description">Optional.</param>
/// <param name="Enabled">Disabled relays stay connected but are not selected.</param>
/// <param name="CreatedAt">Registration time.</param>
public sealed record RelayRecord(string Id, string Name, string TokenHash, string? Description, bool Enabled, DateTimeOffset CreatedAt)
{
    /// <summary>What the broker needs to authenticate the relay.</summary>
    public RelayCredential ToCredential() => new(Id, TokenHash, Enabled);
}
