using Cog.Runtime.Administration;
using Cog.Runtime.Tests.Identity;

namespace Cog.Runtime.Tests.Administration;

public class RoleAdministrationTests
{
    static CancellationToken Ct => IdentityWorld.Ct;

    static AdminActor Alice => IdentityWorld.Alice;

    [Fact]
    public async Task Permissions_are_granted_and_revoked_by_full_name_and_the_role_shows_its_groups()
    {
        await using var world = await IdentityWorld.OpenAsync();
        await world.Permissions.CreateAsync(Alice, "site:deploy", Ct);
        await world.Roles.CreateAsync(Alice, "deployer", Ct);
        await world.Groups.CreateAsync(Alice, "ops", Ct);
        await world.Groups.ChangeRolesAsync(Alice, "ops", ["deployer"], null, Ct);
        world.Changes.Reset();

        var granted = (await world.Roles.ChangePermissionsAsync(Alice, "deployer", ["site:deploy", "operable:manage_relays"], null, Ct)).GetValueOrThrow();
        var revoked = (await world.Roles.ChangePermissionsAsync(Alice, "deployer", null, ["operable:manage_relays"], Ct)).GetValueOrThrow();

        Assert.Equal(["operable:manage_relays", "site:deploy"], granted.Permissions.Select(static p => p.FullName));
        Assert.Equal(["site:deploy"], revoked.Permissions.Select(static p => p.FullName));
        Assert.Equal(["ops"], revoked.Groups.Select(static g => g.Name));
        Assert.Equal(2, world.Changes.Grants);
        Assert.Equal(2, (await world.AuditAsync("role.permission_granted")).Count);
        Assert.Single(await world.AuditAsync("role.permission_revoked"));
    }

    [Fact]
    public async Task Unknown_permissions_change_nothing()
    {
        await using var world = await IdentityWorld.OpenAsync();
        await world.Roles.CreateAsync(Alice, "deployer", Ct);

        var result = await world.Roles.ChangePermissionsAsync(Alice, "deployer", ["operable:manage_relays", "site:nope", "bare"], null, Ct);

        Assert.Equal("Unknown permissions: site:nope, bare", result.Error?.Message);
        Assert.Empty((await world.Roles.GetAsync("deployer", Ct)).GetValueOrThrow().Permissions);
    }

    [Fact]
    public async Task The_admin_role_keeps_its_name_its_existence_and_its_permissions()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();

        Assert.Equal("The cog-admin role cannot be renamed", (await world.Roles.RenameAsync(Alice, "cog-admin", "root", Ct)).Error?.Message);
        Assert.Equal("The cog-admin role cannot be deleted", (await world.Roles.DeleteAsync(Alice, "cog-admin", Ct)).Error?.Message);
        Assert.Equal("Permission 'operable:manage_users' cannot be revoked from the cog-admin role",
            (await world.Roles.ChangePermissionsAsync(Alice, "cog-admin", null, ["operable:manage_users"], Ct)).Error?.Message);
        Assert.Contains("operable:manage_users", (await world.Roles.GetAsync("cog-admin", Ct)).GetValueOrThrow().Permissions.Select(static p => p.FullName));
    }

    [Fact]
    public async Task More_permissions_may_be_granted_to_the_admin_role()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();
        await world.Permissions.CreateAsync(Alice, "site:extra", Ct);

        Assert.True((await world.Roles.ChangePermissionsAsync(Alice, "cog-admin", ["site:extra"], null, Ct)).IsSuccess);
    }

    [Fact]
    public async Task A_role_granted_to_a_group_cannot_be_deleted()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.Roles.CreateAsync(Alice, "deployer", Ct);
        await world.Groups.CreateAsync(Alice, "ops", Ct);
        await world.Groups.ChangeRolesAsync(Alice, "ops", ["deployer"], null, Ct);

        Assert.Equal("Role 'deployer' cannot be deleted: it is granted to group 'ops'", (await world.Roles.DeleteAsync(Alice, "deployer", Ct)).Error?.Message);
        await world.Groups.ChangeRolesAsync(Alice, "ops", null, ["deployer"], Ct);
        Assert.True((await world.Roles.DeleteAsync(Alice, "deployer", Ct)).IsSuccess);
        Assert.Equal("Role not found", (await world.Roles.GetAsync("deployer", Ct)).Error?.Message);
    }

    [Fact]
    public async Task Roles_are_renamed_with_the_name_rules()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.Roles.CreateAsync(Alice, "a", Ct);
        await world.Roles.CreateAsync(Alice, "b", Ct);

        Assert.Equal(["has already been taken"], (await world.Roles.RenameAsync(Alice, "a", "b", Ct)).Error?.Fields?["name"]);
        Assert.Equal("c", (await world.Roles.RenameAsync(Alice, "a", "c", Ct)).GetValueOrThrow().Role.Name);
        Assert.Single(await world.AuditAsync("role.renamed"));
    }
}
