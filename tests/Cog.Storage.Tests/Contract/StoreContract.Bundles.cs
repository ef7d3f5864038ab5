using System.Data.Common;
using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Storage;

namespace Cog.Storage.Tests.Contract;

public abstract partial class StoreContract
{
    static BundleInstall Install(string bundle, string version, params RuleDefinition[] rules) => new(
        bundle, version, $$"""{"name":"{{bundle}}","version":"{{version}}"}""", "The " + bundle + " bundle", null, null,
        ["deploy", "read"],
        [
            new CommandDefinition("ship", "Ships it", [new CommandOption("env", "string", true, "e", "Where"), new CommandOption("force", "bool", false, null, null)]),
            new CommandDefinition("status", null, []),
        ],
        rules, T0, []);

    async Task<BundleVersion> InstallAsync(string bundle, string version, params RuleDefinition[] rules) =>
        (await Store.Bundles.InstallAsync(Install(bundle, version, rules), Ct)).GetValueOrThrow();

    [Fact]
    public async Task Installing_creates_a_disabled_version_its_permissions_commands_and_rules()
    {
        var v1 = await InstallAsync("deployer", "1.0.0", new RuleDefinition("ship", "when command is deployer:ship must have deployer:deploy"));

        Assert.False(v1.Enabled);
        Assert.Equal(T0, v1.InstalledAt);
        var bundle = await Store.Bundles.FindByNameAsync("deployer", Ct);
        Assert.Equal(new Bundle(v1.BundleId, "deployer", T0), bundle);
        Assert.Equal(v1, await Store.Bundles.GetVersionAsync(v1.Id, Ct));
        Assert.Equal(["deployer:deploy", "deployer:read"], (await Store.Permissions.ListAsync("deployer", Ct)).Select(p => p.FullName));
        Assert.Equal(["ship", "status"], (await Store.Bundles.ListCommandsAsync(v1.BundleId, Ct)).Select(c => c.Name));

        var versions = await Store.Bundles.ListCommandVersionsAsync(v1.Id, Ct);
        Assert.Equal(["ship", "status"], versions.Select(c => c.Name));
        Assert.Equal([new CommandOption("env", "string", true, "e", "Where"), new CommandOption("force", "bool", false, null, null)], versions[0].Options);
        Assert.Equal("Ships it", versions[0].Description);

        var ship = (await Store.Bundles.FindCommandAsync("deployer", "ship", Ct))!;
        Assert.Equal("deployer:ship", ship.FullName);
        var rule = Assert.Single(await Store.Rules.ListForCommandAsync(ship.Id, Ct));
        Assert.Equal([v1.Id], rule.BundleVersionIds);
        Assert.False(rule.Site);
    }

    [Fact]
    public async Task A_version_installs_once_and_later_versions_reuse_commands_and_permissions()
    {
        var v1 = await InstallAsync("deployer", "1.0.0");
        AssertFailure(await Store.Bundles.InstallAsync(Install("deployer", "1.0.0"), Ct), StoreErrorKind.Duplicate,
            "Version 1.0.0 of bundle 'deployer' is already installed");

        var v2 = await InstallAsync("deployer", "1.1.0");
        Assert.Equal(v1.BundleId, v2.BundleId);
        Assert.Equal([v1.Id, v2.Id], (await Store.Bundles.ListVersionsAsync(v1.BundleId, Ct)).Select(v => v.Id));
        Assert.Equal(2, (await Store.Bundles.ListCommandsAsync(v1.BundleId, Ct)).Count);
        Assert.Equal(2, (await Store.Permissions.ListAsync("deployer", Ct)).Count);
        Assert.Equal(v2, await Store.Bundles.FindVersionAsync(v1.BundleId, "1.1.0", Ct));
    }

    [Fact]
    public async Task Packages_are_kept_per_version()
    {
        var bytes = new byte[] { 0x50, 0x4B, 3, 4, 0, 255 };
        var version = (await Store.Bundles.InstallAsync(Install("pkg", "1.0.0") with { Package = bytes, PackageDigest = "sha256:abc" }, Ct)).GetValueOrThrow();
        var manifestOnly = await InstallAsync("pkg", "2.0.0");

        Assert.Equal(bytes, await Store.Bundles.GetPackageAsync(version.Id, Ct));
        Assert.Equal("sha256:abc", (await Store.Bundles.GetVersionAsync(version.Id, Ct))!.PackageDigest);
        Assert.Null(await Store.Bundles.GetPackageAsync(manifestOnly.Id, Ct));
    }

