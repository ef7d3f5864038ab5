using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary><c>alias-list [pattern]</c>: the caller's aliases and the site aliases, one item per alias, sorted by name.
/// The pattern is <c>user</c> or <c>site</c> (every alias of that kind), or a name with at most one <c>*</c> wildcard,
/// optionally prefixed with <c>user:</c> or <c>site:</c>.</summary>
/// <remarks>Cog 1.0 matched with SQL <c>LIKE</c>, so an <c>_</c> in the pattern also matched any character; here
/// <c>_</c> is itself and matching is case-sensitive.</remarks>
sealed class AliasListCommand(BuiltInAdministration administration) : IBuiltInCommand
{
    public string Name => "alias-list";

    public async ValueTask<CommandOutcome> RunAsync(CommandCall call, CancellationToken cancellationToken)
    {
        if (call.Input.Arguments.Length > 1)
            return CommandOutcome.Error(BuiltInMessages.OverMaxArgs(1));
        var pattern = call.Input.Arguments.IsEmpty ? null : call.Input.Arguments[0].ToDisplayString();
        var (users, sites) = (true, true);
        switch (pattern)
        {
            case AliasSupport.User:
                (sites, pattern) = (false, null);
                break;
            case AliasSupport.Site:
                (users, pattern) = (false, null);
                break;
            case not null when pattern.StartsWith("user:", StringComparison.Ordinal):
                (sites, pattern) = (false, pattern[5..]);
                break;
            case not null when pattern.StartsWith("site:", StringComparison.Ordinal):
                (users, pattern) = (false, pattern[5..]);
                break;
        }
        if (pattern is not null && Check(pattern) is { } error)
            return CommandOutcome.Error(error);

        var aliases = new List<Alias>();
        if (users)
            aliases.AddRange(await administration.Store.Aliases.ListAsync(call.Caller.UserId, cancellationToken).ConfigureAwait(false));
        if (sites)
            aliases.AddRange(await administration.Store.Aliases.ListAsync(null, cancellationToken).ConfigureAwait(false));
        if (pattern is not null)
            aliases.RemoveAll(alias => !Matches(alias.Name, pattern));
        aliases.Sort(static (a, b) =>
        {
            var order = string.CompareOrdinal(a.Name, b.Name);
            if (order == 0)
                order = string.CompareOrdinal(a.Pipeline, b.Pipeline);
            return order == 0 ? string.CompareOrdinal(AliasSupport.Visibility(a), AliasSupport.Visibility(b)) : order;
        });
        return CommandOutcome.Ok([.. aliases.Select(AliasSupport.Json)], Name);
    }

    /// <summary>Cog 1.0's checks, both reported: at most one wildcard; only <c>:?[a-zA-Z0-9-_*]+:?</c>.</summary>
    static string? Check(string pattern)
    {
        var errors = new List<string>(2);
        if (pattern.Count(static c => c == '*') > 1)
            errors.Add(BuiltInMessages.AliasTooManyWildcards);
        var body = pattern.AsSpan();
        if (body.StartsWith(":"))
            body = body[1..];
        if (body.EndsWith(":"))
            body = body[..^1];
        var valid = !body.IsEmpty;
        foreach (var c in body)
            valid &= char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '*';
        if (!valid)
            errors.Add(BuiltInMessages.AliasBadPattern);
        return errors.Count == 0 ? null : string.Join('\n', errors);
    }

    static bool Matches(string name, string pattern)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
            return name == pattern;
        var (prefix, suffix) = (pattern[..star], pattern[(star + 1)..]);
        return name.Length >= prefix.Length + suffix.Length
            && name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal);
    }
}
