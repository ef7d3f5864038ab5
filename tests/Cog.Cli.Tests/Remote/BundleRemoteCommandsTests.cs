using Cog.Cli.Tests.Support;

namespace Cog.Cli.Tests.Remote;

public sealed class BundleRemoteCommandsTests : IDisposable
{
    const string Version = """{"id":"v2","bundle_id":"b1","name":"foo","version":"1.10.0","enabled":false,"commands":[{"id":"c1","name":"bar"},{"id":"c2","name":"baz"}],"permissions":[{"id":"p1","name":"read","bundle":"foo"}]}""";
    const string Bundle = """{"id":"b1","name":"foo","enabled_version":null,"versions":[{"id":"v1","bundle_id":"b1","version":"1.9.0"},{"id":"v2","bundle_id":"b1","version":"1.10.0"},{"id":"v0","bundle_id":"b1","version":"1.10.0-rc.1"}],"relay_groups":[]}""";
    const string EnabledBundle = """{"id":"b1","name":"foo","enabled_version":{"id":"v2","bundle_id":"b1","version":"1.10.0","commands":[{"name":"bar"}],"permissions":[{"name":"read","bundle":"foo"}]},"versions":[{"id":"v1","bundle_id":"b1","version":"1.9.0"},{"id":"v2","bundle_id":"b1","version":"1.10.0"}],"relay_groups":[{"id":"rg1","name":"prod"}]}""";
    readonly string _work = Path.Combine(Path.GetTempPath(), $"cogctl-install-{Guid.NewGuid():N}");

