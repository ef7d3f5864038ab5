namespace Cog.Runtime.Administration;

/// <summary>Changes to a relay; <see langword="null"/> members stay as they are.</summary>
/// <param name="Name">A new, unique name.</param>
/// <param name="Token">A new token (only its hash is stored; the old token stops working at once for downloads and new
/// connections).</param>
/// <param name="Description">A new description (empty clears it).</param>
/// <param name="Enabled">Enable or disable the relay.</param>
public sealed record RelayChanges(string? Name = null, string? Token = null, string? Description = null, bool? Enabled = null);
