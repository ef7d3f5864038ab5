using Cog.Language.Resolution;

namespace Cog.Runtime.Pipeline;

/// <summary>What the pipeline engine reads about the world before it runs anything: the command space, the caller's
/// aliases and the caller's permissions. Implementations cache (a user's permission set is invalidated when a grant
/// changes) so that a pipeline costs no store round trip in the common case.</summary>
public interface IPipelineDirectory
{
    /// <summary>The current command space.</summary>
    ValueTask<ICommandSpace> GetCommandSpaceAsync(CancellationToken cancellationToken);

    /// <summary>The user's own aliases.</summary>
    ValueTask<AliasCatalog> GetUserAliasesAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Every permission the user holds through their groups and roles, fully qualified (<c>bundle:name</c>).</summary>
    ValueTask<IReadOnlySet<string>> GetPermissionsAsync(string userId, CancellationToken cancellationToken);
}
