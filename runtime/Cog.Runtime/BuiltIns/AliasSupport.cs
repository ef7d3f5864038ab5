using Cog.Language.Pipelines;
using Cog.Language.Values;
using Cog.Runtime.Pipeline;

namespace Cog.Runtime.BuiltIns;

/// <summary>What the <c>alias-*</c> commands share: <c>user:</c>/<c>site:</c> references, the rules for names and
/// pipelines, the JSON shape of an alias, and telling the directory and the audit log about a change.</summary>
static class AliasSupport
{
    public const string User = "user";
    public const string Site = "site";

    /// <summary>Finds <c>user:name</c>, <c>site:name</c>, or <c>name</c> among the caller's aliases, then the site's.</summary>
    public static async Task<Alias?> FindAsync(IAliasStore aliases, string userId, string reference, CancellationToken cancellationToken)
    {
        if (reference.StartsWith("user:", StringComparison.Ordinal))
            return await aliases.FindAsync(reference[5..], userId, cancellationToken).ConfigureAwait(false);
        if (reference.StartsWith("site:", StringComparison.Ordinal))
            return await aliases.FindAsync(reference[5..], null, cancellationToken).ConfigureAwait(false);
        return await aliases.FindAsync(reference, userId, cancellationToken).ConfigureAwait(false)
            ?? await aliases.FindAsync(reference, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds the alias a change (<c>alias-delete</c>, <c>alias-move</c>) names: <c>user:name</c>,
    /// <c>site:name</c>, or <c>name</c> — the caller's alias only. A site alias is changed only when named
    /// <c>site:name</c>, so that the command's access rules, which see its arguments, decide every change to a site
    /// alias. Answers the alias, or the message for the caller.</summary>
    public static async Task<(Alias? Alias, string? Error)> FindToChangeAsync(IAliasStore aliases, string userId, string reference,
        CancellationToken cancellationToken)
    {
        var alias = await FindAsync(aliases, userId, reference, cancellationToken).ConfigureAwait(false);
        return alias switch
        {
            null => (null, BuiltInMessages.AliasNotFound(reference)),
            { OwnerUserId: null } when !reference.StartsWith("site:", StringComparison.Ordinal) => (null, BuiltInMessages.AliasSiteNotNamed(reference)),
            _ => (alias, null),
        };
    }

    public static string Visibility(Alias alias) => alias.OwnerUserId is null ? Site : User;

    /// <summary>Cog 1.0's alias item: <c>{"name", "pipeline", "visibility"}</c>.</summary>
    public static ObjectValue Json(Alias alias) => Output.Object(
        ("name", new StringValue(alias.Name)),
        ("pipeline", new StringValue(alias.Pipeline)),
        ("visibility", new StringValue(Visibility(alias))));

    /// <summary>The error when <paramref name="name"/> could not be invoked as a command name, else <see langword="null"/>.</summary>
    public static string? CheckName(string name)
    {
        var parsed = PipelineParser.Parse(name);
        return parsed.TryGetValue(out var pipeline)
            && pipeline is { Redirect: null, Stages: [{ Arguments.IsEmpty: true, Command: { Bundle: null } command }] }
            && command.Name == name
                ? null
                : BuiltInMessages.AliasInvalidName(name);
    }

    /// <summary>The error when <paramref name="text"/> does not parse as a pipeline, else <see langword="null"/>.</summary>
    public static string? CheckPipeline(string text)
    {
        var parsed = PipelineParser.Parse(text);
        return parsed.TryGetValue(out _)
            ? null
            : BuiltInMessages.AliasBadPipeline(parsed.Error!.Message, parsed.Error.Position.Line, parsed.Error.Position.Column);
    }

    /// <summary>After a committed change: records it in the audit log when a site alias is involved, then tells the
    /// directory. Returns the error for the caller when the audit log failed (the change itself stands).</summary>
    /// <param name="administration">The services.</param>
    /// <param name="call">The invocation that made the change.</param>
    /// <param name="kind">The audit kind: <c>alias.created</c>, <c>alias.deleted</c>, <c>alias.moved</c>.</param>
    /// <param name="before">The alias before the change, if it existed.</param>
    /// <param name="after">The alias after the change, if it exists.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static async Task<string?> ChangedAsync(BuiltInAdministration administration, CommandCall call, string kind, Alias? before, Alias? after,
        CancellationToken cancellationToken)
    {
        var site = before is { OwnerUserId: null } || after is { OwnerUserId: null };
        string? error = null;
        if (site)
        {
            var subject = after ?? before!;
            var details = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["name"] = subject.Name,
                ["pipeline"] = subject.Pipeline,
            };
            if (before is not null && after is not null)
                details["from"] = $"{Visibility(before)}:{before.Name}";
            try
            {
                await administration.Audit.RecordAsync(call.Caller.Username, "chat", kind, $"alias:{Visibility(subject)}:{subject.Name}", details,
                    cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The change is committed; the caller is told that it is not audited (AdminAudit's contract).
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                error = BuiltInMessages.ChangeNotAudited;
            }
            administration.Changes.CatalogChanged();
        }
        if (before is { OwnerUserId: { } beforeOwner })
            administration.Changes.UserAliasesChanged(beforeOwner);
        if (after is { OwnerUserId: { } afterOwner } && afterOwner != before?.OwnerUserId)
            administration.Changes.UserAliasesChanged(afterOwner);
        return error;
    }
}
