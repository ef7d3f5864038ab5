namespace Cog.Runtime.Administration;

/// <summary>A relay to register (<c>cogctl relay create</c>, <c>POST /v1/relays</c>).</summary>
/// <param name="Name">Unique, required.</param>
/// <param name="Id">The relay's id, chosen by the operator (lower-cased; 1 to 64 characters from <c>a-z</c>,
/// <c>0-9</c>, <c>-</c>), or <see langword="null"/> for a new UUID.</param>
/// <param name="Token">The relay's token, or <see langword="null"/> to generate one (returned once, in
/// <see cref="RelayCreated.GeneratedToken"/>). Only its hash is stored.</param>
/// <param name="Description">Optional.</param>
/// <param name="Enabled">Whether the relay may serve at once (default <see langword="false"/>, as in Cog 1.0).</param>
/// <param name="Groups">Relay groups (by name or id) to put it in.</param>
public sealed record RelayCreation(string Name, string? Id = null, string? Token = null, string? Description = null, bool Enabled = false,
    IReadOnlyList<string>? Groups = null);
