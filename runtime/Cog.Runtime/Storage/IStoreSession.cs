using Cog.Runtime.Audit;
using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;
using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.Storage;

/// <summary>The aggregate stores, seen either one call at a time (<see cref="IStore"/>: each write commits on its
/// own) or inside a unit of work (<see cref="IStoreTransaction"/>: everything commits together).</summary>
public interface IStoreSession
{
    /// <summary>Users and chat handles.</summary>
    IUserStore Users { get; }

    /// <summary>Groups, members and role grants.</summary>
    IGroupStore Groups { get; }

    /// <summary>Roles and permission grants.</summary>
    IRoleStore Roles { get; }

    /// <summary>Permissions.</summary>
    IPermissionStore Permissions { get; }

    /// <summary>API tokens.</summary>
    ITokenStore Tokens { get; }

    /// <summary>Bundles, versions, packages, commands.</summary>
    IBundleStore Bundles { get; }

    /// <summary>Dynamic configuration layers.</summary>
    IConfigLayerStore ConfigLayers { get; }

    /// <summary>Bundle and site rules.</summary>
    IRuleStore Rules { get; }

    /// <summary>User and site aliases.</summary>
    IAliasStore Aliases { get; }

    /// <summary>Relays and relay groups.</summary>
    IRelayStore Relays { get; }

    /// <summary>Triggers.</summary>
    ITriggerStore Triggers { get; }

    /// <summary>Pipeline history.</summary>
    IHistoryStore History { get; }

    /// <summary>The audit log.</summary>
    IAuditStore Audit { get; }

    /// <summary>The servers sharing the store: instances and leases.</summary>
    IClusterStore Cluster { get; }
}
