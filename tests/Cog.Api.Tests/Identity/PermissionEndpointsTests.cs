using System.Net;

namespace Cog.Api.Tests.Identity;

public class PermissionEndpointsTests
{
    [Fact]
    public async Task A_site_permission_is_created_shown_by_id_or_full_name_listed_and_deleted()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();

        var (status, created) = await world.SendAsync(HttpMethod.Post, "/v1/permissions", """{"permission":{"name":"site:deploy"}}""", admin);
        var id = created!.Value.GetProperty("permission").GetProperty("id").GetString();
        var byName = await world.SendTextAsync(HttpMethod.Get, "/v1/permissions/site:deploy", token: admin);
        var byId = await world.SendTextAsync(HttpMethod.Get, $"/v1/permissions/{id}", token: admin);
        var (_, site) = await world.SendAsync(HttpMethod.Get, "/v1/permissions?bundle=site", token: admin);
        var (_, all) = await world.SendAsync(HttpMethod.Get, "/v1/permissions", token: admin);
        var deleted = await world.SendTextAsync(HttpMethod.Delete, "/v1/permissions/site:deploy", token: admin);

        Assert.Equal(HttpStatusCode.Created, status);
        var expected = $$$"""{"permission":{"id":"{{{id}}}","name":"deploy","bundle":"site"}}""";
        Assert.Equal((HttpStatusCode.OK, expected), byName);
        Assert.Equal((HttpStatusCode.OK, expected), byId);
        Assert.Equal(1, site!.Value.GetProperty("permissions").GetArrayLength());
        Assert.True(all!.Value.GetProperty("permissions").GetArrayLength() > 5);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Permission not found"}"""), await world.SendTextAsync(HttpMethod.Get, $"/v1/permissions/{id}", token: admin));
    }

    [Fact]
    public async Task Bundle_permissions_cannot_be_created_or_deleted_here()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["must be in the site namespace (site:NAME)"]}}"""),
            await world.SendTextAsync(HttpMethod.Post, "/v1/permissions", """{"permission":{"name":"operable:x"}}""", admin));
        Assert.Equal((HttpStatusCode.Forbidden, """{"errors":"Deleting permissions outside of the site namespace is forbidden."}"""),
            await world.SendTextAsync(HttpMethod.Delete, "/v1/permissions/operable:manage_users", token: admin));
    }

    [Fact]
    public async Task A_granted_permission_cannot_be_deleted()
    {
        await using var world = await ApiWorld.OpenAsync();
        var admin = await world.AdminTokenAsync();
        await world.SendAsync(HttpMethod.Post, "/v1/permissions", """{"permission":{"name":"site:deploy"}}""", admin);
        await world.SendAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", """{"permissions":{"grant":["site:deploy"]}}""", admin);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Permission 'site:deploy' cannot be deleted: it is granted to role 'cog-admin'"}"""),
            await world.SendTextAsync(HttpMethod.Delete, "/v1/permissions/site:deploy", token: admin));
    }
}
