using System.Net;
using System.Text;
using System.Text.Json;

namespace Cog.Integration.Tests.Server;

/// <summary>
/// The whole product end to end (issue 4, scope 11): the server with its store, embedded broker and REST API, the dev
/// relay process serving the example bundles, and cogctl, as an operator uses them. One server per test class; each
/// test makes its own users, groups and names.
/// </summary>
/// <remarks>Run on SQLite by <see cref="SqliteServerTests"/> and on PostgreSQL by <see cref="PostgresServerTests"/>.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the examples' executables are shell scripts
public abstract class ServerSuite(ServerFixture fixture)
{
    const string Denied = "Sorry, you aren't allowed to execute '{0}'.\nYou will need at least one of the following permissions to run this command: '{1}'.";
    const string NoRule = "No rules match the supplied invocation of '{0}'. Check your args and options, then confirm that the proper rules are in place.";

    ServerEnvironment Env => fixture.Environment;

    static string Json(JsonElement element) => JsonSerializer.Serialize(element);

    /// <summary>Asserts a pipeline's status and output items (compact JSON), showing the whole run when they differ.</summary>
    static void AssertRun(string status, string output, JsonElement run) =>
        Assert.True(run.GetProperty("status").GetString() == status && Json(run.GetProperty("output")) == output,
            $"expected {status} {output}, got {run}");

