using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cog.Runtime.Administration;

namespace Cog.Api.Tests.Bundles;

public sealed class BundleEndpointsTests : IAsyncLifetime
{
    CatalogApiWorld _api = null!;

    public async ValueTask InitializeAsync() => _api = await CatalogApiWorld.StartAsync();

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    Task<(int Status, JsonElement? Body)> InstallAsync(string version = "1.0.0", bool force = false) =>
        _api.PostAsync("/v1/bundles", new { bundle = new { config = CatalogApiWorld.Manifest(version: version), force } });

    [Fact]
    public async Task Callers_without_a_token_or_without_the_permission_are_refused()
    {
        var anonymous = await _api.SendAsync(HttpMethod.Get, "/v1/bundles", token: null);
        var nobody = await _api.SendAsync(HttpMethod.Get, "/v1/bundles", token: CatalogApiWorld.NobodyToken);

        Assert.Equal((401, (JsonElement?)null), (anonymous.Status, anonymous.Body));
        Assert.Equal(403, nobody.Status);
        Assert.Equal("Not authorized.", nobody.Body!.Value.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_json_install_answers_201_with_the_version_and_a_second_one_409()
    {
        var (status, body) = await InstallAsync();
        var again = await InstallAsync();

        Assert.Equal(201, status);
        var version = body!.Value.GetProperty("bundle_version");
        Assert.Equal(("deploy", "1.0.0", false), (version.GetProperty("name").GetString(), version.GetProperty("version").GetString(), version.GetProperty("enabled").GetBoolean()));
        var command = Assert.Single(version.GetProperty("commands").EnumerateArray().ToList());
        Assert.Equal("release", command.GetProperty("name").GetString());
        Assert.Equal("when command is deploy:release must have deploy:release", command.GetProperty("rules")[0].GetProperty("rule").GetString());
        Assert.Equal(5, version.GetProperty("config_file").GetProperty("cog_bundle_version").GetInt32());
        Assert.Equal(409, again.Status);
        Assert.Equal("Version 1.0.0 of bundle 'deploy' is already installed", again.Body!.Value.GetProperty("errors").GetString());
        Assert.Equal("admin", Assert.Single(await _api.AuditAsync(AdminAuditKinds.BundleInstalled)).Actor);
    }

    [Fact]
    public async Task A_multipart_manifest_file_installs_and_a_json_object_config_too()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(CatalogApiWorld.Manifest("ec2")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        form.Add(file, "bundle[config_file]", "config.yaml");
        var multipart = await _api.SendAsync(HttpMethod.Post, "/v1/bundles", content: form);
        var json = await _api.PostAsync("/v1/bundles", new
        {
            bundle = new
            {
                config = new Dictionary<string, object>
                {
                    ["cog_bundle_version"] = 5, ["name"] = "s3", ["description"] = "d", ["version"] = "0.1.0",
                    ["commands"] = new Dictionary<string, object> { ["ls"] = new { executable = "/bin/ls", rules = new[] { "allow" } } },
                },
            },
        });

        Assert.Equal(201, multipart.Status);
        Assert.Equal("ec2", multipart.Body!.Value.GetProperty("bundle_version").GetProperty("name").GetString());
        Assert.Equal(201, json.Status);
    }

    [Fact]
    public async Task An_invalid_manifest_answers_422_with_every_error_and_its_position()
    {
        var (status, body) = await _api.PostAsync("/v1/bundles", new { bundle = new { config = "cog_bundle_version: 5\nname: deploy\n" } });

        Assert.Equal(422, status);
        Assert.Equal("The bundle's manifest is invalid.", body!.Value.GetProperty("errors").GetString());
        Assert.All(body.Value.GetProperty("manifest_errors").EnumerateArray(), e => Assert.True(e.GetProperty("line").GetInt32() >= 1));
    }

    [Fact]
    public async Task A_body_without_a_bundle_is_refused()
    {
        var (status, body) = await _api.PostAsync("/v1/bundles", new { bundle = new { force = true } });

        Assert.Equal(422, status);
        Assert.Equal(global::Cog.Api.Bundles.AdminApiMessages.NoBundleGiven, body!.Value.GetProperty("errors").GetString());
    }

    [Fact]
    public async Task Status_enables_and_disables_a_version_and_refuses_other_words()
    {
        var installed = (await InstallAsync()).Body!.Value.GetProperty("bundle_version");
        var id = installed.GetProperty("id").GetString();

        var enabled = await _api.PostAsync($"/v1/bundles/deploy/versions/{id}/status", new { status = "enabled" });
        var status = await _api.GetAsync("/v1/bundles/deploy/status");
        var disabled = await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "disabled" });
        var bad = await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "on" });

        Assert.Equal(200, enabled.Status);
        Assert.Equal("1.0.0", enabled.Body!.Value.GetProperty("bundle").GetProperty("enabled_version").GetProperty("version").GetString());
        Assert.True(status.Body!.Value.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, disabled.Body!.Value.GetProperty("bundle").GetProperty("enabled_version").ValueKind);
        Assert.Equal((400, "Unrecognized status: \"on\""), (bad.Status, bad.Body!.Value.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task Deleting_an_enabled_bundle_is_refused_and_a_disabled_one_deleted()
    {
        await InstallAsync();
        await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "enabled" });

        var refused = await _api.SendAsync(HttpMethod.Delete, "/v1/bundles/deploy");
        await _api.PostAsync("/v1/bundles/deploy/versions/1.0.0/status", new { status = "disabled" });
        var deleted = await _api.SendAsync(HttpMethod.Delete, "/v1/bundles/deploy");
        var gone = await _api.GetAsync("/v1/bundles/deploy");

        Assert.Equal((422, "Bundle 'deploy' cannot be deleted: one of its versions is enabled"), (refused.Status, refused.Body!.Value.GetProperty("errors").GetString()));
        Assert.Equal(204, deleted.Status);
        Assert.Equal((404, "Bundle 'deploy' does not exist"), (gone.Status, gone.Body!.Value.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task The_built_in_bundle_cannot_be_deleted_disabled_or_assigned()
    {
        await _api.PostAsync("/v1/relay_groups", new { relay_group = new { name = "prod" } });

        var deleted = await _api.SendAsync(HttpMethod.Delete, "/v1/bundles/operable");
        var disabled = await _api.PostAsync("/v1/bundles/operable/versions/1.0.0/status", new { status = "disabled" });
        var assigned = await _api.PostAsync("/v1/relay_groups/prod/bundles", new { bundles = new { add = new[] { "operable" } } });

        Assert.All([deleted, disabled, assigned], r => Assert.Equal((422, "Bundle 'operable' is protected"), (r.Status, r.Body!.Value.GetProperty("errors").GetString())));
    }

    [Fact]
    public async Task Bundles_and_versions_are_listed()
    {
        await InstallAsync("1.0.0");
        await InstallAsync("1.1.0");

        var bundles = await _api.GetAsync("/v1/bundles");
        var versions = await _api.GetAsync("/v1/bundles/deploy/versions");
        var version = await _api.GetAsync("/v1/bundles/deploy/versions/1.1.0");

        var bundle = Assert.Single(bundles.Body!.Value.GetProperty("bundles").EnumerateArray().Where(b => b.GetProperty("name").GetString() == "deploy").ToList());
        Assert.Equal(2, bundle.GetProperty("versions").GetArrayLength());
        Assert.Equal(2, versions.Body!.Value.GetProperty("bundle_versions").GetArrayLength());
        Assert.Equal("1.1.0", version.Body!.Value.GetProperty("bundle_version").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Dynamic_config_layers_are_created_shown_listed_and_deleted()
    {
        await InstallAsync();

        var created = await _api.PostAsync("/v1/bundles/deploy/dynamic_config/room/Ops", new { config = new Dictionary<string, string> { ["REGION"] = "eu" } });
        var shown = await _api.GetAsync("/v1/bundles/deploy/dynamic_config/room/ops");
        var listed = await _api.GetAsync("/v1/bundles/deploy/dynamic_config");
        var bad = await _api.PostAsync("/v1/bundles/deploy/dynamic_config/team/ops", new { config = new { } });
        var deleted = await _api.SendAsync(HttpMethod.Delete, "/v1/bundles/deploy/dynamic_config/room/ops");
        var missing = await _api.GetAsync("/v1/bundles/deploy/dynamic_config/base");

        Assert.Equal(201, created.Status);
        var layer = shown.Body!.Value.GetProperty("dynamic_configuration");
        Assert.Equal(("deploy", "room", "ops", "eu"), (layer.GetProperty("bundle_name").GetString(), layer.GetProperty("layer").GetString(),
            layer.GetProperty("name").GetString(), layer.GetProperty("config").GetProperty("REGION").GetString()));
        Assert.Equal(1, listed.Body!.Value.GetProperty("dynamic_configurations").GetArrayLength());
        Assert.Equal(422, bad.Status);
        Assert.Equal(["Must specify layer as 'base', 'room/$NAME', or 'user/$NAME'"],
            bad.Body!.Value.GetProperty("errors").GetProperty("layer").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(204, deleted.Status);
        Assert.Equal((404, "Layer 'base' not found for bundle 'deploy'"), (missing.Status, missing.Body!.Value.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task Uploads_are_limited_to_16_MiB()
    {
        using var content = new ByteArrayContent(new byte[(16 * 1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var (status, _) = await _api.SendAsync(HttpMethod.Post, "/v1/bundles", content: content);

        Assert.Equal(413, status);
    }
}
