using System.Security.Claims;
using Cog.Runtime.Pipeline;
using Microsoft.AspNetCore.Authorization;

namespace Cog.Api.Infrastructure;

/// <summary>Requires the caller to hold one Cog permission (the REST API checks
/// <c>operable:manage_*</c> directly, not through rules).</summary>
/// <param name="Permission">Fully qualified, <c>bundle:name</c>.</param>
sealed record PermissionRequirement(string Permission) : IAuthorizationRequirement;

/// <summary>Decides <see cref="PermissionRequirement"/> with the caller's cached permission set
/// (<see cref="IPipelineDirectory.GetPermissionsAsync"/>, invalidated when a grant changes).</summary>
sealed class PermissionHandler(IPipelineDirectory directory) : AuthorizationHandler<PermissionRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
            return;
        var permissions = await directory.GetPermissionsAsync(userId, CancellationToken.None);
        if (permissions.Contains(requirement.Permission))
            context.Succeed(requirement);
    }
}

/// <summary>The authorization policies of the API: one per <c>operable</c> permission, named after it, plus
/// <see cref="Authenticated"/>.</summary>
public static class ApiPolicies
{
    /// <summary>Any authenticated caller.</summary>
    public const string Authenticated = "authenticated";

    /// <summary>Bundles, rules, dynamic config.</summary>
    public const string ManageCommands = "operable:manage_commands";

    /// <summary>Groups.</summary>
    public const string ManageGroups = "operable:manage_groups";

    /// <summary>Site permissions.</summary>
    public const string ManagePermissions = "operable:manage_permissions";

    /// <summary>Relays and relay groups.</summary>
    public const string ManageRelays = "operable:manage_relays";

    /// <summary>Roles.</summary>
    public const string ManageRoles = "operable:manage_roles";

    /// <summary>Triggers.</summary>
    public const string ManageTriggers = "operable:manage_triggers";

    /// <summary>Users and chat handles.</summary>
    public const string ManageUsers = "operable:manage_users";

    /// <summary>Other users' pipelines.</summary>
    public const string ManageUserPipeline = "operable:manage_user_pipeline";

    /// <summary>The audit log (list and verify).</summary>
    public const string ViewAudit = "operable:view_audit";

    /// <summary>Every permission policy.</summary>
    public static IReadOnlyList<string> Permissions { get; } =
        [ManageCommands, ManageGroups, ManagePermissions, ManageRelays, ManageRoles, ManageTriggers, ManageUsers, ManageUserPipeline, ViewAudit];
}
