namespace Cog.Runtime.Bundles;

/// <summary>A rule to store: for <paramref name="CommandName"/> of the bundle being installed, or (for site rules)
/// resolved by the caller to a command id.</summary>
/// <param name="CommandName">The command's name within its bundle.</param>
/// <param name="Text">The rule in canonical form (the printed parse tree), the de-duplication key with the command.</param>
public sealed record RuleDefinition(string CommandName, string Text);
