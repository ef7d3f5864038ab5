using System.Net;

namespace Cog.Api.Tests.Identity;

public class PermissionEndpointsTests
{
    [Fact]
    public async Task A_site_permission_is_created_shown_by_id_or_full_name_listed_and_deleted()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        var (status, created) = await world.JsonAsync(HttpMethod.Post, "/v1/permissions", admin, """{"permission":{"name":"site:deploy"}}""");
        var id = created.GetProperty("permission").GetProperty("id").GetString();
        var byName = await world.TextAsync(HttpMethod.Get, "/v1/permissions/site:deploy", admin);
        var byId = await world.TextAsync(HttpMethod.Get, $"/v1/permissions/{id}", admin);
        var (_, site) = await world.JsonAsync(HttpMethod.Get, "/v1/permissions?bundle=site", admin);
        var (_, all) = await world.JsonAsync(HttpMethod.Get, "/v1/permissions", admin);
        var deleted = await world.TextAsync(HttpMethod.Delete, "/v1/permissions/site:deploy", admin);

        Assert.Equal(HttpStatusCode.Created, status);
        var expected = $$$"""{"permission":{"id":"{{{id}}}","name":"deploy","bundle":"site"}}""";
        Assert.Equal((HttpStatusCode.OK, expected), byName);
        Assert.Equal((HttpStatusCode.OK, expected), byId);
        Assert.Equal(1, site.GetProperty("permissions").GetArrayLength());
        Assert.True(all.GetProperty("permissions").GetArrayLength() > 5);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"errors":"Permission not found"}"""), await world.TextAsync(HttpMethod.Get, $"/v1/permissions/{id}", admin));
    }

    [Fact]
    public async Task Bundle_permissions_cannot_be_created_or_deleted_here()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":{"name":["must be in the site namespace (site:NAME)"]}}"""),
            await world.TextAsync(HttpMethod.Post, "/v1/permissions", admin, """{"permission":{"name":"operable:x"}}"""));
        Assert.Equal((HttpStatusCode.Forbidden, """{"errors":"Deleting permissions outside of the site namespace is forbidden."}"""),
            await world.TextAsync(HttpMethod.Delete, "/v1/permissions/operable:manage_users", admin));
    }

    [Fact]
    public async Task A_granted_permission_cannot_be_deleted()
    {
        await using var world = await ApiWorld.StartAsync();
        var admin = await world.AdminTokenAsync();
        await world.JsonAsync(HttpMethod.Post, "/v1/permissions", admin, """{"permission":{"name":"site:deploy"}}""");
        await world.JsonAsync(HttpMethod.Post, "/v1/roles/cog-admin/permissions", admin, """{"permissions":{"grant":["site:deploy"]}}""");

        Assert.Equal((HttpStatusCode.UnprocessableEntity, """{"errors":"Permission 'site:deploy' cannot be deleted: it is granted to role 'cog-admin'"}"""),
            await world.TextAsync(HttpMethod.Delete, "/v1/permissions/site:deploy", admin));
    }
}
