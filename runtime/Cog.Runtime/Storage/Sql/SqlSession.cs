using Cog.Runtime.Audit;
using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;
using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Relays;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.Storage.Sql;

/// <summary>The aggregate stores over one executor.</summary>
class SqlSession(SqlExecutor executor) : IStoreSession
{
    public IUserStore Users { get; } = new SqlUserStore(executor);
    public IGroupStore Groups { get; } = new SqlGroupStore(executor);
    public IRoleStore Roles { get; } = new SqlRoleStore(executor);
    public IPermissionStore Permissions { get; } = new SqlPermissionStore(executor);
    public ITokenStore Tokens { get; } = new SqlTokenStore(executor);
    public IBundleStore Bundles { get; } = new SqlBundleStore(executor);
    public IConfigLayerStore ConfigLayers { get; } = new SqlConfigLayerStore(executor);
    public IRuleStore Rules { get; } = new SqlRuleStore(executor);
    public IAliasStore Aliases { get; } = new SqlAliasStore(executor);
    public IRelayStore Relays { get; } = new SqlRelayStore(executor);
    public ITriggerStore Triggers { get; } = new SqlTriggerStore(executor);
    public IHistoryStore History { get; } = new SqlHistoryStore(executor);
    public IAuditStore Audit { get; } = new SqlAuditStore(executor);
    public IClusterStore Cluster { get; } = new SqlClusterStore(executor);
}