    public BundleRemoteCommandsTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, true);

    [Fact]
    public async Task Bundle_lists_bundles_sorted_with_their_enabled_version_and_filters()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles", 200, $$"""{"bundles":[{{EnabledBundle.Replace("\"foo\"", "\"zeta\"", StringComparison.Ordinal)}},{{Bundle}}]}""");
        using var cli = TestCli.ForServer(server);

        var all = await cli.RunAsync("bundle");
        var enabled = await cli.RunAsync("bundle", "-e");
        var verbose = await cli.RunAsync("bundle", "-d", "-v");

        Assert.Equal("NAME  ENABLED VERSION\nfoo   (disabled)\nzeta  1.10.0\n", all.Output);
        Assert.Equal("NAME  ENABLED VERSION\nzeta  1.10.0\n", enabled.Output);
        Assert.Equal("NAME  ENABLED VERSION  INSTALLED VERSIONS          BUNDLE ID\nfoo   (disabled)       1.9.0, 1.10.0-rc.1, 1.10.0  b1\n", verbose.Output);
    }

    [Fact]
    public async Task Install_uploads_the_manifest_as_json_with_templates_then_assigns_and_enables()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/relay_groups/prod", 200, """{"relay_group":{"id":"rg1","name":"prod"}}""")
            .Answer("POST", "/v1/bundles", 201, $$"""{"bundle_version":{{Version}}}""")
            .Answer("POST", "/v1/relay_groups/rg1/bundles", 200, """{"relay_group":{"id":"rg1","name":"prod","bundles":[{"id":"b1","name":"foo"}]}}""")
            .Answer("POST", "/v1/bundles/b1/versions/v2/status", 200, """{"name":"foo","enabled":true,"enabled_version":"1.10.0","relays":[]}""");
        var manifest = Path.Combine(_work, "config.yaml");
        File.WriteAllText(manifest, "cog_bundle_version: 5\nname: foo\nversion: \"1.10.0\"\ncommands:\n  bar:\n    executable: /bin/true\n    rules: [allow]\n");
        var templates = Directory.CreateDirectory(Path.Combine(_work, "templates")).FullName;
        File.WriteAllText(Path.Combine(templates, "table.greenbar"), "~each var=$results~\n~end~\n");
        File.WriteAllText(Path.Combine(templates, "notes.txt"), "ignored");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "install", manifest, "--enable", "--force", "-r", "prod", "--templates", templates);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Installed foo version 1.10.0\nAssigned foo to relay group prod\nEnabled foo version 1.10.0\n", result.Output);
        Assert.Equal(
            ["GET /v1/relay_groups/prod", "POST /v1/bundles", "POST /v1/relay_groups/rg1/bundles", "POST /v1/bundles/b1/versions/v2/status"],
            server.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
        Assert.Equal(
            """{"bundle":{"config":{"cog_bundle_version":5,"name":"foo","version":"1.10.0","commands":{"bar":{"executable":"/bin/true","rules":["allow"]}},"templates":{"table":{"body":"~each var=$results~\n~end~\n"}}},"force":true}}""",
            server.Requests[1].Body);
        Assert.Equal("""{"bundles":{"add":["b1"]}}""", server.Requests[2].Body);
        Assert.Equal("""{"status":"enabled"}""", server.Requests[3].Body);
    }

    [Fact]
    public async Task Install_reads_the_manifest_from_standard_input_and_prints_the_version_with_json()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/bundles", 201, $$"""{"bundle_version":{{Version}}}""");
        using var cli = TestCli.ForServer(server);
        cli.Stdin = """{"cog_bundle_version":5,"name":"foo","version":"1.10.0","commands":{}}""";

        var result = await cli.RunAsync("bundle", "install", "-", "--json");

        Assert.Equal((0, Version + "\n"), (result.ExitCode, result.Output));
        Assert.Equal("""{"bundle":{"config":{"cog_bundle_version":5,"name":"foo","version":"1.10.0","commands":{}},"force":false}}""", Assert.Single(server.Requests).Body);
    }

    [Fact]
    public async Task Install_uploads_a_package_as_multipart()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/bundles", 201, $$"""{"bundle_version":{{Version}}}""");
        var package = Path.Combine(_work, "foo.cogbundle");
        var packaged = CogCtlRunner.Run("bundle", "package", "--output", package, CogCtlRunner.Fixture("foo"));
        Assert.Equal(0, packaged.ExitCode);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "install", package, "--force");

        Assert.Equal((0, "Installed foo version 1.10.0\n"), (result.ExitCode, result.Output));
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        Assert.Contains("name=\"bundle[package]\"; filename=foo.cogbundle", request.Body, StringComparison.Ordinal);
        Assert.Contains("name=\"bundle[force]\"", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_of_a_folder_uploads_the_package_bundle_package_would_build()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("POST", "/v1/bundles", 201, $$"""{"bundle_version":{{Version}}}""");
        var packaged = CogCtlRunner.Run("bundle", "package", "--output", Path.Combine(_work, "foo.cogbundle"), CogCtlRunner.Fixture("foo"));
        var digest = packaged.Output.Split('\n')[1].Trim();
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "install", CogCtlRunner.Fixture("foo"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Packaged foo version 1.0.0 from {CogCtlRunner.Fixture("foo")} (1 file, {digest})\nInstalled foo version 1.10.0\n", result.Output, StringComparison.Ordinal);
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("multipart/form-data", request.ContentType, StringComparison.Ordinal);
        Assert.Contains("name=\"bundle[package]\"; filename=foo-1.0.0.cogbundle", request.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_of_a_folder_that_would_not_package_sends_nothing()
    {
        await using var server = await FakeCogServer.StartAsync();
        var folder = Directory.CreateDirectory(Path.Combine(_work, "broken")).FullName;
        File.WriteAllText(Path.Combine(folder, "config.yaml"), """
            cog_bundle_version: 6
            name: broken
            version: "0.1.0"
            commands:
              say:
                script: scripts/say.csx
                rules: [allow]
            """);
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "install", folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("scripts/say.csx", result.Error, StringComparison.Ordinal);
        Assert.Empty(server.AllRequests);
    }

    [Theory]
    [InlineData("cfn", "installing by bundle name from the Warehouse registry is not supported; give a bundle folder, a manifest file (config.yaml, config.json, '-' for standard input) or a package made by 'cogctl bundle package'")]
    [InlineData("missing/config.yaml", "'missing/config.yaml' does not exist or is not a readable file")]
    public async Task Install_refuses_registry_names_and_missing_files(string source, string message)
    {
        await using var server = await FakeCogServer.StartAsync();
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "install", source);

        Assert.Equal((2, $"Error: {message}\n"), (result.ExitCode, result.Error));
        Assert.Empty(server.AllRequests);
    }

    [Fact]
    public async Task Install_of_unreadable_yaml_shows_the_positioned_errors_and_sends_nothing()
    {
        await using var server = await FakeCogServer.StartAsync();
        var manifest = Path.Combine(_work, "config.yaml");
        File.WriteAllText(manifest, "name: [unclosed\n");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "install", manifest);

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith($"Error: '{manifest}' is not a YAML or JSON map\n", result.Error, StringComparison.Ordinal);
        Assert.Contains("config.yaml:", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.AllRequests, r => r.PathAndQuery == "/v1/bundles");
    }

    [Fact]
    public async Task Enable_without_a_version_enables_the_highest_semantic_version()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, $$"""{"bundle":{{Bundle}}}""")
            .Answer("POST", "/v1/bundles/b1/versions/v2/status", 200, """{"name":"foo","enabled":true,"enabled_version":"1.10.0","relays":[]}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "enable", "foo");
        var missing = await cli.RunAsync("bundle", "enable", "foo", "2.0.0");

        Assert.Equal((0, "Enabled foo 1.10.0\n"), (result.ExitCode, result.Output));
        Assert.Equal((3, "Error: No version 2.0.0 found for foo\n"), (missing.ExitCode, missing.Error));
    }

    [Fact]
    public async Task Disable_disables_the_enabled_version_or_says_it_already_is()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, $$"""{"bundle":{{EnabledBundle}}}""")
            .Answer("GET", "/v1/bundles/bar", 200, $$"""{"bundle":{{Bundle.Replace("\"foo\"", "\"bar\"", StringComparison.Ordinal)}}}""")
            .Answer("POST", "/v1/bundles/b1/versions/v2/status", 200, """{"name":"foo","enabled":false,"enabled_version":null,"relays":[]}""");
        using var cli = TestCli.ForServer(server);

        var disabled = await cli.RunAsync("bundle", "disable", "foo");
        var already = await cli.RunAsync("bundle", "disable", "bar");

        Assert.Equal("Disabled foo\n", disabled.Output);
        Assert.Equal("""{"status":"disabled"}""", server.Requests.Single(r => r.Method == "POST").Body);
        Assert.Equal("bar was already disabled\n", already.Output);
    }

    [Fact]
    public async Task Info_shows_the_bundle_or_one_version()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, $$"""{"bundle":{{EnabledBundle}}}""")
            .Answer("GET", "/v1/bundles/b1/versions/v2", 200, $$"""{"bundle_version":{{Version}}}""");
        using var cli = TestCli.ForServer(server);

        var bundle = await cli.RunAsync("bundle", "info", "foo");
        var version = await cli.RunAsync("bundle", "info", "foo", "1.10.0");

        Assert.Equal(
            "Bundle ID:        b1\nVersion ID:       v2\nName:             foo\nVersions:         1.9.0, 1.10.0\nStatus:           Enabled\n" +
            "Enabled Version:  1.10.0\nCommands:         bar\nPermissions:      foo:read\nRelay Groups:     prod\n", bundle.Output);
        Assert.Equal(
            "Bundle ID:    b1\nVersion Id:   v2\nName:         foo\nStatus:       Disabled\nVersion:      1.10.0\nCommands:     bar, baz\nPermissions:  foo:read\n", version.Output);
    }

    [Fact]
    public async Task Info_of_a_disabled_bundle_lists_the_commands_of_its_newest_version()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, $$"""{"bundle":{{Bundle}}}""")
            .Answer("GET", "/v1/bundles/b1/versions/v2", 200, $$"""{"bundle_version":{{Version}}}""");
        using var cli = TestCli.ForServer(server);

        var info = await cli.RunAsync("bundle", "info", "foo");

        Assert.Equal(
            "Bundle ID:       b1\nName:            foo\nVersions:        1.9.0, 1.10.0, 1.10.0-rc.1\nStatus:          Disabled\n" +
            "Newest Version:  1.10.0\nCommands:        bar, baz\nPermissions:     foo:read\n", info.Output);
    }

    [Fact]
    public async Task Versions_lists_each_version_with_its_status()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, $$"""{"bundle":{{EnabledBundle}}}""");
        using var cli = TestCli.ForServer(server);

        var result = await cli.RunAsync("bundle", "versions", "foo");

        Assert.Equal("BUNDLE  VERSION  STATUS\nfoo     1.9.0    Disabled\nfoo     1.10.0   Enabled\n", result.Output);
    }

    [Fact]
    public async Task Uninstall_clean_removes_every_disabled_version_and_refuses_the_enabled_one()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo", 200, $$"""{"bundle":{{EnabledBundle}}}""").Answer("DELETE", "/v1/bundles/b1/versions/v1", 204);
        using var cli = TestCli.ForServer(server);

        var clean = await cli.RunAsync("bundle", "uninstall", "foo", "--clean");
        var enabled = await cli.RunAsync("bundle", "uninstall", "foo", "1.10.0");
        var nothing = await cli.RunAsync("bundle", "uninstall", "foo");

        Assert.Equal((0, "Uninstalled foo 1.9.0\n"), (clean.ExitCode, clean.Output));
        Assert.Single(server.Requests, r => r.Method == "DELETE");
        Assert.Equal((2, "Error: Cannot uninstall enabled version. Please disable the bundle first\n"), (enabled.ExitCode, enabled.Error));
        Assert.Equal((2, "Error: Can't uninstall without specifying a version, or --incompatible, --all, --clean\n"), (nothing.ExitCode, nothing.Error));
    }

    [Fact]
    public async Task Config_layers_info_create_and_delete()
    {
        await using var server = await FakeCogServer.StartAsync();
        server.Answer("GET", "/v1/bundles/foo/dynamic_config", 200,
                """{"dynamic_configurations":[{"bundle_name":"foo","layer":"room","name":"ops","config":{}},{"bundle_name":"foo","layer":"base","name":"config","config":{"region":"eu-west-1","retries":3,"tags":["a","b"],"nested":{"on":true}}}]}""")
            .Answer("POST", "/v1/bundles/foo/dynamic_config/user/alice", 201, """{"dynamic_configuration":{"bundle_name":"foo","layer":"user","name":"alice","config":{"x":1}}}""")
            .Answer("DELETE", "/v1/bundles/foo/dynamic_config/room/ops", 204);
        var file = Path.Combine(_work, "layer.yaml");
        File.WriteAllText(file, "x: 1\n");
        using var cli = TestCli.ForServer(server);

        var layers = await cli.RunAsync("bundle", "config", "layers", "foo");
        var info = await cli.RunAsync("bundle", "config", "info", "foo");
        var create = await cli.RunAsync("bundle", "config", "create", "foo", file, "--layer", "user/alice");
        var delete = await cli.RunAsync("bundle", "config", "delete", "foo", "room/ops");
        var badLayer = await cli.RunAsync("bundle", "config", "delete", "foo", "team/x");

        Assert.Equal("base\nroom/ops\n", layers.Output);
        Assert.Equal("\"region\": \"eu-west-1\"\n\"retries\": 3\n\"tags\":\n  - \"a\"\n  - \"b\"\n\"nested\":\n  \"on\": true\n", info.Output);
        Assert.Equal("Created user/alice layer for 'foo' bundle\n", create.Output);
        Assert.Equal("""{"config":{"x":1}}""", server.Requests.Single(r => r.Method == "POST").Body);
        Assert.Equal("Deleted 'room/ops' layer for bundle 'foo'\n", delete.Output);
        Assert.Equal((2, "Error: Must specify layer as 'base', 'room/$NAME', or 'user/$NAME'\n"), (badLayer.ExitCode, badLayer.Error));
    }

    [Fact]
    public async Task The_offline_subcommands_still_work_next_to_the_remote_ones()
    {
        var result = CogCtlRunner.Run("bundle", "validate", "--json", CogCtlRunner.Fixture("foo"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("""{"ok":true,"bundle":"foo""", result.Output, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
