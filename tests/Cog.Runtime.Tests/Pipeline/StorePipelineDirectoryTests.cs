using Cog.Language.Options;
using Cog.Language.Rules;
using Cog.Runtime.Pipeline;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Pipeline;

public sealed class StorePipelineDirectoryTests : IAsyncLifetime
{
    StoreWorld _world = null!;

    static CancellationToken Ct => StoreWorld.Ct;

    StorePipelineDirectory Directory => _world.Directory;

    public async ValueTask InitializeAsync() => _world = await StoreWorld.OpenAsync();

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_snapshot_holds_installed_bundles_enabled_commands_rules_and_timeouts()
    {
        await _world.InstallAsync(StoreWorld.Manifest(version: "1.0.0"), enable: true);
        await _world.InstallAsync(StoreWorld.Manifest(version: "2.0.0", command: "rollback"));
        (await _world.Registry.InstallAsync(_world.ScriptPackage(), enable: true, Ct)).GetValueOrThrow();
        await _world.InstallAsync(StoreWorld.Manifest(name: "idle", command: "sleep", rule: "allow"));

        var space = await Directory.GetCommandSpaceAsync(Ct);

        var deploy = space.Commands.FindBundle("deploy")!;
        Assert.Equal("1.0.0", deploy.EnabledVersion);
        var release = deploy.FindCommand("release")!;
        Assert.Equal([new OptionDefinition("env", OptionType.String), new OptionDefinition("force", OptionType.Bool, false, "f")], release.Options);
        Assert.True(deploy.HasCommandInAnyVersion("rollback"));
        Assert.Null(deploy.FindCommand("rollback"));
        Assert.False(space.Commands.FindBundle("idle")!.IsEnabled);
        Assert.Equal(["when command is deploy:release must have deploy:release"], space.RulesFor("deploy", "release").Select(RulePrinter.Print));
        Assert.Empty(space.RulesFor("deploy", "rollback"));
        Assert.Equal(TimeSpan.FromSeconds(5), space.TimeoutFor("scripted", "echo"));
        Assert.Equal(TimeSpan.FromSeconds(60), space.TimeoutFor("scripted", "plain"));
    }

    [Fact]
    public async Task The_snapshot_is_kept_until_a_change_is_signalled()
    {
        await _world.InstallAsync(StoreWorld.Manifest(), enable: true);
        var first = await Directory.GetCommandSpaceAsync(Ct);

        // A change behind the directory's back is not seen: the cached snapshot is served without reading the store.
        var text = StoreWorld.Manifest(name: "other", rule: "allow");
        var other = Cog.Runtime.Bundles.BundleRegistry.ToInstall(Cog.Manifest.ManifestLoader.Parse(text, "config.yaml").Manifest!, text,
            "sha256:" + new string('0', 64), [1], StoreWorld.Start);
        (await _world.Store.Bundles.InstallAsync(other, Ct)).GetValueOrThrow();
        Assert.Same(first, await Directory.GetCommandSpaceAsync(Ct));

        Directory.CatalogChanged();
        var second = await Directory.GetCommandSpaceAsync(Ct);
        Assert.NotSame(first, second);
        Assert.NotNull(second.Commands.FindBundle("other"));
    }

    [Fact]
    public async Task Registry_changes_invalidate_the_snapshot()
    {
        await _world.InstallAsync(StoreWorld.Manifest(version: "1.0.0"), enable: true);
        await _world.InstallAsync(StoreWorld.Manifest(version: "2.0.0", command: "rollback"));
        Assert.Equal("1.0.0", (await Directory.GetCommandSpaceAsync(Ct)).Commands.FindBundle("deploy")!.EnabledVersion);

        (await _world.Registry.EnableAsync("deploy", "2.0.0", Ct)).GetValueOrThrow();

        var space = await Directory.GetCommandSpaceAsync(Ct);
        Assert.Equal("2.0.0", space.Commands.FindBundle("deploy")!.EnabledVersion);
        Assert.Equal(["when command is deploy:rollback must have deploy:release"], space.RulesFor("deploy", "rollback").Select(RulePrinter.Print));
        Assert.Empty(space.RulesFor("deploy", "release"));
    }

