using Cog.Runtime.Storage;

namespace Cog.Runtime.Authorization;

/// <summary>Rules: bundle rules (from manifests, via <see cref="Bundles.IBundleStore.InstallAsync"/>) and site rules
/// (operators), as in Cog 1.0.</summary>
/// <remarks>Thread-safe. The caller parses and validates rule text; the store keys rules by (command, text).</remarks>
public interface IRuleStore
{
    /// <summary>Ingests a site rule: a new rule linked to the site version, or the existing rule with the same
    /// command and text, re-enabled and linked to the site version. NotFound for an unknown command.</summary>
    Task<StoreResult<RuleRecord>> IngestSiteRuleAsync(string commandId, string text, CancellationToken cancellationToken);

    /// <summary>The rule with this id, or <see langword="null"/>.</summary>
    Task<RuleRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every rule of a command, enabled or not.</summary>
    Task<IReadOnlyList<RuleRecord>> ListForCommandAsync(string commandId, CancellationToken cancellationToken);

    /// <summary>The rules that apply to invocations now: enabled, and linked to the site version or to the enabled
    /// version of their command's bundle. Of one command, or (<see langword="null"/>) of every command.</summary>
    Task<IReadOnlyList<RuleRecord>> ListApplicableAsync(string? commandId, CancellationToken cancellationToken);

    /// <summary>Deletes a site-only rule, or disables a bundle rule and detaches it from the site version. NotFound.</summary>
    Task<StoreResult<RuleDeletion>> DeleteAsync(string id, CancellationToken cancellationToken);
}
