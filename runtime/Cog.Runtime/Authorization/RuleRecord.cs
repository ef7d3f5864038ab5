namespace Cog.Runtime.Authorization;

/// <summary>A stored rule of one command.</summary>
/// <param name="Id">UUID string.</param>
/// <param name="CommandId">The command the rule belongs to (not a version).</param>
/// <param name="Text">The rule in canonical form.</param>
/// <param name="Enabled">A bundle rule deleted by an operator stays, disabled, so it does not come back.</param>
/// <param name="Site">Whether the rule is linked to the <c>site</c> version (operator-written: survives version switches).</param>
/// <param name="BundleVersionIds">The bundle versions whose manifests declare the rule.</param>
public sealed record RuleRecord(string Id, string CommandId, string Text, bool Enabled, bool Site, IReadOnlyList<string> BundleVersionIds);