    static string Format(string format, params object[] args) => string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);

    async Task<ServerEnvironment.CliResult> OkAsync(params string[] args)
    {
        var result = await Env.CogctlAsync(args);
        Assert.True(result.Code == 0, $"cogctl {string.Join(' ', args)}: {result}");
        return result;
    }

    /// <summary>A user with a password, and an API token for them.</summary>
    async Task<(string Name, string Token)> UserAsync()
    {
        var name = Env.NewName("user");
        var (status, body) = await Env.SendAsync(HttpMethod.Post, "/v1/users",
            new { user = new { username = name, email_address = $"{name}@example.com", password = "pa55-word" } });
        Assert.True(status == HttpStatusCode.Created, body.ToString());
        return (name, await Env.TokenAsync(name, "pa55-word"));
    }

    /// <summary>Gives <paramref name="user"/> <paramref name="permission"/> through a new role and group.</summary>
    async Task GrantAsync(string user, string permission)
    {
        var name = Env.NewName("grant");
        await OkAsync("role", "create", name);
        await OkAsync("role", "grant", name, permission);
        await OkAsync("group", "create", name);
        await OkAsync("group", "grant", name, name);
        await OkAsync("group", "add", name, user);
    }

    string Admin => Env.Server.CreatedAdmin!.Username;

    // ---------------------------------------------------------------- 1. the first pipeline

    [Fact]
    public async Task The_first_pipeline_runs_through_cogctl_with_a_profile_of_the_created_administrator()
    {
        var home = Directory.CreateDirectory(Path.Combine(Env.Root, Env.NewName("home"))).FullName;

        var created = await ServerEnvironment.CogctlInAsync(home, "", "profile", "create", "local", Env.Server.ApiUrl.ToString(), Admin, Env.AdminPassword);
        var run = await ServerEnvironment.CogctlInAsync(home, "", "pipeline", "run", "echo hello | echo $body[0]");

        Assert.Equal(0, created.Code);
        Assert.Equal((0, "hello\n", ""), (run.Code, run.Output, run.Error));
    }

    // ---------------------------------------------------------------- 2. built-in and relay commands together

    [Fact]
    public async Task A_script_command_sorts_what_a_built_in_seeds_and_a_built_in_reads_its_variables()
    {
        await Env.WaitForRelayAsync();
        await GrantAsync(Admin, "echo-script:order");

        var run = await Env.RunAsync("""seed '[{"n":3},{"n":1},{"n":2}]' | echo-script:order --by=n | echo $n""");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("""[{"body":["1"]},{"body":["2"]},{"body":["3"]}]""", Json(run.GetProperty("output")));
    }

    [Fact]
    public async Task An_executable_command_feeds_a_built_in_through_a_variable()
    {
        await Env.WaitForRelayAsync();

        var run = await Env.RunAsync("hostnotes:motd | echo $body[1]");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("""[{"body":["The on-call rota is in #ops."]}]""", Json(run.GetProperty("output")));
        Assert.Equal("The on-call rota is in #ops.", run.GetProperty("rendered").GetString()!.TrimEnd('\n'));
    }

    [Fact]
    public async Task An_assembly_command_a_script_command_and_a_cog_1_shell_command_pass_items_along()
    {
        await Env.WaitForRelayAsync();

        var repeat = await Env.RunAsync("echo-assembly:repeat --upper hello relay | echo-script:say $body | echo $text");
        var tally = await Env.RunAsync("""seed '[{"n":1},{"n":2},{"n":3}]' | echo-assembly:tally | echo $count""");
        var context = await Env.RunAsync("""seed '{"host":"db-1"}' | shelldemo:context""");

        Assert.Equal("""[{"body":["HELLO RELAY"]}]""", Json(repeat.GetProperty("output")));
        Assert.Equal("""[{"body":["3"]}]""", Json(tally.GetProperty("output")));
        Assert.Equal("succeeded", context.GetProperty("status").GetString());
        Assert.Contains("db-1", Json(context.GetProperty("output")), StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- 3. aliases and redirects

    [Fact]
    public async Task An_alias_created_through_the_chat_built_in_runs_with_its_arguments_appended()
    {
        var alias = Env.NewName("greet");

        var created = await Env.RunAsync($"alias create {alias} \"echo hello\"");
        var used = await Env.RunAsync($"{alias} world | echo $body[0] again");

        Assert.Equal("succeeded", created.GetProperty("status").GetString());
        Assert.Equal($$"""[{"name":"{{alias}}","pipeline":"echo hello","visibility":"user"}]""", Json(created.GetProperty("output")));
        AssertRun("succeeded", """[{"body":["hello world again"]}]""", used);
    }

    [Fact]
    public async Task A_redirect_here_is_accepted_in_a_pipeline_run_through_the_api()
    {
        var run = await Env.RunAsync("echo redirected > here");

        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal("""[{"body":["redirected"]}]""", Json(run.GetProperty("output")));
    }

    [Fact]
    public async Task A_redirect_to_me_from_the_api_stops_the_pipeline_before_anything_runs()
    {
        // Cog 1.0: an HTTP origin has no "me"; chat is reached through chat:// (docs/chat.md).
        var run = await Env.RunAsync("echo redirected > me");

        Assert.Equal("planning_failed", run.GetProperty("status").GetString());
        Assert.StartsWith("No commands were executed because the following redirects are invalid: me", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", Json(run.GetProperty("output")));
    }

    // ---------------------------------------------------------------- 4. denial and no rule

    [Fact]
    public async Task A_user_without_the_permission_is_denied_with_the_reference_text_and_explain_and_audit_agree()
    {
        await Env.WaitForRelayAsync();
        var (alice, token) = await UserAsync();

        var run = await Env.RunAsync("hostnotes:wait 1", token);
        var explained = await Env.CogctlAsync("pipeline", "explain", "--as", alice, "hostnotes:wait 1");
        var decided = await OkAsync("audit", "list", "--kind", "invocation.decided", "--user", alice);
        var explanations = await OkAsync("audit", "list", "--kind", "pipeline.explained", "--command", "hostnotes:wait 1");

        var message = Format(Denied, "hostnotes:wait 1", "hostnotes:wait");
        Assert.Equal("planning_failed", run.GetProperty("status").GetString());
        Assert.Equal(message, run.GetProperty("message").GetString());
        Assert.Equal(1, explained.Code);
        var expected = $"""
            User:      {alice}
            Pipeline:  hostnotes:wait 1
            Decision:  denied

            STAGE  COMMAND         ALIAS  DECISION  RULE                                                     MISSING
            1      hostnotes:wait         denied    when command is hostnotes:wait must have hostnotes:wait  hostnotes:wait

            {message}

            {alice} lacks hostnotes:wait. To allow it, an administrator grants it to a role and that role to one of {alice}'s groups: cogctl role grant ROLE hostnotes:wait, then cogctl group grant GROUP ROLE (cogctl user info {alice} lists the groups).

            """;
        Assert.True(expected == explained.Output, explained.ToString());
        var row = SingleRow(decided);
        Assert.Equal(("invocation.decided", alice, "hostnotes:wait 1", "denied"), (row[2], row[3], row[4], row[5]));
        // The record of an explanation names the user it was made for as its actor (who asked is not recorded).
        var explainedRow = SingleRow(explanations);
        Assert.Equal(("pipeline.explained", "hostnotes:wait 1", "denied"), (explainedRow[2], explainedRow[4], explainedRow[5]));
    }

    [Fact]
    public async Task An_invocation_no_rule_matches_is_refused_with_the_reference_text_and_explain_agrees()
    {
        var bundle = Env.NewName("gate");
        var manifest = Path.Combine(Env.Root, bundle + ".yaml");
        File.WriteAllText(manifest, $"""
            cog_bundle_version: 5
            name: {bundle}
            description: A command with one narrow rule
            version: "1.0.0"
            permissions:
              - {bundle}:open
            commands:
              open:
                executable: /bin/true
                rules:
                  - when command is {bundle}:open with arg[0] == "now" must have {bundle}:open
            """);
        await OkAsync("bundle", "install", manifest, "--enable");

        var run = await Env.RunAsync($"{bundle}:open later");
        var explained = await Env.CogctlAsync("pipeline", "explain", $"{bundle}:open later");

        var message = Format(NoRule, $"{bundle}:open later");
        Assert.Equal("planning_failed", run.GetProperty("status").GetString());
        Assert.Equal(message, run.GetProperty("message").GetString());
        Assert.Equal(1, explained.Code);
        Assert.Contains("Decision:  no_rule\n", explained.Output, StringComparison.Ordinal);
        Assert.EndsWith($"\n{message}\n", explained.Output, StringComparison.Ordinal);
        var decided = await OkAsync("audit", "list", "--kind", "invocation.decided", "--command", $"{bundle}:open later");
        var row = SingleRow(decided);
        Assert.Equal(("invocation.decided", Admin, $"{bundle}:open later", "no_rule"), (row[2], row[3], row[4], row[5]));
    }

    static string[] SingleRow(ServerEnvironment.CliResult table)
    {
        var rows = Rows(table.Output);
        Assert.True(rows.Count == 1, $"expected one row: {table}");
        return rows[0];
    }

    /// <summary>The data rows of a cogctl table (header dropped), cells split on runs of two or more spaces.</summary>
    static List<string[]> Rows(string table) =>
        [.. table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => System.Text.RegularExpressions.Regex.Split(l.Trim(), " {2,}"))];

    // ---------------------------------------------------------------- 5. triggers

    [Fact]
    public async Task A_trigger_created_with_cogctl_runs_its_pipeline_on_the_posted_json()
    {
        var name = Env.NewName("hook");
        var created = await OkAsync("trigger", "create", name, "echo $body.x", "--enable", "--as-user", Admin);
        var (_, trigger) = await Env.SendAsync(HttpMethod.Get, $"/v1/triggers/{name}", null);
        var url = trigger.GetProperty("trigger").GetProperty("invocation_url").GetString()!;

        using var response = await Env.Http.PostAsync(url, new StringContent("""{"x":"hi"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal($"Name      {name}\nPipeline  echo $body.x\nEnabled   True\n", created.Output);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"success","pipeline_output":[{"body":["hi"]}]}""", body);
    }

    // ---------------------------------------------------------------- 6. the audit chain

    [Fact]
    public async Task Audit_verify_names_an_altered_and_a_deleted_record_and_passes_once_they_are_restored()
    {
        // Some records to work on, then the chain as it is.
        await Env.RunAsync("echo audit one");
        await Env.RunAsync("echo audit two");
        var intact = await Env.CogctlAsync("audit", "verify");
        Assert.Equal(0, intact.Code);
        Assert.Matches(@"^Audit log intact: \d+ records verified against \d+ checkpoints\.\n$", intact.Output);

        // An intruder with database access edits one record, then puts it back.
        const long target = 3;
        Assert.Equal(1, await fixture.ExecuteSqlAsync($"UPDATE audit_records SET kind = kind || '!' WHERE sequence = {target}"));
        var altered = await Env.CogctlAsync("audit", "verify");
        Assert.Equal(1, await fixture.ExecuteSqlAsync($"UPDATE audit_records SET kind = substr(kind, 1, length(kind) - 1) WHERE sequence = {target}"));
        var restored = await Env.CogctlAsync("audit", "verify");

        // ...then deletes it, and puts it back.
        await fixture.ExecuteSqlAsync($"CREATE TABLE audit_backup AS SELECT * FROM audit_records WHERE sequence = {target}");
        Assert.Equal(1, await fixture.ExecuteSqlAsync($"DELETE FROM audit_records WHERE sequence = {target}"));
        var deleted = await Env.CogctlAsync("audit", "verify");
        await fixture.ExecuteSqlAsync("INSERT INTO audit_records SELECT * FROM audit_backup");
        await fixture.ExecuteSqlAsync("DROP TABLE audit_backup");
        var reinserted = await Env.CogctlAsync("audit", "verify");

        Assert.Equal(1, altered.Code);
        Assert.StartsWith("Audit log NOT INTACT: 1 finding(s)", altered.Output, StringComparison.Ordinal);
        Assert.Contains($"\naltered              record {target}: Audit record {target} was altered: the content does not match the seal\n", altered.Output, StringComparison.Ordinal);
        Assert.Equal(0, restored.Code);
        Assert.Equal(1, deleted.Code);
        Assert.Contains($"\ndeleted              record {target}: Audit record {target} is missing: the log goes on at record {target + 1} (deleted)\n", deleted.Output, StringComparison.Ordinal);
        Assert.Equal(0, reinserted.Code);
    }

    // ---------------------------------------------------------------- 7. every cogctl group against the server

    [Fact]
    public async Task Cogctl_bootstrap_status_version_token_and_profiles_work_against_the_server()
    {
        var status = await OkAsync("bootstrap", "--status", Env.Server.ApiUrl.ToString());
        var version = await OkAsync("version");
        var token = await OkAsync("token");
        var profiles = await OkAsync("profile");
        var home = Directory.CreateDirectory(Path.Combine(Env.Root, Env.NewName("home"))).FullName;
        foreach (var name in (string[])["first", "second"])
            Assert.Equal(0, (await ServerEnvironment.CogctlInAsync(home, "", "profile", "create", name, Env.Server.ApiUrl.ToString(), Admin, Env.AdminPassword)).Code);
        var changed = await ServerEnvironment.CogctlInAsync(home, "", "profile", "default", "second");
        var listed = await ServerEnvironment.CogctlInAsync(home, "", "profile");

        Assert.Equal("Status: bootstrapped\n", status.Output);
        Assert.Matches(@"^cogctl \S+\n$", version.Output);
        var (tokenStatus, _) = await Env.SendAsync(HttpMethod.Get, "/v1/users/me", null, token.Output.Trim());
        Assert.Equal(HttpStatusCode.OK, tokenStatus);
        Assert.Equal($"Profile: e2e (default)\nUser: {Admin}\nURL: {Env.Server.ApiUrl}\n\n", profiles.Output);
        Assert.Equal(0, changed.Code);
        Assert.Equal($"Profile: first\nUser: {Admin}\nURL: {Env.Server.ApiUrl}\n\nProfile: second (default)\nUser: {Admin}\nURL: {Env.Server.ApiUrl}\n\n", listed.Output);
    }

    [Fact]
    public async Task Cogctl_manages_users_chat_handles_and_tokens_for_them()
    {
        var name = Env.NewName("carol");
        var created = await Env.CogctlWithInputAsync("s3cret-pass\n", "user", "create", name, "--first-name", "Carol", "--email", $"{name}@example.com", "--password-stdin");
        var info = await OkAsync("user", "info", name);
        var updated = await OkAsync("user", "update", name, "--last-name", "Jones");
        // The web console's people are Cog users: a web handle is the username, and the provider refuses any other.
        var refused = await Env.CogctlAsync("chat-handle", "create", name, "web", name + "-web");
        var handle = await OkAsync("chat-handle", "create", name, "web", name);
        var handles = await OkAsync("chat-handle");
        var handleDeleted = await OkAsync("chat-handle", "delete", name, "web");
        var handlesAfter = await OkAsync("chat-handle");
        var login = await Env.TokenAsync(name, "s3cret-pass");
        var deleted = await OkAsync("user", "delete", name, "--yes");
        var gone = await Env.CogctlAsync("user", "info", name);

        Assert.True(created.Code == 0, created.ToString());
        Assert.Contains($"Username    {name}\n", info.Output, StringComparison.Ordinal);
        Assert.Contains("First Name  Carol\n", info.Output, StringComparison.Ordinal);
        Assert.Contains("Last Name   Jones\n", updated.Output, StringComparison.Ordinal);
        Assert.Equal((3, $"Error: User with handle '{name}-web' not found\n"), (refused.Code, refused.Error));
        Assert.Contains($"{name}", handle.Output, StringComparison.Ordinal);
        Assert.Contains(Rows(handles.Output), r => r[0] == name && r[1] == "web" && r[2] == name);
        Assert.Equal("", handleDeleted.Output);
        Assert.DoesNotContain(Rows(handlesAfter.Output), r => r[0] == name);
        Assert.NotEmpty(login);
        Assert.Contains($"Username    {name}\n", deleted.Output, StringComparison.Ordinal);
        Assert.Equal((3, "Error: User not found\n"), (gone.Code, gone.Error));
    }

    [Fact]
    public async Task Cogctl_manages_groups_roles_and_permissions_and_the_grants_reach_pipelines()
    {
        var (dave, token) = await UserAsync();
        var group = Env.NewName("ops");
        var role = Env.NewName("deployer");
        var permission = Env.NewName("deploy");

        await OkAsync("permission", "create", $"site:{permission}");
        var permissionInfo = await OkAsync("permission", "info", $"site:{permission}");
        await OkAsync("role", "create", role);
        await OkAsync("role", "grant", role, $"site:{permission}");
        await OkAsync("group", "create", group);
        await OkAsync("group", "add", group, dave);
        var granted = await OkAsync("group", "grant", group, role);
        var roleInfo = await OkAsync("role", "info", role);
        await OkAsync("rule", "create", "operable:echo", $"site:{permission}");
        var allowed = await Env.RunAsync("echo deploy", token);
        var rules = await OkAsync("rule", "list", "operable:echo");
        var ruleId = Rows(rules.Output).Single(r => r[1].Contains(permission, StringComparison.Ordinal))[0];
        await OkAsync("rule", "delete", ruleId);
        var revoked = await OkAsync("group", "revoke", group, role, "--yes");
        var removed = await OkAsync("group", "remove", group, dave, "--yes");
        await OkAsync("group", "rename", group, group + "-renamed");
        var groupInfo = await OkAsync("group", "info", group + "-renamed");
        await OkAsync("role", "revoke", role, $"site:{permission}");
        await OkAsync("role", "rename", role, role + "-renamed");
        var roleAfter = await OkAsync("role", "info", role + "-renamed");
        await OkAsync("group", "delete", group + "-renamed");
        await OkAsync("role", "delete", role + "-renamed");
        await OkAsync("permission", "delete", $"site:{permission}");
        var permissions = await OkAsync("permission");
        var rulesAfter = await OkAsync("rule", "list", "operable:echo");

        Assert.Contains($"site:{permission}", permissionInfo.Output, StringComparison.Ordinal);
        Assert.Contains(dave, granted.Output, StringComparison.Ordinal);
        Assert.Contains(role, granted.Output, StringComparison.Ordinal);
        Assert.Contains($"site:{permission}", roleInfo.Output, StringComparison.Ordinal);
        Assert.Contains(group, roleInfo.Output, StringComparison.Ordinal);
        AssertRun("succeeded", """[{"body":["deploy"]}]""", allowed);
        Assert.DoesNotContain(role, revoked.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(dave, removed.Output, StringComparison.Ordinal);
        Assert.Contains(group + "-renamed", groupInfo.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(permission, roleAfter.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(permission, permissions.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(permission, rulesAfter.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cogctl_installs_enables_disables_and_configures_a_bundle()
    {
        var bundle = Env.NewName("notes");
        var manifest = Path.Combine(Env.Root, bundle + ".yaml");
        File.WriteAllText(manifest, $"""
            cog_bundle_version: 5
            name: {bundle}
            description: Installed from a manifest file
            version: "0.1.0"
            commands:
              show:
                executable: /bin/true
                rules:
                  - allow
            """);
        var config = Path.Combine(Env.Root, bundle + "-config.yaml");
        File.WriteAllText(config, "API_URL: https://api.example\n");

        var installed = await OkAsync("bundle", "install", manifest);
        var enabled = await OkAsync("bundle", "enable", bundle);
        var list = await OkAsync("bundle");
        var info = await OkAsync("bundle", "info", bundle);
        var versions = await OkAsync("bundle", "versions", bundle);
        var configCreated = await OkAsync("bundle", "config", "create", bundle, config);
        var configInfo = await OkAsync("bundle", "config", "info", bundle);
        var layers = await OkAsync("bundle", "config", "layers", bundle);
        var configDeleted = await OkAsync("bundle", "config", "delete", bundle);
        var disabled = await OkAsync("bundle", "disable", bundle);
        var versionsAfter = await OkAsync("bundle", "versions", bundle);

        Assert.Equal($"Installed {bundle} version 0.1.0\n", installed.Output);
        Assert.Equal($"Enabled {bundle} 0.1.0\n", enabled.Output);
        Assert.Contains(Rows(list.Output), r => r[0] == bundle && r[1] == "0.1.0");
        Assert.Contains(Rows(list.Output), r => r[0] == "operable");
        Assert.StartsWith("Bundle ID:", info.Output, StringComparison.Ordinal);
        Assert.Contains(bundle, info.Output, StringComparison.Ordinal);
        Assert.Contains("0.1.0", info.Output, StringComparison.Ordinal);
        Assert.Equal(["BUNDLE", "VERSION", "STATUS"], System.Text.RegularExpressions.Regex.Split(versions.Output.Split('\n')[0], " {2,}"));
        Assert.Equal([bundle, "0.1.0", "Enabled"], SingleRow(versions));
        Assert.Equal($"Created base layer for '{bundle}' bundle\n", configCreated.Output);
        Assert.Equal("\"API_URL\": \"https://api.example\"\n", configInfo.Output);
        Assert.Equal("base\n", layers.Output);
        Assert.Equal($"Deleted 'base' layer for bundle '{bundle}'\n", configDeleted.Output);
        Assert.Equal($"Disabled {bundle}\n", disabled.Output);
        Assert.Equal([bundle, "0.1.0", "Disabled"], SingleRow(versionsAfter));
    }

    [Fact]
    public async Task Cogctl_manages_relays_and_relay_groups()
    {
        var relay = Env.NewName("relay");
        var group = Env.NewName("site");

        var created = await OkAsync("relay", "create", relay, Guid.NewGuid().ToString(), "a-relay-token-of-enough-length", "--description", "First");
        var info = await OkAsync("relay", "info", relay);
        var updated = await OkAsync("relay", "update", relay, "--description", "Second");
        await OkAsync("relay", "enable", relay);
        var list = await OkAsync("relay");
        await OkAsync("relay", "disable", relay);
        var listDisabled = await OkAsync("relay");
        var groupCreated = await OkAsync("relay-group", "create", group);
        var added = await OkAsync("relay-group", "add", group, relay);
        var assigned = await OkAsync("relay-group", "assign", group, "hostnotes");
        var groupInfo = await OkAsync("relay-group", "info", group);
        var unassigned = await OkAsync("relay-group", "unassign", group, "hostnotes");
        var removed = await OkAsync("relay-group", "remove", group, relay);
        var groupDeleted = await OkAsync("relay-group", "delete", group);
        await OkAsync("relay", "delete", relay);
        var listAfter = await OkAsync("relay");

        Assert.Contains(relay, created.Output, StringComparison.Ordinal);
        Assert.Contains("First", info.Output, StringComparison.Ordinal);
        Assert.Contains("Second", updated.Output, StringComparison.Ordinal);
        Assert.Contains(Rows(list.Output), r => r[0] == relay && r[1] == "enabled");
        Assert.Contains(Rows(listDisabled.Output), r => r[0] == relay && r[1] == "disabled");
        Assert.Contains(Rows(list.Output), r => r[0] == "local");
        Assert.Equal($"Created relay group '{group}'\n", groupCreated.Output);
        Assert.Equal($"Relay group '{group}' has the following relay members: {relay}\n", added.Output);
        Assert.Equal($"Relay group '{group}' has the following assigned bundles: hostnotes\n", assigned.Output);
        Assert.Contains(relay, groupInfo.Output, StringComparison.Ordinal);
        Assert.Contains("hostnotes", groupInfo.Output, StringComparison.Ordinal);
        Assert.Equal($"Relay group '{group}' has no assigned bundles.\n", unassigned.Output);
        Assert.Equal($"Relay group '{group}' has no relay members.\n", removed.Output);
        Assert.Equal($"Deleted relay group '{group}'\n", groupDeleted.Output);
        Assert.DoesNotContain(relay, listAfter.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cogctl_creates_shows_updates_and_deletes_a_trigger()
    {
        var name = Env.NewName("trigger");

        await OkAsync("trigger", "create", name, "echo one", "--as-user", Admin);
        var info = await OkAsync("trigger", "info", name);
        var updated = await OkAsync("trigger", "update", name, "--pipeline", "echo two", "--enable", "--timeout", "30");
        var list = await OkAsync("trigger");
        var deleted = await OkAsync("trigger", "delete", name, "--yes");
        var gone = await Env.CogctlAsync("trigger", "info", name);

        Assert.Contains("Pipeline            echo one\n", info.Output, StringComparison.Ordinal);
        Assert.Contains("Enabled             False\n", info.Output, StringComparison.Ordinal);
        Assert.Contains("Allow Cross Origin  False\n", info.Output, StringComparison.Ordinal);
        Assert.Contains($"Invocation Url      {Env.Server.ApiUrl}v1/triggers/", info.Output, StringComparison.Ordinal);
        Assert.Contains("echo two", updated.Output, StringComparison.Ordinal);
        Assert.Contains("Timeout Sec", updated.Output, StringComparison.Ordinal);
        Assert.Contains(Rows(list.Output), r => r[0] == name && r[1] == "echo two" && r[2] == "True");
        Assert.Equal($"Trigger \"{name}\" deleted\n", deleted.Output);
        Assert.Equal((3, "Error: Trigger not found\n"), (gone.Code, gone.Error));
    }
}

/// <summary>The end-to-end suite on SQLite (the default store).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SqliteServerTests(SqliteServerFixture fixture) : ServerSuite(fixture), IClassFixture<SqliteServerFixture>;

/// <summary>The end-to-end suite on PostgreSQL.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PostgresServerTests(PostgresServerFixture fixture) : ServerSuite(fixture), IClassFixture<PostgresServerFixture>;
