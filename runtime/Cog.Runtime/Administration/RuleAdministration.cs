using Cog.Language.Rules;
using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Administration;

/// <summary>Site rules for the REST API and the chat commands (<c>rule-*</c>): create from rule text or the
/// <c>COMMAND PERMISSION</c> shorthand, list a command's rules, info, update, delete.</summary>
/// <remarks>
/// <para>Every rule an operator writes is a <b>site</b> rule: linked to the <c>site</c> version, it survives version
/// switches. It must name an installed command (<c>bundle:command</c>), and each of its permissions must exist and be
/// the command's bundle's or a <c>site</c> one. Rules are stored in canonical form, so writing an existing rule again
/// re-enables that rule instead of adding a copy.</para>
/// <para>Each change is recorded (<see cref="AdminAudit"/>), then <see cref="IDirectoryChanges.CatalogChanged"/> is
/// called. Thread-safe.</para>
/// </remarks>
public sealed class RuleAdministration
{
    readonly IStore _store;
    readonly AdminAudit _audit;
    readonly IDirectoryChanges _changes;

    /// <summary>Creates the service.</summary>
    public RuleAdministration(IStore store, AdminAudit audit, IDirectoryChanges changes)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(changes);
        (_store, _audit, _changes) = (store, audit, changes);
    }

    /// <summary>The rule text of the shorthand <c>rule create COMMAND PERMISSION</c>.</summary>
    public static string Shorthand(string command, string permission)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(permission);
        return $"when command is {command} must have {permission}";
    }

    /// <summary>Creates a site rule from its text. Invalid: syntax error, unknown command or permission, permission
    /// of another bundle (Cog 1.0's messages, <see cref="AdminMessages"/>).</summary>
    public async Task<RegistryResult<RuleDetails>> CreateAsync(AdminActor actor, string text, CancellationToken cancellationToken)
    {
        var checkedRule = await CheckAsync(text, cancellationToken).ConfigureAwait(false);
        if (!checkedRule.IsSuccess)
            return checkedRule.Error;
        var (command, canonical) = checkedRule.Value;
        var ingested = await _store.Rules.IngestSiteRuleAsync(command.Id, canonical, cancellationToken).ConfigureAwait(false);
        if (!ingested.IsSuccess)
            return RegistryError.FromStore(ingested.Error);
        var rule = new RuleDetails(ingested.Value!, command.FullName);
        await RecordAsync(actor, AdminAuditKinds.RuleCreated, rule, cancellationToken).ConfigureAwait(false);
        _changes.CatalogChanged();
        return rule;
    }

    /// <summary>Creates <c>when command is COMMAND must have PERMISSION</c> (the chat and cogctl shorthand).</summary>
    public Task<RegistryResult<RuleDetails>> CreateAsync(AdminActor actor, string command, string permission, CancellationToken cancellationToken) =>
        CreateAsync(actor, Shorthand(command, permission), cancellationToken);

    /// <summary>The rules that apply to <paramref name="command"/> (<c>bundle:command</c>) now: enabled, of the
    /// enabled version or site rules. Invalid: no such command (<see cref="AdminMessages.CommandNotFound"/>);
    /// NotFound: its bundle is disabled (<see cref="AdminMessages.CommandNotEnabled"/>).</summary>
    public async Task<RegistryResult<IReadOnlyList<RuleDetails>>> ListAsync(string command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var found = await FindCommandAsync(command, cancellationToken).ConfigureAwait(false);
        if (found is null)
            return new RegistryError(RegistryErrorKind.Invalid, AdminMessages.CommandNotFound(command));
        var versions = await _store.Bundles.ListVersionsAsync(found.BundleId, cancellationToken).ConfigureAwait(false);
        if (!versions.Any(static v => v.Enabled))
            return new RegistryError(RegistryErrorKind.NotFound, AdminMessages.CommandNotEnabled(found.FullName));
        var rules = await _store.Rules.ListApplicableAsync(found.Id, cancellationToken).ConfigureAwait(false);
        var list = new List<RuleDetails>(rules.Count);
        foreach (var rule in rules)
            list.Add(new RuleDetails(rule, found.FullName));
        return list;
    }

    /// <summary>Every rule that applies now (enabled, of an enabled version or a site rule), sorted by command then
    /// text (<c>rule-list</c> without a command).</summary>
    public async Task<IReadOnlyList<RuleDetails>> ListAsync(CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var bundle in await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var command in await _store.Bundles.ListCommandsAsync(bundle.Id, cancellationToken).ConfigureAwait(false))
                names[command.Id] = command.FullName;
        }
        var rules = await _store.Rules.ListApplicableAsync(null, cancellationToken).ConfigureAwait(false);
        var list = new List<RuleDetails>(rules.Count);
        foreach (var rule in rules)
            list.Add(new RuleDetails(rule, names.GetValueOrDefault(rule.CommandId, rule.CommandId)));
        list.Sort(static (a, b) => string.CompareOrdinal(a.Command, b.Command) is var order and not 0 ? order : string.CompareOrdinal(a.Rule.Text, b.Rule.Text));
        return list;
    }

    /// <summary>One rule. Invalid: not a UUID; NotFound.</summary>
    public async Task<RegistryResult<RuleDetails>> InfoAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!Guid.TryParse(id, out _))
            return new RegistryError(RegistryErrorKind.Invalid, AdminMessages.InvalidUuid(id));
        var rule = await _store.Rules.GetAsync(id.ToLowerInvariant(), cancellationToken).ConfigureAwait(false);
        if (rule is null)
            return new RegistryError(RegistryErrorKind.NotFound, AdminMessages.RuleNotFound(id));
        return new RuleDetails(rule, await CommandNameAsync(rule.CommandId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes rules (all or none: every id is checked first): a site-only rule is deleted, a rule from a
    /// bundle manifest is disabled so it does not come back. Invalid: an id is not a UUID; NotFound:
    /// some ids are unknown (<see cref="AdminMessages.RuleNotFound"/>, <see cref="AdminMessages.RulesNotFound"/>).</summary>
    /// <returns>The rules as they were, with what happened to each.</returns>
    public async Task<RegistryResult<IReadOnlyList<(RuleDetails Rule, RuleDeletion Deletion)>>> DeleteAsync(AdminActor actor, IReadOnlyList<string> ids,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var rules = new List<RuleDetails>(ids.Count);
        var missing = new List<string>();
        foreach (var id in ids)
        {
            var found = await InfoAsync(id, cancellationToken).ConfigureAwait(false);
            if (found.IsSuccess)
                rules.Add(found.Value!);
            else if (found.Error.Kind == RegistryErrorKind.NotFound)
                missing.Add(id);
            else
                return found.Error;
        }
        if (missing.Count > 0)
        {
            return new RegistryError(RegistryErrorKind.NotFound, missing.Count == 1 ? AdminMessages.RuleNotFound(missing[0]) : AdminMessages.RulesNotFound(missing))
            {
                Missing = missing,
            };
        }
        var deleted = new List<(RuleDetails, RuleDeletion)>(rules.Count);
        foreach (var rule in rules)
        {
            var result = await _store.Rules.DeleteAsync(rule.Rule.Id, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
                return RegistryError.FromStore(result.Error);
            deleted.Add((rule, result.Value));
            await RecordAsync(actor, result.Value == RuleDeletion.Deleted ? AdminAuditKinds.RuleDeleted : AdminAuditKinds.RuleDisabled, rule, cancellationToken)
                .ConfigureAwait(false);
        }
        if (deleted.Count > 0)
            _changes.CatalogChanged();
        return deleted;
    }

    /// <summary>Replaces a rule (the REST API's <c>PUT</c>, Cog 1.0): the new text is checked first, then the old rule
    /// is deleted (or disabled) and the new one ingested as a site rule.</summary>
    public async Task<RegistryResult<RuleDetails>> UpdateAsync(AdminActor actor, string id, string text, CancellationToken cancellationToken)
    {
        var old = await InfoAsync(id, cancellationToken).ConfigureAwait(false);
        if (!old.IsSuccess)
            return old.Error;
        var checkedRule = await CheckAsync(text, cancellationToken).ConfigureAwait(false);
        if (!checkedRule.IsSuccess)
            return checkedRule.Error;
        var deleted = await DeleteAsync(actor, [old.Value!.Rule.Id], cancellationToken).ConfigureAwait(false);
        if (!deleted.IsSuccess)
            return deleted.Error;
        return await CreateAsync(actor, text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Parses and validates rule text: the command and its canonical text.</summary>
    async Task<RegistryResult<(BundleCommand Command, string Canonical)>> CheckAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parsed = RuleParser.Parse(text);
        if (!parsed.TryGetValue(out var syntax))
            return Invalid(AdminMessages.RuleSyntax(RuleErrors.Format(parsed.Error!)));
        var command = await _store.Bundles.FindCommandAsync(syntax.Command.Bundle, syntax.Command.Name, cancellationToken).ConfigureAwait(false);
        if (command is null)
            return Invalid(AdminMessages.RuleUnrecognizedCommand(syntax.Command.ToString()));
        foreach (var permission in syntax.Permissions)
        {
            var colon = permission.IndexOf(':', StringComparison.Ordinal);
            var ns = colon < 0 ? "" : permission[..colon];
            var found = colon < 0 ? null : await _store.Permissions.FindAsync(ns, permission[(colon + 1)..], cancellationToken).ConfigureAwait(false);
            if (found is null)
                return Invalid(AdminMessages.RuleUnrecognizedPermission(permission));
            if (ns != command.BundleName && ns != Permission.SiteNamespace)
                return Invalid(AdminMessages.RulePermissionOutsideBundle);
        }
        return (command, RulePrinter.Print(syntax));
    }

    /// <summary><c>bundle:command</c>, or an unqualified name when exactly one bundle has such a command.</summary>
    async Task<BundleCommand?> FindCommandAsync(string command, CancellationToken cancellationToken)
    {
        var colon = command.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0)
            return await _store.Bundles.FindCommandAsync(command[..colon], command[(colon + 1)..], cancellationToken).ConfigureAwait(false);
        BundleCommand? only = null;
        foreach (var bundle in await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await _store.Bundles.FindCommandAsync(bundle.Name, command, cancellationToken).ConfigureAwait(false) is not { } found)
                continue;
            if (only is not null)
                return null;
            only = found;
        }
        return only;
    }

    async Task<string> CommandNameAsync(string commandId, CancellationToken cancellationToken)
    {
        // The store has no lookup of a command by id; administration is rare and bundles are few.
        foreach (var bundle in await _store.Bundles.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var command in await _store.Bundles.ListCommandsAsync(bundle.Id, cancellationToken).ConfigureAwait(false))
            {
                if (command.Id == commandId)
                    return command.FullName;
            }
        }
        return commandId;
    }

    Task RecordAsync(AdminActor actor, string kind, RuleDetails rule, CancellationToken cancellationToken) =>
        _audit.RecordAsync(actor.Username, actor.Origin, kind, "rule:" + rule.Rule.Id,
            new Dictionary<string, string?> { ["command"] = rule.Command, ["rule"] = rule.Rule.Text }, cancellationToken);

    static RegistryError Invalid(string message) => new(RegistryErrorKind.Invalid, message);
}
