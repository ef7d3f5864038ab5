using System.Text.RegularExpressions;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>
/// <c>filter [--path=a.b] [--matches=/re/flags]</c>: passes the item on when the path exists in it (and, with
/// <c>--matches</c>, when the value there, as text, matches the regular expression); otherwise outputs nothing.
/// </summary>
/// <remarks>The regular expression is written <c>/re/flags</c> (flags <c>i</c>, <c>m</c>, <c>s</c>, <c>x</c>, <c>u</c>) or
/// bare, and is unanchored. It runs with a time limit, so a pathological expression costs one invocation.</remarks>
sealed class FilterCommand : IBuiltInCommand
{
    static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(500);

    public string Name => "filter";

    public ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Run(call));

    static CommandOutcome Run(CommandCall call)
    {
        var path = Output.Text(call, "path");
        var matches = Output.Text(call, "matches");
        if (path is null)
        {
            return matches is null ? Output.Ok(call.Item) : CommandOutcome.Error(BuiltInMessages.FilterMissingPath);
        }
        Regex? regex = null;
        if (matches is not null && !TryCompile(matches, out regex))
        {
            return CommandOutcome.Error(BuiltInMessages.FilterBadRegex);
        }
        var value = ValuePath.Get(call.Item, ValuePath.Quoted(path));
        if (value is null)
        {
            return Output.Nothing;
        }
        if (regex is null)
        {
            return Output.Ok(call.Item);
        }
        try
        {
            return regex.IsMatch(value.ToDisplayString()) ? Output.Ok(call.Item) : Output.Nothing;
        }
        catch (RegexMatchTimeoutException)
        {
            return CommandOutcome.Error(BuiltInMessages.FilterRegexTooSlow);
        }
    }

    /// <summary>Compiles <c>/re/flags</c> (the last slash ends the expression) or a bare expression.</summary>
    internal static bool TryCompile(string text, out Regex? regex)
    {
        regex = null;
        var pattern = text;
        var options = RegexOptions.CultureInvariant;
        var last = text.LastIndexOf('/');
        if (text.Length >= 2 && text[0] == '/' && last > 0)
        {
            pattern = text[1..last];
            foreach (var flag in text.AsSpan(last + 1))
            {
                switch (flag)
                {
                    case 'i': options |= RegexOptions.IgnoreCase; break;
                    case 'm': options |= RegexOptions.Multiline; break;
                    case 's': options |= RegexOptions.Singleline; break;
                    case 'x': options |= RegexOptions.IgnorePatternWhitespace; break;
                    case 'u': break; // .NET expressions are Unicode already
                    default: return false;
                }
            }
        }
        try
        {
            regex = new Regex(pattern, options, MatchTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
