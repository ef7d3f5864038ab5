using Cog.Runtime.Administration;
using Cog.Runtime.Tests.Identity;

namespace Cog.Runtime.Tests.Administration;

public class PermissionAdministrationTests
{
    static CancellationToken Ct => IdentityWorld.Ct;

    static AdminActor Alice => IdentityWorld.Alice;

    [Fact]
    public async Task Site_permissions_are_created_found_and_deleted()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        var created = (await world.Permissions.CreateAsync(Alice, "site:deploy", Ct)).GetValueOrThrow();

        Assert.Equal(("site", "deploy", null), (created.Namespace, created.Name, created.BundleId));
        Assert.Equal(created, (await world.Permissions.GetAsync("site:deploy", Ct)).GetValueOrThrow());
        Assert.Equal(created, (await world.Permissions.GetAsync(created.Id, Ct)).GetValueOrThrow());
        Assert.True((await world.Permissions.DeleteAsync(Alice, "site:deploy", Ct)).IsSuccess);
        Assert.Equal("Permission not found", (await world.Permissions.GetAsync("site:deploy", Ct)).Error?.Message);
        Assert.Single(await world.AuditAsync("permission.created"));
        Assert.Single(await world.AuditAsync("permission.deleted"));
        Assert.Equal(1, world.Changes.Grants);
    }

    [Theory]
    [InlineData("deploy", "must be in the site namespace (site:NAME)")]
    [InlineData("operable:deploy", "must be in the site namespace (site:NAME)")]
    [InlineData("site:", "can't be blank")]
    [InlineData("", "can't be blank")]
    [InlineData("site:a:b", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("site:two words", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("site:taken", "has already been taken")]
    public async Task Only_well_formed_new_site_permissions_are_created(string name, string message)
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.Permissions.CreateAsync(Alice, "site:taken", Ct);

        Assert.Equal([message], (await world.Permissions.CreateAsync(Alice, name, Ct)).Error?.Fields?["name"]);
    }

    [Fact]
    public async Task Bundle_permissions_cannot_be_deleted_here()
    {
        await using var world = await IdentityWorld.OpenAsync();

        var result = await world.Permissions.DeleteAsync(Alice, "operable:manage_users", Ct);

        Assert.Equal(AdminErrorKind.Forbidden, result.Error?.Kind);
        Assert.Equal("Deleting permissions outside of the site namespace is forbidden.", result.Error?.Message);
    }

    [Fact]
    public async Task A_granted_permission_cannot_be_deleted()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);
        await world.Permissions.CreateAsync(Alice, "site:deploy", Ct);
        await world.Roles.CreateAsync(Alice, "deployer", Ct);
        await world.Roles.ChangePermissionsAsync(Alice, "deployer", ["site:deploy"], null, Ct);

        var result = await world.Permissions.DeleteAsync(Alice, "site:deploy", Ct);

        Assert.Equal(AdminErrorKind.Refused, result.Error?.Kind);
        Assert.Equal("Permission 'site:deploy' cannot be deleted: it is granted to role 'deployer'", result.Error?.Message);
    }

    [Fact]
    public async Task Permissions_are_listed_by_namespace()
    {
        await using var world = await IdentityWorld.OpenAsync();
        await world.Permissions.CreateAsync(Alice, "site:deploy", Ct);

        Assert.Equal(["site:deploy"], (await world.Permissions.ListAsync("site", Ct)).Select(static p => p.FullName));
        Assert.Contains("operable:manage_roles", (await world.Permissions.ListAsync(null, Ct)).Select(static p => p.FullName));
    }
}
