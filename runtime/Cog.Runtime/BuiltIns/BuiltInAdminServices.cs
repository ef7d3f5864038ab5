using Cog.Runtime.Administration;
using Cog.Runtime.Relays;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.BuiltIns;

/// <summary>The administration services behind the administrative chat commands (<c>bundle-*</c>, <c>rule-*</c>,
/// <c>permission-*</c>, <c>role-*</c>, <c>group-*</c>, <c>user-*</c>, <c>relay-*</c>, <c>relay-group-*</c>,
/// <c>trigger-*</c>): the same services the REST API calls, so validation, messages, audit and change notification are
/// the same whichever way a change is made.</summary>
/// <param name="Users">Users and their chat handles.</param>
/// <param name="Groups">Groups, their members and roles.</param>
/// <param name="Roles">Roles and their permissions.</param>
/// <param name="Permissions">Site permissions.</param>
/// <param name="Bundles">Installed bundles and their versions.</param>
/// <param name="Rules">Access rules.</param>
/// <param name="Relays">Relays (never created and never showing a token from chat).</param>
/// <param name="RelayGroups">Relay groups, their relays and bundles.</param>
/// <param name="Triggers">Pipeline triggers.</param>
/// <param name="TriggerUrlBase">The public base address of the REST API, for a trigger's <c>invocation_url</c>; without
/// it the URL is the path alone (<c>/v1/triggers/ID</c>).</param>
/// <param name="LiveRelays">What the relays report live, compared with their assignments (<c>relay-info</c> shows a
/// relay's isolation and problems from it), or <see langword="null"/>.</param>
public sealed record BuiltInAdminServices(
    UserAdministration Users,
    GroupAdministration Groups,
    RoleAdministration Roles,
    PermissionAdministration Permissions,
    BundleAdministration Bundles,
    RuleAdministration Rules,
    RelayAdministration Relays,
    RelayGroupAdministration RelayGroups,
    TriggerAdministration Triggers,
    Uri? TriggerUrlBase = null,
    RelayMonitor? LiveRelays = null);
