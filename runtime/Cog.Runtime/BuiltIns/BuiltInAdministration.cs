using Cog.Runtime.Administration;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;

namespace Cog.Runtime.BuiltIns;

/// <summary>What the built-in commands that read or change the server's state need: <c>history</c>,
/// <c>pipeline-list</c>, <c>pipeline-info</c>, <c>pipeline-kill</c> and the <c>alias-*</c> commands; with
/// <paramref name="Services"/>, also the administrative commands.</summary>
/// <param name="Store">The store: history, aliases, users (and units of work for moving an alias).</param>
/// <param name="Pipelines">Kills pipelines wherever they run (<c>pipeline-kill</c>).</param>
/// <param name="Audit">Where administrative changes (site aliases) are recorded.</param>
/// <param name="Changes">Told after an alias changes, so the next pipeline sees it.</param>
/// <param name="Services">The administration services of the <c>bundle-*</c>, <c>rule-*</c>, <c>permission-*</c>,
/// <c>role-*</c>, <c>group-*</c>, <c>user-*</c>, <c>relay-*</c>, <c>relay-group-*</c> and <c>trigger-*</c> commands;
/// without them those commands are not available.</param>
public sealed record BuiltInAdministration(IStore Store, IPipelineMonitor Pipelines, AdminAudit Audit, IDirectoryChanges Changes,
    BuiltInAdminServices? Services = null);