    [Fact]
    public async Task Site_rules_and_site_aliases_appear_once_the_catalog_change_is_signalled()
    {
        await _world.InstallAsync(StoreWorld.Manifest(), enable: true);
        await Directory.GetCommandSpaceAsync(Ct);
        var command = (await _world.Store.Bundles.FindCommandAsync("deploy", "release", Ct))!;
        (await _world.Store.Rules.IngestSiteRuleAsync(command.Id, "when command is deploy:release with arg[0] == 'prod' must have site:prod", Ct)).GetValueOrThrow();
        (await _world.Store.Aliases.CreateAsync(new Alias(StoreId.New(), "ship", "deploy:release web-1", null), Ct)).GetValueOrThrow();

        Directory.CatalogChanged();
        var space = await Directory.GetCommandSpaceAsync(Ct);

        Assert.Equal(2, space.RulesFor("deploy", "release").Length);
        Assert.Equal("deploy:release web-1", space.SiteAliases.Find("ship")!.PipelineText);
    }

    [Fact]
    public async Task A_stored_rule_that_no_longer_loads_refuses_its_command_and_is_reported_not_thrown()
    {
        await _world.InstallAsync(StoreWorld.Manifest(), enable: true);
        var command = (await _world.Store.Bundles.FindCommandAsync("deploy", "release", Ct))!;
        // Written behind the API's back (as by an older version or by hand): 20,000 levels deep, and a backreference.
        var deep = new string('(', 20_000) + "arg[0] == 1" + new string(')', 20_000);
        var tooDeep = (await _world.Store.Rules.IngestSiteRuleAsync(command.Id, $"when command is deploy:release with {deep} allow", Ct)).GetValueOrThrow();
        var backreference = (await _world.Store.Rules.IngestSiteRuleAsync(command.Id, "when command is deploy:release with arg[0] == /(a)\\1/ allow", Ct)).GetValueOrThrow();
        Directory.CatalogChanged();

        var space = await Directory.GetCommandSpaceAsync(Ct);

        Assert.Empty(space.RulesFor("deploy", "release"));
        Assert.Equal($"stored rule {tooDeep.Id} does not parse: (Line: 1, Col: 101) {RuleErrors.TooDeep}", space.RuleProblemFor("deploy", "release"));
        var problems = await Directory.GetProblemsAsync(Ct);
        Assert.Equal(new[] { ("rule", tooDeep.Id), ("rule", backreference.Id) }.Order(), problems.Select(p => (p.Kind, p.Id)).Order());
        Assert.All(problems, p => Assert.Contains("does not parse", p.Error, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Error.Contains("uses a backreference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_aliases_are_cached_per_user_until_theirs_change()
    {
        var alice = await _world.UserAsync("alice");
        var bob = await _world.UserAsync("bob");
        (await _world.Store.Aliases.CreateAsync(new Alias(StoreId.New(), "hi", "echo hi", alice.Id), Ct)).GetValueOrThrow();
        var first = await Directory.GetUserAliasesAsync(alice.Id, Ct);
        Assert.NotNull(first.Find("hi"));
        Assert.Empty((await Directory.GetUserAliasesAsync(bob.Id, Ct)).Aliases);

        (await _world.Store.Aliases.CreateAsync(new Alias(StoreId.New(), "bye", "echo bye", alice.Id), Ct)).GetValueOrThrow();
        Assert.Same(first, await Directory.GetUserAliasesAsync(alice.Id, Ct));

        Directory.UserAliasesChanged(alice.Id);
        Assert.NotNull((await Directory.GetUserAliasesAsync(alice.Id, Ct)).Find("bye"));
    }

    [Fact]
    public async Task A_permission_set_is_cached_until_any_grant_changes()
    {
        var alice = await _world.UserAsync("alice");
        await _world.GrantAsync(alice, "site:read");
        var first = await Directory.GetPermissionsAsync(alice.Id, Ct);
        Assert.Equal(["site:read"], first);

        await _world.GrantAsync(alice, "site:write");
        Assert.Same(first, await Directory.GetPermissionsAsync(alice.Id, Ct));

        Directory.GrantsChanged();
        Assert.Equal(["site:read", "site:write"], (await Directory.GetPermissionsAsync(alice.Id, Ct)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_permission_set_expires_after_its_time_to_live_as_a_safety_net()
    {
        var alice = await _world.UserAsync("alice");
        var first = await Directory.GetPermissionsAsync(alice.Id, Ct);
        Assert.Empty(first);
        await _world.GrantAsync(alice, "site:read");

        _world.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.Same(first, await Directory.GetPermissionsAsync(alice.Id, Ct));

        _world.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(["site:read"], await Directory.GetPermissionsAsync(alice.Id, Ct));
    }
}
