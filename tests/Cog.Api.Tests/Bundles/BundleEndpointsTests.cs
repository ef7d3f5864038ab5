using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cog.Runtime.Administration;

namespace Cog.Api.Tests.Bundles;

public sealed class BundleEndpointsTests : IAsyncLifetime
{
    ApiWorld _api = null!;
    string _admin = "";

    public async ValueTask InitializeAsync()
    {
        _api = await ApiWorld.StartAsync();
        _admin = (await _api.UserAsync("admin", "operable:manage_commands", "operable:manage_relays")).Token;
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();

    Task<(HttpStatusCode Status, JsonElement Body)> InstallAsync(string version = "1.0.0", bool force = false) =>
        _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = ApiWorld.Manifest(version: version), force } });

    [Fact]
    public async Task Callers_without_a_token_or_without_the_permission_are_refused()
    {
        var nobody = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles", (await _api.UserAsync("nobody")).Token);

        Assert.Equal((HttpStatusCode.Unauthorized, ""), await _api.TextAsync(HttpMethod.Get, "/v1/bundles"));
        Assert.Equal(HttpStatusCode.Forbidden, nobody.Status);
        Assert.Equal("Not authorized.", nobody.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_json_install_answers_201_with_the_version_and_a_second_one_409()
    {
        var (status, body) = await InstallAsync();
        var again = await InstallAsync();

        Assert.Equal(HttpStatusCode.Created, status);
        var version = body.GetProperty("bundle_version");
        Assert.Equal(("deploy", "1.0.0", false), (version.GetProperty("name").GetString(), version.GetProperty("version").GetString(), version.GetProperty("enabled").GetBoolean()));
        var command = Assert.Single(version.GetProperty("commands").EnumerateArray().ToList());
        Assert.Equal("release", command.GetProperty("name").GetString());
        Assert.Equal("when command is deploy:release must have deploy:release", command.GetProperty("rules")[0].GetProperty("rule").GetString());
        Assert.Equal(5, version.GetProperty("config_file").GetProperty("cog_bundle_version").GetInt32());
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("Version 1.0.0 of bundle 'deploy' is already installed", again.Body.GetProperty("errors").GetString());
        Assert.Equal("admin", Assert.Single(await _api.AuditAsync(AdminAuditKinds.BundleInstalled)).Actor);
    }

    [Fact]
    public async Task A_multipart_manifest_file_installs_and_a_json_object_config_too()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(ApiWorld.Manifest("ec2")));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        form.Add(file, "bundle[config_file]", "config.yaml");
        var multipart = await ApiWorld.ReadJsonAsync(await _api.SendAsync(HttpMethod.Post, "/v1/bundles", _admin, form));
        var json = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new
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

        Assert.Equal(HttpStatusCode.Created, multipart.Status);
        Assert.Equal("ec2", multipart.Body.GetProperty("bundle_version").GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Created, json.Status);
    }

    [Fact]
    public async Task An_invalid_manifest_answers_422_with_every_error_and_its_position()
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = "cog_bundle_version: 5\nname: deploy\n" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("The bundle's manifest is invalid.", body.GetProperty("errors")[0].GetString());
        Assert.Equal(body.GetProperty("manifest_errors").GetArrayLength() + 1, body.GetProperty("errors").GetArrayLength());
        Assert.All(body.GetProperty("manifest_errors").EnumerateArray(), e => Assert.True(e.GetProperty("line").GetInt32() >= 1));
    }

    [Fact]
    public async Task A_manifest_the_yaml_parser_cannot_read_answers_422_with_its_position()
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { config = "cog_bundle_version: 6\nname: deploy\ndescription: !!str[\n" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("The bundle's manifest is invalid.", body.GetProperty("errors")[0].GetString());
        var error = Assert.Single(body.GetProperty("manifest_errors").EnumerateArray());
        Assert.Equal($"Error near {error.GetProperty("pointer").GetString()}: {error.GetProperty("file").GetString()}:3:14: YAML syntax error: Global tags must be valid URIs.",
            body.GetProperty("errors")[1].GetString());
        Assert.Equal((3, 14, "YAML syntax error: Global tags must be valid URIs."),
            (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_body_without_a_bundle_is_refused()
    {
        var (status, body) = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles", _admin, new { bundle = new { force = true } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(global::Cog.Api.Infrastructure.AdminApiMessages.NoBundleGiven, body.GetProperty("errors").GetString());
    }

    [Fact]
    public async Task Status_enables_and_disables_a_version_and_refuses_other_words()
    {
        var installed = (await InstallAsync()).Body.GetProperty("bundle_version");
        var id = installed.GetProperty("id").GetString();

        var enabled = await _api.JsonAsync(HttpMethod.Post, $"/v1/bundles/deploy/versions/{id}/status", _admin, new { status = "enabled" });
        var status = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy/status", _admin);
        var disabled = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "disabled" });
        var bad = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "on" });

        Assert.Equal(HttpStatusCode.OK, enabled.Status);
        Assert.Equal("1.0.0", enabled.Body.GetProperty("enabled_version").GetString());
        Assert.True(status.Body.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, disabled.Body.GetProperty("enabled_version").ValueKind);
        Assert.Equal((HttpStatusCode.BadRequest, "Unrecognized status: \"on\""), (bad.Status, bad.Body.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task Deleting_an_enabled_bundle_is_refused_and_a_disabled_one_deleted()
    {
        await InstallAsync();
        await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "enabled" });

        var refused = await _api.JsonAsync(HttpMethod.Delete, "/v1/bundles/deploy", _admin);
        await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/versions/1.0.0/status", _admin, new { status = "disabled" });
        var deleted = await _api.JsonAsync(HttpMethod.Delete, "/v1/bundles/deploy", _admin);
        var gone = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy", _admin);

        Assert.Equal((HttpStatusCode.UnprocessableEntity, "Bundle 'deploy' cannot be deleted: one of its versions is enabled"), (refused.Status, refused.Body.GetProperty("errors").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, "Bundle 'deploy' does not exist"), (gone.Status, gone.Body.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task The_built_in_bundle_cannot_be_deleted_disabled_or_assigned()
    {
        await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups", _admin, new { relay_group = new { name = "prod" } });

        var deleted = await _api.JsonAsync(HttpMethod.Delete, "/v1/bundles/operable", _admin);
        // The built-in bundle is stored under its manifest version plus the manifest's digest (BundleRegistry.BuiltInVersion).
        var builtIn = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/operable", _admin);
        var version = builtIn.Body.GetProperty("bundle").GetProperty("enabled_version").GetProperty("version").GetString();
        Assert.StartsWith("1.0.0+", version, StringComparison.Ordinal);
        var disabled = await _api.JsonAsync(HttpMethod.Post, $"/v1/bundles/operable/versions/{Uri.EscapeDataString(version!)}/status", _admin, new { status = "disabled" });
        var assigned = await _api.JsonAsync(HttpMethod.Post, "/v1/relay_groups/prod/bundles", _admin, new { bundles = new { add = new[] { "operable" } } });

        Assert.All([deleted, disabled, assigned], r => Assert.Equal((HttpStatusCode.UnprocessableEntity, "Bundle 'operable' is protected"), (r.Status, r.Body.GetProperty("errors").GetString())));
    }

    [Fact]
    public async Task Bundles_and_versions_are_listed()
    {
        await InstallAsync("1.0.0");
        await InstallAsync("1.1.0");

        var bundles = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles", _admin);
        var versions = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy/versions", _admin);
        var version = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy/versions/1.1.0", _admin);

        var bundle = Assert.Single(bundles.Body.GetProperty("bundles").EnumerateArray().Where(b => b.GetProperty("name").GetString() == "deploy").ToList());
        Assert.Equal(2, bundle.GetProperty("versions").GetArrayLength());
        Assert.Equal(2, versions.Body.GetProperty("bundle_versions").GetArrayLength());
        Assert.Equal("1.1.0", version.Body.GetProperty("bundle_version").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Dynamic_config_layers_are_created_shown_listed_and_deleted()
    {
        await InstallAsync();

        var created = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/dynamic_config/room/Ops", _admin, new { config = new Dictionary<string, string> { ["REGION"] = "eu" } });
        var shown = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy/dynamic_config/room/ops", _admin);
        var listed = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy/dynamic_config", _admin);
        var bad = await _api.JsonAsync(HttpMethod.Post, "/v1/bundles/deploy/dynamic_config/team/ops", _admin, new { config = new { } });
        var deleted = await _api.JsonAsync(HttpMethod.Delete, "/v1/bundles/deploy/dynamic_config/room/ops", _admin);
        var missing = await _api.JsonAsync(HttpMethod.Get, "/v1/bundles/deploy/dynamic_config/base", _admin);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var layer = shown.Body.GetProperty("dynamic_configuration");
        Assert.Equal(("deploy", "room", "ops", "eu"), (layer.GetProperty("bundle_name").GetString(), layer.GetProperty("layer").GetString(),
            layer.GetProperty("name").GetString(), layer.GetProperty("config").GetProperty("REGION").GetString()));
        Assert.Equal(1, listed.Body.GetProperty("dynamic_configurations").GetArrayLength());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.Status);
        Assert.Equal(["Must specify layer as 'base', 'room/$NAME', or 'user/$NAME'"],
            bad.Body.GetProperty("errors").GetProperty("layer").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal((HttpStatusCode.NotFound, "Layer 'base' not found for bundle 'deploy'"), (missing.Status, missing.Body.GetProperty("errors").GetString()));
    }

    [Fact]
    public async Task Uploads_are_limited_to_16_MiB()
    {
        using var content = new ByteArrayContent(new byte[(16 * 1024 * 1024) + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var (status, _) = await ApiWorld.ReadJsonAsync(await _api.SendAsync(HttpMethod.Post, "/v1/bundles", _admin, content));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
    }
}
