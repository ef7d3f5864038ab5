using System.Text;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Administration;

public sealed class BundleAdministrationTests : IAsyncLifetime
{
    AdminWorld _admin = null!;

    static CancellationToken Ct => AdminWorld.Ct;

    BundleAdministration Bundles => _admin.Bundles;

    public async ValueTask InitializeAsync() => _admin = await AdminWorld.OpenAsync();

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    Task<RegistryResult<BundleVersion>> InstallAsync(string version = "1.0.0", bool force = false, bool enable = false, string name = "deploy") =>
        Bundles.InstallAsync(AdminWorld.Alice, Encoding.UTF8.GetBytes(StoreWorld.Manifest(name, version, rule: $"must have {name}:release")), force, enable, Ct);

    [Fact]
    public async Task An_install_is_recorded_with_actor_origin_and_version()
    {
        var version = (await InstallAsync()).GetValueOrThrow();

        var record = Assert.Single(await _admin.AuditAsync(AdminAuditKinds.BundleInstalled));
        Assert.Equal(("alice", "bundle:deploy 1.0.0", "ok"), (record.Actor, record.Command, record.Outcome));
        Assert.Contains("\"origin\":\"chat\"", record.PayloadJson, StringComparison.Ordinal);
        var details = AdminWorld.Details(record);
        Assert.Equal(("deploy", "1.0.0", version.PackageDigest, "false", "false"),
            (details["bundle"], details["version"], details["digest"], details["enabled"], details["replaced"]));
    }

    [Fact]
    public async Task Installing_an_installed_version_is_a_duplicate_unless_forced()
    {
        await InstallAsync(enable: true);

        var again = await InstallAsync();
        var forced = await InstallAsync(force: true);

        Assert.Equal((RegistryErrorKind.Duplicate, "Version 1.0.0 of bundle 'deploy' is already installed"), (again.Error!.Kind, again.Error.Message));
        Assert.True(forced.IsSuccess, forced.Error?.Message);
        Assert.True(forced.Value!.Enabled);
        Assert.Single((await Bundles.VersionsAsync("deploy", Ct)).Value!);
        Assert.Equal("true", AdminWorld.Details((await _admin.AuditAsync(AdminAuditKinds.BundleInstalled))[^1])["replaced"]);
    }

    [Theory]
    [InlineData("operable")]
    [InlineData("site")]
    [InlineData("user")]
    [InlineData("cog")]
    public async Task Reserved_names_cannot_be_installed(string name)
    {
        var result = await InstallAsync(name: name);

        Assert.Equal((RegistryErrorKind.Protected, $"Bundle name \"{name}\" is reserved and cannot be installed."), (result.Error!.Kind, result.Error.Message));
        Assert.Empty(await _admin.World.Store.Bundles.ListAsync(Ct));
    }

    [Fact]
    public async Task Enable_without_a_version_enables_the_highest_semantic_version()
    {
        await InstallAsync("1.9.0");
        await InstallAsync("1.10.0");
        await InstallAsync("1.10.0-rc.1");

        var enabled = await Bundles.EnableAsync(AdminWorld.Alice, "deploy", null, Ct);

        Assert.Equal("1.10.0", enabled.GetValueOrThrow().Version);
        Assert.Equal("bundle:deploy 1.10.0", Assert.Single(await _admin.AuditAsync(AdminAuditKinds.BundleEnabled)).Command);
    }

    [Fact]
    public async Task A_version_is_found_by_its_id_too()
    {
        var version = (await InstallAsync()).GetValueOrThrow();

        var enabled = await Bundles.EnableAsync(AdminWorld.Alice, version.BundleId, version.Id, Ct);

        Assert.True(enabled.GetValueOrThrow().Enabled);
    }

    [Fact]
    public async Task Unknown_bundles_and_versions_are_reported()
    {
        await InstallAsync();

        var bundle = await Bundles.EnableAsync(AdminWorld.Alice, "nope", null, Ct);
        var version = await Bundles.EnableAsync(AdminWorld.Alice, "deploy", "9.9.9", Ct);

        Assert.Equal((RegistryErrorKind.NotFound, "Bundle 'nope' does not exist"), (bundle.Error!.Kind, bundle.Error.Message));
        Assert.Equal((RegistryErrorKind.NotFound, "Version 9.9.9 of bundle 'deploy' does not exist"), (version.Error!.Kind, version.Error.Message));
    }