    [Fact]
    public async Task One_version_per_bundle_is_enabled()
    {
        var v1 = await InstallAsync("deployer", "1.0.0");
        var v2 = await InstallAsync("deployer", "2.0.0");
        var other = await InstallAsync("other", "0.1.0");

        Assert.True((await Store.Bundles.EnableVersionAsync(v1.Id, Ct)).Value!.Enabled);
        await Store.Bundles.EnableVersionAsync(other.Id, Ct);
        await Store.Bundles.EnableVersionAsync(v2.Id, Ct);

        Assert.Equal([false, true], (await Store.Bundles.ListVersionsAsync(v1.BundleId, Ct)).Select(v => v.Enabled));
        Assert.Equal([v2.Id, other.Id], (await Store.Bundles.ListEnabledVersionsAsync(Ct)).Select(v => v.Id));

        // The database itself refuses a second enabled version.
        await Assert.ThrowsAnyAsync<DbException>(() => ExecuteSqlAsync($"UPDATE bundle_versions SET enabled = true WHERE id = '{v1.Id}'"));

        await Store.Bundles.DisableAsync(v1.BundleId, Ct);
        Assert.Equal([other.Id], (await Store.Bundles.ListEnabledVersionsAsync(Ct)).Select(v => v.Id));
    }

    [Fact]
    public async Task Enabled_versions_and_bundles_cannot_be_deleted()
    {
        var v1 = await InstallAsync("deployer", "1.0.0");
        var v2 = await InstallAsync("deployer", "2.0.0");
        await Store.Bundles.EnableVersionAsync(v2.Id, Ct);

        AssertFailure(await Store.Bundles.DeleteVersionAsync(v2.Id, Ct), StoreErrorKind.InUse, "Version 2.0.0 of bundle 'deployer' cannot be deleted: it is enabled");
        AssertFailure(await Store.Bundles.DeleteAsync(v2.BundleId, Ct), StoreErrorKind.InUse, "Bundle 'deployer' cannot be deleted: one of its versions is enabled");
        Assert.True((await Store.Bundles.DeleteVersionAsync(v1.Id, Ct)).IsSuccess);
        Assert.Null(await Store.Bundles.GetVersionAsync(v1.Id, Ct));
        AssertFailure(await Store.Bundles.DeleteVersionAsync(v1.Id, Ct), StoreErrorKind.NotFound, $"Bundle version '{v1.Id}' does not exist");
    }

    [Fact]
    public async Task Deleting_a_bundle_removes_its_permissions_grants_commands_rules_and_layers()
    {
        var v1 = await InstallAsync("deployer", "1.0.0", new RuleDefinition("ship", "when command is deployer:ship must have deployer:deploy"));
        var ship = (await Store.Bundles.FindCommandAsync("deployer", "ship", Ct))!;
        await Store.Rules.IngestSiteRuleAsync(ship.Id, "when command is deployer:ship allow", Ct);
        var role = (await Store.Roles.CreateAsync(new Role(StoreId.New(), "shipper"), Ct)).GetValueOrThrow();
        var deploy = (await Store.Permissions.FindAsync("deployer", "deploy", Ct))!;
        await Store.Roles.GrantPermissionAsync(role.Id, deploy.Id, Ct);
        await Store.ConfigLayers.SetAsync(new ConfigLayer(v1.BundleId, "base", "{}", T0), Ct);
        AssertFailure(await Store.Permissions.DeleteAsync(deploy.Id, Ct), StoreErrorKind.Protected,
            "Permission 'deployer:deploy' belongs to a bundle and is deleted only with it");

        Assert.True((await Store.Bundles.DeleteAsync(v1.BundleId, Ct)).IsSuccess);

        Assert.Null(await Store.Bundles.FindByNameAsync("deployer", Ct));
        Assert.Empty(await Store.Permissions.ListAsync("deployer", Ct));
        Assert.Empty(await Store.Roles.ListPermissionsAsync(role.Id, Ct));
        Assert.Null(await Store.Bundles.FindCommandAsync("deployer", "ship", Ct));
        Assert.Empty(await Store.Rules.ListApplicableAsync(null, Ct));
        Assert.Empty(await Store.ConfigLayers.ListAsync(v1.BundleId, Ct));
    }

    [Fact]
    public async Task The_built_in_bundle_is_protected()
    {
        var builtIn = await InstallAsync(Bundle.BuiltInName, "0.18.2");
        await Store.Bundles.EnableVersionAsync(builtIn.Id, Ct);

        AssertFailure(await Store.Bundles.DisableAsync(builtIn.BundleId, Ct), StoreErrorKind.Protected, "Bundle 'operable' is protected");
        AssertFailure(await Store.Bundles.DeleteAsync(builtIn.BundleId, Ct), StoreErrorKind.Protected, "Bundle 'operable' is protected");
    }

