using Cog.Language.Rules;
using Cog.Manifest.Packages;
using Cog.Runtime.Pipeline;
using Cog.Testing;

namespace Cog.Sdk.Testing.Tests;

/// <summary>The kit runs pipelines through the real language, rules, relay engines and templates: these tests pin what a
/// bundle author relies on — items, rule decisions, the three renderings, loading folders and packages, and the errors
/// a broken bundle gets.</summary>
public class BundleTestHostTests
{
    static readonly TestUser Alice = new("alice", ["echo-script:order"], email: "alice@example.com");
    static readonly TestUser Bob = new("bob");

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_script_command_runs_with_its_arguments_and_options()
    {
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("echo-script"), cancellationToken: Token);

        var run = await cog.RunAsync("echo-script:say --upper hello world", Bob, cancellationToken: Token);

        Assert.Equal("HELLO WORLD", run.SingleItem().GetProperty("text").GetString());
        Assert.Equal(RuleOutcome.Allowed, run.Decision!.Outcome);
        Assert.Equal("when command is echo-script:say allow", run.Decision.Rule);
    }

    [Fact]
    public async Task Built_in_commands_and_the_bundle_template_render_for_every_place()
    {
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("echo-script"), cancellationToken: Token);

        var run = await cog.RunAsync("""seed '[{"n":3,"name":"c"},{"n":1,"name":"a"},{"n":2,"name":"b"}]' | echo-script:order --by=n""", Alice,
            cancellationToken: Token);

        run.EnsureSucceeded();
        Assert.Equal([1, 2, 3], run.Items.Select(i => i.GetProperty("n").GetInt32()));
        // One decision per invocation: seed once, order once per item.
        Assert.Equal(["operable:seed", "echo-script:order", "echo-script:order", "echo-script:order"], run.Decisions.Select(d => d.Invocation.Split(' ')[0]));
        Assert.All(run.Decisions, d => Assert.True(d.IsAllowed));
        // The `order` template: a bold count, then the items as a table.
        Assert.Contains("3 items", run.Reply.PlainText, StringComparison.Ordinal);
        Assert.Contains("<strong>3 items</strong>", run.Reply.Html, StringComparison.Ordinal);
        Assert.Contains("<table", run.Reply.Html, StringComparison.Ordinal);
        var slack = Assert.Single(run.Reply.Slack);
        Assert.Contains("*3 items*", slack.Text, StringComparison.Ordinal);
        Assert.NotNull(slack.Blocks);
    }

    [Fact]
    public async Task A_refusal_names_the_rule_and_the_missing_permission_and_runs_nothing()
    {
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("echo-script"), cancellationToken: Token);

        var run = await cog.RunAsync("""seed '[{"n":1}]' | echo-script:order --by=n""", Bob, cancellationToken: Token);

        var refusal = run.EnsureRefused();
        Assert.Equal(PipelineStatus.PlanningFailed, run.Status);
        Assert.Equal(RuleOutcome.Denied, refusal.Outcome);
        Assert.Equal(1, refusal.Stage);
        Assert.Equal("when command is echo-script:order must have echo-script:order", refusal.Rule);
        Assert.Equal(["echo-script:order"], refusal.Missing);
        Assert.True(refusal.BeforeAnythingRan);
        Assert.Contains("echo-script:order", run.Reply.PlainText, StringComparison.Ordinal);
        var failure = Assert.Throws<PipelineRunException>(() => run.EnsureSucceeded());
        Assert.Contains("denied by `when command is echo-script:order must have echo-script:order` (missing echo-script:order)", failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plug_in_assembly_command_runs_and_sees_every_item_of_its_stage()
    {
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("echo-assembly"), cancellationToken: Token);

        var repeat = await cog.RunAsync("echo-assembly:repeat -u hi there", Bob, cancellationToken: Token);
        var tally = await cog.RunAsync("""seed '[{"n":1},{"n":2},{"n":3}]' | echo-assembly:tally""", Bob, cancellationToken: Token);

        Assert.Equal("HI THERE", repeat.SingleItem().GetProperty("body").GetString());
        Assert.Equal(3, tally.SingleItem().GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task An_executable_runs_in_its_bundle_folder_and_its_time_limit_holds()
    {
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("executable-v6"), cancellationToken: Token);
        var carol = new TestUser("carol", ["hostnotes:wait"]);

        var motd = await cog.RunAsync("hostnotes:motd", Bob, cancellationToken: Token);
        var wait = await cog.RunAsync("hostnotes:wait 30", carol, cancellationToken: Token);

        Assert.Equal(["Deploys are frozen on Fridays.", "The on-call rota is in #ops."],
            motd.SingleItem().GetProperty("body").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(PipelineStatus.ExecutionFailed, wait.Status);
        Assert.StartsWith("The command did not finish within its time limit of ", wait.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_pipeline_deadline_stops_a_running_command()
    {
        var options = new BundleTestOptions { PipelineDeadline = TimeSpan.FromMilliseconds(300) };
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("executable-v6"), options, Token);

        var run = await cog.RunAsync("hostnotes:wait 30", new TestUser("carol", ["hostnotes:wait"]), cancellationToken: Token);

        Assert.Equal(PipelineStatus.ExecutionFailed, run.Status);
        Assert.StartsWith("The pipeline did not finish within its time limit of ", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_package_loads_like_its_folder()
    {
        var package = Path.Combine(Directory.CreateTempSubdirectory("cog-kit-package-").FullName, "echo-script.cogbundle");
        string digest;
        await using (var file = File.Create(package))
            digest = BundlePackage.Create(RepositoryPaths.Example("echo-script"), file).Contents!.Digest;

        await using var cog = await BundleTestHost.LoadAsync(package, cancellationToken: Token);
        var run = await cog.RunAsync("echo-script:say hi", Bob, cancellationToken: Token);

        Assert.Equal(digest, cog.Digest);
        Assert.Equal("hi", run.SingleItem().GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_input_and_the_configuration_reach_the_command()
    {
        using var bundle = TempBundle.Write("""
            cog_bundle_version: 6
            name: envy
            description: Shows what it gets
            version: "1.0.0"
            commands:
              show:
                executable: show.sh
                rules:
                  - allow
            """, ("show.sh", """
            #!/bin/sh
            input=$(cat)
            echo "JSON"
            printf '{"greeting":"%s","room":"%s","user":"%s","input":%s,"cog":"%s"}\n' "$GREETING" "$COG_ROOM" "$COG_USERNAME" "$input" "${COG_SECRET:-none}"
            """));
        var options = new BundleTestOptions { Configuration = new Dictionary<string, string> { ["GREETING"] = "hey", ["COG_SECRET"] = "x" } };
        await using var cog = await BundleTestHost.LoadAsync(bundle.Folder, options, Token);

        var run = await cog.RunAsync("envy:show", Bob, new RunOptions { Input = """[{"id":1},{"id":2}]""", Room = "ops" }, Token);

        run.EnsureSucceeded();
        Assert.Equal(2, run.Items.Count);
        var first = run.Items[0];
        Assert.Equal("hey", first.GetProperty("greeting").GetString());
        Assert.Equal("ops", first.GetProperty("room").GetString());
        Assert.Equal("bob", first.GetProperty("user").GetString());
        Assert.Equal(1, first.GetProperty("input").GetProperty("id").GetInt32());
        Assert.Equal("none", first.GetProperty("cog").GetString());
    }

    [Fact]
    public async Task A_script_that_does_not_compile_fails_its_run_with_the_position()
    {
        using var bundle = TempBundle.Write("""
            cog_bundle_version: 6
            name: broken
            description: Does not compile
            version: "1.0.0"
            commands:
              oops:
                script: oops.csx
                rules:
                  - allow
            """, ("oops.csx", "var x = ;\nreturn x;\n"));
        await using var cog = await BundleTestHost.LoadAsync(bundle.Folder, cancellationToken: Token);

        var run = await cog.RunAsync("broken:oops", Bob, cancellationToken: Token);

        Assert.Equal(PipelineStatus.ExecutionFailed, run.Status);
        Assert.Contains("oops.csx(1,9)", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_manifest_is_refused_with_positioned_errors()
    {
        using var bundle = TempBundle.Write("""
            cog_bundle_version: 6
            name: bad
            version: "1.0.0"
            commands:
              oops:
                script: oops.csx
                rulez: []
            """, ("oops.csx", "return 1;"));

        var error = await Assert.ThrowsAsync<BundleLoadException>(() => BundleTestHost.LoadAsync(bundle.Folder, cancellationToken: Token));

        // The unknown key `rulez`, at its line and column.
        Assert.Contains(error.Errors, e => e.StartsWith(Path.Combine(bundle.Folder, "config.yaml") + ":7:5: ", StringComparison.Ordinal));
        Assert.Contains(error.Errors[0], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_docker_bundle_or_a_missing_path_is_refused_with_the_reason()
    {
        using var docker = TempBundle.Write("""
            cog_bundle_version: 5
            name: dock
            description: Runs in a container
            version: "1.0.0"
            docker:
              image: busybox
              tag: "1.36"
            commands:
              hi:
                executable: /bin/echo
                rules:
                  - allow
            """);
        var missing = Path.Combine(docker.Folder, "nowhere");

        var refused = await Assert.ThrowsAsync<BundleLoadException>(() => BundleTestHost.LoadAsync(docker.Folder, cancellationToken: Token));
        var notFound = await Assert.ThrowsAsync<BundleLoadException>(() => BundleTestHost.LoadAsync(missing, cancellationToken: Token));

        Assert.StartsWith("Docker bundles are not supported by the test kit", refused.Message, StringComparison.Ordinal);
        Assert.Equal($"'{missing}' is neither a bundle folder (with a config.yaml) nor a bundle package (*.cogbundle).", notFound.Message);
    }

    [Fact]
    public async Task Input_that_is_not_objects_is_refused()
    {
        await using var cog = await BundleTestHost.LoadAsync(RepositoryPaths.Example("echo-script"), cancellationToken: Token);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => cog.RunAsync("echo-script:say hi", Bob, new RunOptions { Input = "[1]" }, Token));

        Assert.StartsWith("RunOptions.Input must be a JSON object or an array of JSON objects: [1]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_permission_must_be_fully_qualified()
    {
        var error = Assert.Throws<ArgumentException>(() => new TestUser("dave", ["order"]));

        Assert.StartsWith("The permission 'order' is not fully qualified", error.Message, StringComparison.Ordinal);
    }

}