    [Fact]
    public async Task Disabling_a_disabled_bundle_changes_and_records_nothing()
    {
        await InstallAsync(enable: true);

        var first = await Bundles.DisableAsync(AdminWorld.Alice, "deploy", Ct);
        var second = await Bundles.DisableAsync(AdminWorld.Alice, "deploy", Ct);

        Assert.Equal("1.0.0", first.GetValueOrThrow()!.Version);
        Assert.Null(second.GetValueOrThrow());
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.BundleDisabled));
        Assert.Equal("Bundle \"deploy\" is already disabled.", AdminMessages.BundleAlreadyDisabled("deploy"));
    }

    [Fact]
    public async Task The_enabled_version_cannot_be_uninstalled()
    {
        await InstallAsync("1.0.0", enable: true);
        await InstallAsync("2.0.0");

        var version = await Bundles.UninstallVersionAsync(AdminWorld.Alice, "deploy", "1.0.0", Ct);
        var bundle = await Bundles.UninstallBundleAsync(AdminWorld.Alice, "deploy", Ct);

        Assert.Equal((RegistryErrorKind.InUse, "Version 1.0.0 of bundle 'deploy' cannot be deleted: it is enabled"), (version.Error!.Kind, version.Error.Message));
        Assert.Equal((RegistryErrorKind.InUse, "Bundle 'deploy' cannot be deleted: one of its versions is enabled"), (bundle.Error!.Kind, bundle.Error.Message));
    }

    [Fact]
    public async Task Clean_removes_every_disabled_version_and_keeps_the_enabled_one()
    {
        await InstallAsync("1.0.0");
        await InstallAsync("1.1.0", enable: true);
        await InstallAsync("1.2.0");

        var removed = await Bundles.UninstallDisabledVersionsAsync(AdminWorld.Alice, "deploy", Ct);

        Assert.Equal(["1.0.0", "1.2.0"], removed.GetValueOrThrow().Select(v => v.Version));
        Assert.Equal(["1.1.0"], (await Bundles.VersionsAsync("deploy", Ct)).Value!.Select(v => v.Version));
        Assert.Equal(2, (await _admin.AuditAsync(AdminAuditKinds.BundleVersionUninstalled)).Count);
    }

    [Fact]
    public async Task Uninstalling_the_last_version_uninstalls_the_bundle()
    {
        await InstallAsync();

        var removed = await Bundles.UninstallVersionAsync(AdminWorld.Alice, "deploy", "1.0.0", Ct);

        Assert.True(removed.IsSuccess);
        Assert.Null(await _admin.World.Store.Bundles.FindByNameAsync("deploy", Ct));
        Assert.Equal("bundle:deploy", Assert.Single(await _admin.AuditAsync(AdminAuditKinds.BundleUninstalled)).Command);
    }

    [Fact]
    public async Task Version_info_lists_commands_with_their_applicable_rules_and_the_permissions()
    {
        await InstallAsync(enable: true);

        var info = (await Bundles.VersionInfoAsync("deploy", null, Ct)).GetValueOrThrow();

        var command = Assert.Single(info.Commands);
        Assert.Equal("release", command.Name);
        Assert.Equal(["when command is deploy:release must have deploy:release"], command.Rules.Select(r => r.Text));
        Assert.Equal(["deploy:release"], info.Permissions.Select(p => p.FullName));
    }

    [Fact]
    public async Task Bundle_info_names_the_relay_groups_it_is_assigned_to()
    {
        await InstallAsync(enable: true);
        await _admin.World.RelayGroupAsync("prod");
        (await _admin.RelayGroups.AssignBundlesAsync(AdminWorld.Alice, "prod", ["deploy"], Ct)).GetValueOrThrow();

        var info = (await Bundles.InfoAsync("deploy", Ct)).GetValueOrThrow();

        Assert.Equal(["prod"], info.RelayGroups.Select(g => g.Name));
        Assert.Equal("1.0.0", info.EnabledVersion!.Version);
    }
}
