using System.Globalization;
using System.Text;

namespace Cog.Language.Resolution;

/// <summary>The messages of command resolution and alias expansion, worded as in Cog 1.0.</summary>
/// <remarks>Tests pin every text. Resolution positions each error at the command name of the stage the user wrote.</remarks>
public static class ResolutionErrors
{
    /// <summary>No candidate name resolved to an alias or to a command of an installed bundle.</summary>
    /// <param name="name">The command name as the user's stage (or the alias text) wrote it, without bundle.</param>
    public static string CommandNotFound(string name) => $"Command '{name}' not found in any installed bundle.";

    /// <summary>A qualified name (<c>bundle:command</c>) names a bundle that is not installed.</summary>
    public static string BundleNotFound(string bundle) => $"Bundle '{bundle}' was not found. Please check the name and try again.";

    /// <summary>The bundle is installed but no version of it is enabled.</summary>
    public static string BundleDisabled(string bundle) => $"Bundle '{bundle}' is disabled. Please enable it and try running the command again.";

    /// <summary>A qualified name's bundle is enabled, but its enabled version has no such command (and no longer
    /// sub-command candidate resolved either).</summary>
    public static string CommandNotInBundle(string bundle, string command) => $"Bundle '{bundle}' doesn't contain a command named '{command}'.";

    /// <summary>An unqualified name is a command of several installed bundles (enabled or not).</summary>
    /// <param name="name">The name looked up.</param>
    /// <param name="bundles">The bundles, at least two, in the order to print them (resolution sorts them by name).</param>
    /// <remarks>Kept exactly as Cog 1.0 words it: the last name always follows <c>", and "</c>, so two bundles read
    /// <c>'a', and 'b'</c> and three <c>'a', 'b', and 'c'</c>.</remarks>
    public static string AmbiguousCommand(string name, IReadOnlyList<string> bundles)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentOutOfRangeException.ThrowIfLessThan(bundles.Count, 2, nameof(bundles));
        var text = new StringBuilder("Ambiguous command reference detected. Command '")
            .Append(name)
            .Append("' found in bundles ");
        for (var i = 0; i < bundles.Count; i++)
        {
            text.Append(i == 0 ? "'" : i == bundles.Count - 1 ? ", and '" : ", '").Append(bundles[i]).Append('\'');
        }
        return text.Append('.').ToString();
    }

    /// <summary>More than <paramref name="limit"/> names were being resolved inside each other without a cycle
    /// between different aliases (a chain too deep, or an alias that refers to itself).</summary>
    /// <param name="outermost">The outermost name on the expansion stack: the name the user wrote.</param>
    /// <param name="limit">The expansion limit (<see cref="CommandResolver.ExpansionLimit"/>).</param>
    public static string ExpansionLimitExceeded(string outermost, int limit) =>
        $"Alias expansion limit ({limit}) exceeded starting with alias '{outermost}'.";

    /// <summary>Aliases refer to each other in a cycle.</summary>
    /// <param name="from">The least frequent name on the expansion stack.</param>
    /// <param name="to">The most frequent name on the expansion stack.</param>
    public static string ExpansionLoop(string from, string to) => $"Infinite alias expansion loop detected '{from}' -> '{to}'.";

    /// <summary>Alias expansion produced more stages than the limit (<see cref="Pipelines.PipelineLimits.MaxStages"/>).</summary>
    public static string TooManyStages(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many commands in one pipeline after expanding aliases; the limit is {limit:N0}.");

    /// <summary>Alias expansion produced more arguments than the limit (<see cref="Pipelines.PipelineLimits.MaxArguments"/>).</summary>
    public static string TooManyArguments(int limit) =>
        string.Create(CultureInfo.InvariantCulture, $"Too many arguments in one pipeline after expanding aliases; the limit is {limit:N0}.");

    /// <summary>An alias whose pipeline ends with a redirect is used before the last stage (docs/language.md L6:
    /// a redirect is only allowed on the last stage; Cog 1.0 silently ignored it).</summary>
    public static string AliasRedirectNotLast(string alias) =>
        $"Alias '{alias}' ends with a redirect, so it can only be used as the last stage of a pipeline.";
}
