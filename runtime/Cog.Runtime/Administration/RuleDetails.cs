using Cog.Runtime.Authorization;

namespace Cog.Runtime.Administration;

/// <summary>A stored rule with the full name of its command.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Command"><c>bundle:command</c>.</param>
public sealed record RuleDetails(RuleRecord Rule, string Command);