    [Fact]
    public async Task Bundle_rules_follow_the_enabled_version_and_site_rules_stay()
    {
        const string bundleRule = "when command is deployer:ship must have deployer:deploy";
        const string v2Rule = "when command is deployer:ship with arg[0] == 'prod' must have deployer:deploy";
        const string siteRule = "when command is deployer:ship must have site:ops";
        var v1 = await InstallAsync("deployer", "1.0.0", new RuleDefinition("ship", bundleRule));
        var v2 = await InstallAsync("deployer", "2.0.0", new RuleDefinition("ship", bundleRule), new RuleDefinition("ship", v2Rule));
        var ship = (await Store.Bundles.FindCommandAsync("deployer", "ship", Ct))!;
        var site = (await Store.Rules.IngestSiteRuleAsync(ship.Id, siteRule, Ct)).GetValueOrThrow();
        Assert.True(site.Site);

        Assert.Equal([siteRule], (await Store.Rules.ListApplicableAsync(ship.Id, Ct)).Select(r => r.Text));
        await Store.Bundles.EnableVersionAsync(v1.Id, Ct);
        Assert.Equal([bundleRule, siteRule], (await Store.Rules.ListApplicableAsync(ship.Id, Ct)).Select(r => r.Text).Order());
        await Store.Bundles.EnableVersionAsync(v2.Id, Ct);
        Assert.Equal([bundleRule, siteRule, v2Rule], (await Store.Rules.ListApplicableAsync(null, Ct)).Select(r => r.Text).Order());

        var shared = (await Store.Rules.ListForCommandAsync(ship.Id, Ct)).Single(r => r.Text == bundleRule);
        Assert.Equal([v1.Id, v2.Id], shared.BundleVersionIds.Order());
        AssertFailure(await Store.Rules.IngestSiteRuleAsync("no-such-command", siteRule, Ct), StoreErrorKind.NotFound, "Command 'no-such-command' does not exist");
    }

    [Fact]
    public async Task Deleting_a_bundle_rule_disables_it_and_deleting_a_site_rule_removes_it()
    {
        const string bundleRule = "when command is deployer:ship must have deployer:deploy";
        var v1 = await InstallAsync("deployer", "1.0.0", new RuleDefinition("ship", bundleRule));
        await Store.Bundles.EnableVersionAsync(v1.Id, Ct);
        var ship = (await Store.Bundles.FindCommandAsync("deployer", "ship", Ct))!;
        var fromBundle = Assert.Single(await Store.Rules.ListForCommandAsync(ship.Id, Ct));
        var site = (await Store.Rules.IngestSiteRuleAsync(ship.Id, "when command is deployer:ship allow", Ct)).GetValueOrThrow();

        Assert.Equal(RuleDeletion.Disabled, (await Store.Rules.DeleteAsync(fromBundle.Id, Ct)).Value);
        Assert.Equal(RuleDeletion.Deleted, (await Store.Rules.DeleteAsync(site.Id, Ct)).Value);
        Assert.Empty(await Store.Rules.ListApplicableAsync(ship.Id, Ct));
        Assert.False((await Store.Rules.GetAsync(fromBundle.Id, Ct))!.Enabled);
        Assert.Null(await Store.Rules.GetAsync(site.Id, Ct));
        AssertFailure(await Store.Rules.DeleteAsync(site.Id, Ct), StoreErrorKind.NotFound, $"Rule '{site.Id}' does not exist");

        // Ingesting the disabled bundle rule as a site rule re-enables it.
        var again = (await Store.Rules.IngestSiteRuleAsync(ship.Id, bundleRule, Ct)).GetValueOrThrow();
        Assert.Equal(fromBundle.Id, again.Id);
        Assert.True(again.Enabled);
        Assert.True(again.Site);
    }

    [Fact]
    public async Task Config_layers_are_set_replaced_listed_and_deleted()
    {
        var v1 = await InstallAsync("deployer", "1.0.0");
        await Store.ConfigLayers.SetAsync(new ConfigLayer(v1.BundleId, "base", """{"A":"1"}""", T0), Ct);
        await Store.ConfigLayers.SetAsync(new ConfigLayer(v1.BundleId, "room/ops", """{"A":"2"}""", T0), Ct);
        var replaced = (await Store.ConfigLayers.SetAsync(new ConfigLayer(v1.BundleId, "base", """{"A":"3"}""", T0.AddMinutes(1)), Ct)).GetValueOrThrow();

        Assert.Equal(replaced, await Store.ConfigLayers.GetAsync(v1.BundleId, "base", Ct));
        Assert.Equal(["base", "room/ops"], (await Store.ConfigLayers.ListAsync(v1.BundleId, Ct)).Select(l => l.Layer));
        Assert.True((await Store.ConfigLayers.DeleteAsync(v1.BundleId, "room/ops", Ct)).IsSuccess);
        AssertFailure(await Store.ConfigLayers.DeleteAsync(v1.BundleId, "room/ops", Ct), StoreErrorKind.NotFound, "Dynamic config layer 'room/ops' does not exist");
        AssertFailure(await Store.ConfigLayers.SetAsync(new ConfigLayer("nope", "base", "{}", T0), Ct), StoreErrorKind.NotFound, "Bundle 'nope' does not exist");
    }
}
