namespace Cog.Manifest;

/// <summary>Cog's rule prefix fix-up: rules in a manifest may leave out <c>when command is bundle:command</c>.</summary>
public static class RulePrefix
{
    const string Prefix = "when command is";

    /// <summary>
    /// Returns <paramref name="rule"/> unchanged when it starts with <c>when command is</c> (any case); otherwise
    /// prepends <c>when command is &lt;bundle&gt;:&lt;command&gt; </c>. Used for manifest rules and for operator rules
    /// written for one command.
    /// </summary>
    public static string Apply(string bundle, string command, string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? rule : $"{Prefix} {bundle}:{command} {rule}";
    }
}
