using Cog.Language.Options;

namespace Cog.Manifest.Tests;

public class ManifestLoaderTests
{
    const string Minimal = """
        cog_bundle_version: 5
        name: ping
        description: Pings
        version: "0.1"
        commands:
          ping:
            executable: /bin/ping
            rules:
              - allow
        """;

    static BundleManifest Load(string text, string fileName = "config.yaml")
    {
        var result = ManifestLoader.Parse(text, fileName);
        Assert.Empty(result.Errors);
        Assert.True(result.Succeeded);
        return result.Manifest;
    }

    static string[] Errors(string text) =>
        ManifestLoader.Parse(text, "config.yaml").Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message} {e.Pointer}").ToArray();

    [Fact]
    public void A_rule_nested_deeper_than_the_rule_limit_is_refused_at_the_rule()
    {
        var deep = new string('(', 20_000) + "arg[0] == 1" + new string(')', 20_000);
        var text = Minimal.Replace("- allow", $"- when command is ping:ping with {deep} allow", StringComparison.Ordinal);

        Assert.Equal([$"9:9: (Line: 1, Col: {"when command is ping:ping with ".Length + Cog.Language.Rules.RuleParser.MaxDepth + 1}) {Cog.Language.Rules.RuleErrors.TooDeep} #/commands/ping/rules/0"],
            Errors(text));
    }

    [Fact]
    public void A_rule_regex_that_needs_backtracking_is_refused_at_the_rule()
    {
        var text = Minimal.Replace("- allow", "- when command is ping:ping with arg[0] == /(?=x)y/ allow", StringComparison.Ordinal);

        Assert.StartsWith("9:9: (Line: 1, Col: 42) The regular expression /(?=x)y/ uses a lookaround, which rules do not support", Assert.Single(Errors(text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Cog_1_0_manifest_maps_every_field()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v5-sysinfo.yaml")).Manifest!;

        Assert.Equal(5, manifest.ManifestVersion);
        Assert.Equal("sysinfo", manifest.Name);
        Assert.Equal("Reports on the relay host", manifest.Description);
        Assert.Equal("0.3.1", manifest.Version);
        Assert.StartsWith("Commands that report", manifest.LongDescription, StringComparison.Ordinal);
        Assert.Equal("Ops Team <ops@example.com>", manifest.Author);
        Assert.Equal("https://example.com/cog/sysinfo", manifest.Homepage);
        Assert.Equal(["sysinfo:read", "sysinfo:admin"], manifest.Permissions);
        Assert.Equal(["disk_usage", "uptime"], manifest.Templates.Keys.Order(StringComparer.Ordinal));
        Assert.StartsWith("~each var=$results~", manifest.Templates["uptime"], StringComparison.Ordinal);
        Assert.Equal("Needs a POSIX shell with df, ps and uptime.", manifest.Config!.Notes);
        Assert.Equal([new EnvironmentVariableDoc("SYSINFO_DF_FLAGS", "Extra flags for df"), new EnvironmentVariableDoc("SYSINFO_LOCALE", null)],
            manifest.Config.Environment);
        Assert.Null(manifest.Docker);
        Assert.Null(manifest.Assembly);
        Assert.Equal(["uptime", "disk-usage", "top"], manifest.Commands.Select(c => c.Name));
    }

    [Fact]
    public void Cog_1_0_command_maps_every_field()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v5-sysinfo.yaml")).Manifest!;

        var uptime = manifest.FindCommand("uptime")!;
        var disk = manifest.FindCommand("disk-usage")!;
        var top = manifest.FindCommand("top")!;

        Assert.Equal(CommandKind.Executable, uptime.Kind);
        Assert.Equal("/usr/local/bin/sysinfo-uptime", uptime.Target);
        Assert.Equal("How long the host has been up", uptime.Description);
        Assert.Equal("sysinfo:uptime\n", uptime.Examples);
        Assert.Equal("", uptime.Arguments);
        Assert.Equal("One object with uptime and load", uptime.Output!.Description);
        Assert.Null(uptime.Timeout);
        Assert.Equal("[mount ...]", disk.Arguments);
        Assert.Equal("Reads /proc; Linux only.", top.Notes);
        Assert.Equal("Sizes in K, M and G", disk.OptionDescriptions["human"]);
        Assert.Null(manifest.FindCommand("nothing"));
    }

    [Fact]
    public void Rules_without_the_prefix_get_it_and_rules_with_it_are_kept()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v5-sysinfo.yaml")).Manifest!;

        Assert.Equal(["when command is sysinfo:uptime allow"], manifest.FindCommand("uptime")!.Rules);
        Assert.Equal(
            ["when command is sysinfo:disk-usage must have sysinfo:read",
             "when command is sysinfo:disk-usage with option[threshold] < 10 must have sysinfo:admin"],
            manifest.FindCommand("disk-usage")!.Rules);
    }

    [Fact]
    public void Options_map_to_option_definitions_with_required_false_by_default_and_dashes_stripped()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v5-sysinfo.yaml")).Manifest!;

        Assert.Equal(
            [new OptionDefinition("human", OptionType.Bool, false, "h"), new OptionDefinition("threshold", OptionType.Int)],
            manifest.FindCommand("disk-usage")!.Options);
        Assert.Equal(
            [new OptionDefinition("count", OptionType.Int, false, "n"), new OptionDefinition("user", OptionType.String),
             new OptionDefinition("verbose", OptionType.Incr, false, "v"), new OptionDefinition("fields", OptionType.List),
             new OptionDefinition("ratio", OptionType.Float)],
            manifest.FindCommand("top")!.Options);
    }

    [Fact]
    public void Environment_variables_keep_text_and_render_booleans_and_numbers_as_text()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v5-sysinfo.yaml")).Manifest!;

        var variables = manifest.FindCommand("disk-usage")!.EnvironmentVariables;

        Assert.Equal("C", variables["LC_ALL"]);
        Assert.Equal("true", variables["SYSINFO_HUMAN"]);
        Assert.Equal("1024", variables["SYSINFO_BLOCK_SIZE"]);
    }

    [Fact]
    public void Version_4_subcommands_are_kept_as_documentation()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v4-subcommands.yaml")).Manifest!;

        var secret = manifest.FindCommand("secret")!;

        Assert.Equal(4, manifest.ManifestVersion);
        Assert.Equal("Read a secret", secret.Subcommands["get"]);
        Assert.Equal("Write a secret", secret.Subcommands["put"]);
        Assert.Equal([new OptionDefinition("path", OptionType.String, true)], secret.Options);
    }

    [Fact]
    public void Json_manifest_with_docker_loads()
    {
        var manifest = ManifestLoader.LoadFile(RepositoryPaths.Fixtures("valid", "v5-docker.json")).Manifest!;

        Assert.Equal(("example/weather", "2.1.0"), (manifest.Docker!.Image, manifest.Docker.Tag));
        Assert.Equal(["/etc/ssl/certs:/etc/ssl/certs:ro"], manifest.Docker.Binds);
        Assert.Equal(["when command is weather:forecast must have weather:query"], manifest.FindCommand("forecast")!.Rules);
    }

    [Fact]
    public void Version_6_commands_have_their_kind_target_and_timeout()
    {
        var manifest = ManifestLoader.LoadDirectory(RepositoryPaths.Fixtures("valid", "v6-plugin")).Manifest!;

        Assert.Equal(6, manifest.ManifestVersion);
        Assert.Equal("plugin/Acme.Deploy.dll", manifest.Assembly);
        var release = manifest.FindCommand("release")!;
        Assert.Equal((CommandKind.Type, "Acme.Deploy.Commands.Release", TimeSpan.FromMinutes(10)), (release.Kind, release.Target, release.Timeout));
        var rollback = manifest.FindCommand("rollback")!;
        Assert.Equal((CommandKind.Type, "Acme.Deploy.Commands.Rollback+Now", TimeSpan.FromSeconds(300)), (rollback.Kind, rollback.Target, rollback.Timeout));
        var status = manifest.FindCommand("status")!;
        Assert.Equal((CommandKind.Executable, "/usr/bin/deploy-status", (TimeSpan?)null), (status.Kind, status.Target, status.Timeout));
    }

    [Fact]
    public void The_operable_bundle_has_only_built_in_commands_named_after_themselves()
    {
        var manifest = ManifestLoader.LoadDirectory(Path.Combine(RepositoryPaths.Root, "bundles", "operable")).Manifest!;

        Assert.Equal("operable", manifest.Name);
        Assert.All(manifest.Commands, c => Assert.Equal((CommandKind.BuiltIn, c.Name), (c.Kind, c.Target)));
        Assert.Equal(["when command is operable:echo allow"], manifest.FindCommand("echo")!.Rules);
    }

    [Fact]
    public void Version_6_script_commands_keep_their_relative_path()
    {
        var manifest = ManifestLoader.LoadDirectory(RepositoryPaths.Fixtures("valid", "v6-script")).Manifest!;

        var hello = manifest.FindCommand("hello")!;

        Assert.Equal((CommandKind.Script, "scripts/hello.csx", TimeSpan.FromSeconds(5)), (hello.Kind, hello.Target, hello.Timeout));
        Assert.Equal("./scripts/shout.csx", manifest.FindCommand("shout")!.Target);
    }

    [Theory]
    [InlineData("1h30m", 5400)]
    [InlineData("45", 45)]
    [InlineData("\"2m\"", 120)]
    public void Version_6_timeout_is_read_as_a_duration(string timeout, int seconds)
    {
        var manifest = Load($"""
            cog_bundle_version: 6
            name: t
            description: T
            version: "1.0"
            commands:
              run:
                executable: /bin/run
                timeout: {timeout}
                rules: [allow]
            """);

        Assert.Equal(TimeSpan.FromSeconds(seconds), manifest.Commands[0].Timeout);
    }

    [Fact]
    public void Version_6_paths_are_not_looked_for_without_a_bundle_folder()
    {
        var manifest = Load("""
            cog_bundle_version: 6
            name: t
            description: T
            version: "1.0"
            assembly: bin/T.dll
            commands:
              run:
                script: run.csx
                rules: [allow]
              go:
                type: T.Go
                rules: [allow]
            """);

        Assert.Equal("bin/T.dll", manifest.Assembly);
    }

    [Fact]
    public void Execution_is_accepted_and_ignored_in_version_5()
    {
        var manifest = Load(Minimal.Replace("executable: /bin/ping", "executable: /bin/ping\n    execution: multiple", StringComparison.Ordinal));

        Assert.Equal("/bin/ping", manifest.Commands[0].Target);
    }

    [Fact]
    public void Unknown_top_level_and_command_keys_are_tolerated_in_version_5()
    {
        var manifest = Load(Minimal + "\n    documentation: old field\nmaintainer: someone\n");

        Assert.Equal("ping", manifest.Name);
    }

    [Fact]
    public void Quoted_version_one_point_oh_is_kept_as_written()
    {
        Assert.Equal("0.1", Load(Minimal).Version);
    }

    [Fact]
    public void Explicit_string_tag_makes_a_plain_number_text()
    {
        Assert.Equal("0.1", Load(Minimal.Replace("version: \"0.1\"", "version: !!str 0.1", StringComparison.Ordinal)).Version);
    }

    [Fact]
    public void Anchors_and_aliases_are_expanded()
    {
        var manifest = Load("""
            cog_bundle_version: 5
            name: ping
            description: Pings
            version: "0.1"
            commands:
              ping:
                executable: /bin/ping
                rules: &rules
                  - allow
              pong:
                executable: /bin/pong
                rules: *rules
            """);

        Assert.Equal(["when command is ping:pong allow"], manifest.FindCommand("pong")!.Rules);
    }

    [Fact]
    public void Empty_commands_map_is_valid()
    {
        var manifest = Load("cog_bundle_version: 5\nname: p\ndescription: P\nversion: \"1.0\"\ncommands: {}\n");

        Assert.Empty(manifest.Commands);
    }

    [Fact]
    public void Unsupported_version_is_the_only_error_reported()
    {
        Assert.Equal(
            ["1:21: cog_bundle_version 7 is not supported. Please update your bundle config to version 6. #/cog_bundle_version"],
            Errors("cog_bundle_version: 7\nname: 5\n"));
    }

    [Theory]
    [InlineData("ping pong")]
    [InlineData("ping\u0000")]
    [InlineData("p/../ing")]
    [InlineData("pïng")]
    [InlineData("ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp")]
    public void A_bundle_name_outside_cog_1_0s_pattern_or_longer_than_128_characters_is_refused(string name)
    {
        var text = Minimal.Replace("name: ping", $"name: \"{name.Replace("\u0000", "\\0", StringComparison.Ordinal)}\"", StringComparison.Ordinal);

        // The rules built from the name may fail too; the name's own error comes first.
        Assert.Equal("2:7: The bundle name may contain only letters, digits, '-', '_' and '.', and be at most 128 characters long. #/name", Errors(text)[0]);
    }

    [Theory]
    [InlineData("ping")]
    [InlineData("Ping_2-x")]
    [InlineData("pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp")]
    public void A_bundle_name_in_cog_1_0s_pattern_is_accepted(string name)
    {
        Assert.Equal(name, Load(Minimal.Replace("name: ping", "name: " + name, StringComparison.Ordinal)).Name);
    }

    [Fact]
    public void Integral_float_version_is_accepted()
    {
        Assert.Equal(5, Load(Minimal.Replace("cog_bundle_version: 5", "cog_bundle_version: 5.0", StringComparison.Ordinal)).ManifestVersion);
    }

    [Fact]
    public void Empty_version_value_counts_as_not_specified()
    {
        Assert.Equal(
            ["1:1: cog_bundle_version not specified. You must specify a valid bundle version. The current version is 6. #/cog_bundle_version"],
            Errors("cog_bundle_version:\nname: x\n"));
    }

    [Fact]
    public void Empty_map_is_empty()
    {
        Assert.Equal(["1:1: The manifest is empty. #"], Errors("{}"));
    }

    [Theory]
    [InlineData("just text", "a string")]
    [InlineData("42", "a number")]
    [InlineData("true", "a boolean")]
    public void Scalar_document_is_not_a_map(string text, string kind)
    {
        Assert.Equal([$"1:1: The manifest must be a map of fields (key: value), not {kind}. #"], Errors(text));
    }

    [Fact]
    public void Errors_carry_the_json_pointer_with_escaped_segments()
    {
        var result = ManifestLoader.Parse(Minimal.Replace("  ping:\n", "  a/b~c:\n", StringComparison.Ordinal).Replace("/bin/ping", "1", StringComparison.Ordinal), "m.yaml");

        Assert.Contains(result.Errors, e => e.Pointer == "#/commands/a~1b~0c/executable");
    }

    [Fact]
    public void A_key_given_twice_in_JSON_text_is_decided_as_in_YAML_last_value_with_a_warning_for_version_5()
    {
        const string json = """
            {"cog_bundle_version": 5, "name": "first", "description": "d", "version": "0.1", "name": "second",
             "commands": {"ping": {"executable": "/bin/ping", "rules": ["allow"]}}}
            """;

        var result = ManifestLoader.Parse(json, "config.json");

        Assert.True(result.Succeeded);
        Assert.Equal("second", result.Manifest.Name);
        Assert.Equal(["config.json:1:82: Duplicate key 'name' on lines 1 and 1: the value on line 1 is used, as Cog 1.0 did; remove the others."],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void A_key_given_twice_is_an_error_in_version_6_and_decided_by_the_last_version_key()
    {
        var v6 = Minimal.Replace("cog_bundle_version: 5", "cog_bundle_version: 5\ncog_bundle_version: 6", StringComparison.Ordinal);

        var result = ManifestLoader.Parse(v6, "config.yaml");

        Assert.False(result.Succeeded);
        Assert.Contains("2:1: Duplicate key 'cog_bundle_version' on lines 1 and 2: give each key once. #/cog_bundle_version",
            result.Errors.Select(e => $"{e.Line}:{e.Column}: {e.Message} {e.Pointer}"));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void A_template_in_the_other_dialect_is_a_warning_naming_its_tag_and_line()
    {
        var v6 = """
            cog_bundle_version: 6
            name: deploy
            description: d
            version: "1.0.0"
            templates:
              release:
                body: |
                  Released:
                  ~each var=$results~ ~$item.name~ ~end~
            commands:
              release:
                executable: /bin/true
                rules: [allow]
            """;
        var v5 = Minimal + "\ntemplates:\n  ping:\n    body: \"{% for r in results %}{{ r.host }}{% endfor %}\"\n";
        var greenbarInV5 = Minimal + "\ntemplates:\n  ping:\n    body: \"~each var=$results~~$item.host~~end~\"\n";

        Assert.Equal(["7:11: Template 'release' looks like Greenbar ('~each' on its line 2), which a version 6 bundle shows as written: its templates are Liquid."],
            ManifestLoader.Parse(v6, "config.yaml").Warnings.Select(w => $"{w.Line}:{w.Column}: {w.Message}"));
        Assert.Equal(["Template 'ping' looks like Liquid ('{% for' on its line 1), which a version 5 bundle shows as written: its templates are Greenbar."],
            ManifestLoader.Parse(v5, "config.yaml").Warnings.Select(w => w.Message));
        Assert.Empty(ManifestLoader.Parse(greenbarInV5, "config.yaml").Warnings);
    }

    [Fact]
    public void A_manifest_without_duplicate_keys_has_no_warnings()
    {
        Assert.Empty(ManifestLoader.Parse(Minimal, "config.yaml").Warnings);
    }

    [Fact]
    public void Error_renders_as_file_line_column_message()
    {
        var error = new ManifestError("Duplicate key 'name'.", "bundles/x/config.yaml", 5, 1, "#/name");

        Assert.Equal("bundles/x/config.yaml:5:1: Duplicate key 'name'.", error.ToString());
        Assert.Equal("x: The manifest is empty.", new ManifestError("The manifest is empty.", "x", 0, 0, "").ToString());
    }

    [Fact]
    public void Missing_file_is_reported_without_a_position()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "config.yaml");

        var result = ManifestLoader.LoadFile(path);

        Assert.Equal([new ManifestError($"The manifest file '{path}' does not exist.", path, 0, 0, "")], result.Errors);
    }

    [Fact]
    public void File_with_another_extension_is_refused()
    {
        var result = ManifestLoader.LoadFile("bundle/config.toml");

        Assert.Equal(["The manifest file 'bundle/config.toml' must end with .yaml, .yml or .json."], result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Missing_folder_is_reported()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        Assert.Equal([$"The bundle folder '{path}' does not exist."], ManifestLoader.LoadDirectory(path).Errors.Select(e => e.Message));
    }

    [Fact]
    public void Folder_without_a_manifest_is_reported()
    {
        var path = Directory.CreateTempSubdirectory("cog-manifest-").FullName;
        try
        {
            Assert.Equal([$"The bundle folder '{path}' has no config.yaml, config.yml or config.json."],
                ManifestLoader.LoadDirectory(path).Errors.Select(e => e.Message));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void Folder_with_two_manifests_is_reported()
    {
        var path = Directory.CreateTempSubdirectory("cog-manifest-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(path, "config.yaml"), Minimal);
            File.WriteAllText(Path.Combine(path, "config.json"), "{}");

            Assert.Equal([$"The bundle folder '{path}' has more than one manifest (config.yaml, config.json); keep one."],
                ManifestLoader.LoadDirectory(path).Errors.Select(e => e.Message));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }

    [Fact]
    public void Folder_with_config_yml_is_loaded_and_errors_name_that_file()
    {
        var path = Directory.CreateTempSubdirectory("cog-manifest-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(path, "config.yml"), Minimal.Replace("\"0.1\"", "0.1", StringComparison.Ordinal));

            var result = ManifestLoader.LoadDirectory(path);

            Assert.Equal([Path.Combine(path, "config.yml")], result.Errors.Select(e => e.File));
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
