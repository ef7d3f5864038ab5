using System.Security.Cryptography;
using System.Text;
using Cog.Contracts.Relays;
using Cog.Manifest.Packages;
using Cog.Runtime.Bundles;
using Cog.Runtime.Storage;

namespace Cog.Runtime.Tests.Bundles;

public sealed class BundleRegistryTests : IAsyncLifetime
{
    StoreWorld _world = null!;

    static CancellationToken Ct => StoreWorld.Ct;

    BundleRegistry Registry => _world.Registry;

    IStore Store => _world.Store;

    public async ValueTask InitializeAsync() => _world = await StoreWorld.OpenAsync();

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task A_manifest_installs_a_disabled_version_with_its_commands_permissions_and_rules()
    {
        var text = StoreWorld.Manifest();
        var version = await _world.InstallAsync(text);

        Assert.Equal(("1.0.0", false), (version.Version, version.Enabled));
        Assert.Equal(Sha256(Encoding.UTF8.GetBytes(text)), version.PackageDigest);
        Assert.Equal(Encoding.UTF8.GetBytes(text), await Store.Bundles.GetPackageAsync(version.Id, Ct));
        Assert.Contains("\"cog_bundle_version\":5", version.ManifestJson, StringComparison.Ordinal);
        Assert.NotNull(await Store.Permissions.FindAsync("deploy", "release", Ct));
        var command = Assert.Single(await Store.Bundles.ListCommandVersionsAsync(version.Id, Ct));
        Assert.Equal("release", command.Name);
        Assert.Equal(["env:string", "force:bool:f"], command.Options.Select(o => o.ShortFlag is null ? $"{o.Name}:{o.Type}" : $"{o.Name}:{o.Type}:{o.ShortFlag}"));
        Assert.Equal("Where to", command.Options[0].Description);
        var rule = Assert.Single(await Store.Rules.ListForCommandAsync(command.CommandId, Ct));
        Assert.Equal("when command is deploy:release must have deploy:release", rule.Text);
        Assert.Equal([version.Id], rule.BundleVersionIds);
    }

    [Fact]
    public async Task A_package_is_validated_and_stored_with_its_digest()
    {
        var package = _world.ScriptPackage();

        var version = (await Registry.InstallAsync(package, enable: true, Ct)).GetValueOrThrow();

        Assert.True(version.Enabled);
        Assert.Equal(Sha256(package), version.PackageDigest);
        Assert.Equal(package, await Store.Bundles.GetPackageAsync(version.Id, Ct));
        Assert.Equal(["echo", "plain"], (await Store.Bundles.ListCommandVersionsAsync(version.Id, Ct)).Select(c => c.Name));
        Assert.False(Directory.Exists(_world.ScratchFolder) && Directory.EnumerateFileSystemEntries(_world.ScratchFolder).Any());
    }

    [Fact]
    public async Task A_manifest_uploaded_as_bytes_is_installed_as_a_manifest()
    {
        var text = StoreWorld.Manifest();

        var version = (await Registry.InstallAsync(Encoding.UTF8.GetBytes(text), enable: false, Ct)).GetValueOrThrow();

        Assert.Equal(Sha256(Encoding.UTF8.GetBytes(text)), version.PackageDigest);
    }

    [Fact]
    public async Task An_invalid_manifest_is_refused_with_every_error_and_its_position()
    {
        var result = await Registry.InstallManifestAsync("cog_bundle_version: 5\nname: deploy\nversion: \"1.0\"\ncommands: {}\n", false, Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(RegistryErrorKind.Invalid, result.Error.Kind);
        Assert.Equal(PackageErrors.InvalidManifest, result.Error.Message);
        Assert.NotEmpty(result.Error.ManifestErrors);
        Assert.All(result.Error.ManifestErrors, e => Assert.True(e.Line >= 1 && e.Column >= 1, e.ToString()));
        Assert.Empty(await Store.Bundles.ListAsync(Ct));
    }

    [Fact]
    public async Task A_package_with_an_invalid_manifest_is_refused_with_its_errors()
    {
        var result = await Registry.InstallAsync(StoreWorld.Archive("cog_bundle_version: 6\nname: x\n"), false, Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal((RegistryErrorKind.Invalid, PackageErrors.InvalidManifest), (result.Error.Kind, result.Error.Message));
        Assert.Contains(result.Error.ManifestErrors, e => e.Line == 1);
    }

    [Fact]
    public async Task A_package_whose_script_is_missing_is_refused()
    {
        var manifest = "cog_bundle_version: 6\nname: x\ndescription: d\nversion: \"1.0.0\"\ncommands:\n  c:\n    script: c.csx\n    rules:\n      - allow\n";

        var result = await Registry.InstallAsync(StoreWorld.Archive(manifest), false, Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(RegistryErrorKind.Invalid, result.Error.Kind);
        Assert.NotEmpty(result.Error.ManifestErrors);
    }

    [Theory]
    [InlineData(new byte[0], BundleRegistryErrors.EmptyUpload)]
    [InlineData(new byte[] { 0xC3, 0x28, 0xFF }, BundleRegistryErrors.NotArchiveOrManifest)]
    public async Task Unusable_uploads_are_refused(byte[] upload, string message)
    {
        var result = await Registry.InstallAsync(upload, false, Ct);

        Assert.Equal((RegistryErrorKind.Invalid, message), (result.Error!.Kind, result.Error.Message));
    }

    [Fact]
    public async Task A_version_6_manifest_cannot_be_installed_without_its_package()
    {
        var result = await Registry.InstallManifestAsync("cog_bundle_version: 6\nname: x\ndescription: d\nversion: \"1.0.0\"\ncommands:\n  c:\n    executable: /bin/true\n    rules:\n      - allow\n", false, Ct);

        Assert.Equal((RegistryErrorKind.Invalid, PackageErrors.BareManifestVersion(6)), (result.Error!.Kind, result.Error.Message));
    }

    [Fact]
    public async Task Installing_an_installed_version_again_is_a_duplicate()
    {
        await _world.InstallAsync(StoreWorld.Manifest());

        var result = await Registry.InstallManifestAsync(StoreWorld.Manifest(), true, Ct);

        Assert.Equal((RegistryErrorKind.Duplicate, StoreErrors.DuplicateVersion("deploy", "1.0.0")), (result.Error!.Kind, result.Error.Message));
    }

    [Fact]
    public async Task Every_version_is_kept_and_enabling_one_disables_the_others()
    {
        await _world.InstallAsync(StoreWorld.Manifest(version: "1.0.0"), enable: true);
        await _world.InstallAsync(StoreWorld.Manifest(version: "1.1.0"));

        var before = (await Registry.GetAsync("deploy", Ct)).GetValueOrThrow();
        Assert.Equal(["1.0.0", "1.1.0"], before.Versions.Select(v => v.Version));
        Assert.Equal("1.0.0", before.EnabledVersion?.Version);

        (await Registry.EnableAsync("deploy", "1.1.0", Ct)).GetValueOrThrow();
        Assert.Equal("1.1.0", (await Registry.GetAsync("deploy", Ct)).GetValueOrThrow().EnabledVersion?.Version);

        (await Registry.DisableAsync("deploy", Ct)).GetValueOrThrow();
        var after = Assert.Single(await Registry.ListAsync(Ct));
        Assert.Null(after.EnabledVersion);
        Assert.Equal(2, after.Versions.Count);
    }

    [Fact]
    public async Task An_enabled_version_is_not_uninstalled_and_a_disabled_one_is()
    {
        await _world.InstallAsync(StoreWorld.Manifest(version: "1.0.0"), enable: true);
        await _world.InstallAsync(StoreWorld.Manifest(version: "1.1.0"));

        var refused = await Registry.UninstallAsync("deploy", "1.0.0", Ct);
        Assert.Equal((RegistryErrorKind.InUse, StoreErrors.VersionEnabled("deploy", "1.0.0")), (refused.Error!.Kind, refused.Error.Message));
        var whole = await Registry.UninstallAsync("deploy", null, Ct);
        Assert.Equal((RegistryErrorKind.InUse, StoreErrors.BundleEnabled("deploy")), (whole.Error!.Kind, whole.Error.Message));

        (await Registry.UninstallAsync("deploy", "1.1.0", Ct)).GetValueOrThrow();
        Assert.Equal(["1.0.0"], (await Registry.GetAsync("deploy", Ct)).GetValueOrThrow().Versions.Select(v => v.Version));

        (await Registry.DisableAsync("deploy", Ct)).GetValueOrThrow();
        (await Registry.UninstallAsync("deploy", null, Ct)).GetValueOrThrow();
        Assert.Empty(await Registry.ListAsync(Ct));
        Assert.Null(await Store.Permissions.FindAsync("deploy", "release", Ct));
    }

    [Fact]
    public async Task Unknown_bundles_versions_groups_and_relays_are_reported_by_name()
    {
        await _world.InstallAsync(StoreWorld.Manifest());
        await _world.RelayGroupAsync("prod");

        Assert.Equal(BundleRegistryErrors.BundleNotFound("nope"), (await Registry.EnableAsync("nope", "1.0.0", Ct)).Error!.Message);
        Assert.Equal("Bundle 'nope' does not exist", (await Registry.DisableAsync("nope", Ct)).Error!.Message);
        Assert.Equal("Version 9.9.9 of bundle 'deploy' does not exist", (await Registry.EnableAsync("deploy", "9.9.9", Ct)).Error!.Message);
        Assert.Equal("Relay group 'staging' does not exist", (await Registry.AssignAsync("staging", "deploy", Ct)).Error!.Message);
        var relay = await Registry.AddRelayAsync("prod", "ghost", Ct);
        Assert.Equal((RegistryErrorKind.NotFound, "Relay 'ghost' does not exist"), (relay.Error!.Kind, relay.Error.Message));
    }

    [Fact]
    public async Task Enabling_a_version_publishes_the_assignments_of_the_relays_serving_the_bundle()
    {
        var relay = await _world.RelayAsync("web-1");
        var bystander = await _world.RelayAsync("web-2");
        await _world.RelayGroupAsync("prod");
        var text = StoreWorld.Manifest();
        await _world.InstallAsync(text);
        (await Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        (await Registry.AssignAsync("prod", "deploy", Ct)).GetValueOrThrow();
        _world.Transport.Assignments.Clear();

        (await Registry.EnableAsync("deploy", "1.0.0", Ct)).GetValueOrThrow();

        var published = Assert.Single(_world.Transport.Assignments);
        Assert.Equal(relay.Id, published.RelayId);
        var assignment = Assert.Single(published.Bundles);
        Assert.Equal(("deploy", "1.0.0", Sha256(Encoding.UTF8.GetBytes(text)), 5, PackageFormat.Manifest, (long)Encoding.UTF8.GetByteCount(text)),
            (assignment.Name, assignment.Version, assignment.Digest, assignment.ManifestVersion, assignment.PackageFormat, assignment.PackageSize));
        Assert.Equal(new Uri($"https://cog.example.com/v1/relays/{relay.Id}/packages/deploy/1.0.0"), assignment.PackageUrl);
        Assert.DoesNotContain(_world.Transport.Assignments, a => a.RelayId == bystander.Id);
    }

    [Fact]
    public async Task Assigning_a_bundle_publishes_to_the_relays_of_the_group_and_unassigning_withdraws_it()
    {
        var relays = new[] { await _world.RelayAsync("web-1"), await _world.RelayAsync("web-2") };
        await _world.RelayGroupAsync("prod");
        (await Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        (await Registry.AddRelayAsync("prod", relays[1].Id, Ct)).GetValueOrThrow();
        (await Registry.InstallAsync(_world.ScriptPackage(), enable: true, Ct)).GetValueOrThrow();
        _world.Transport.Assignments.Clear();

        (await Registry.AssignAsync("prod", "scripted", Ct)).GetValueOrThrow();

        Assert.Equal(relays.Select(r => r.Id).Order(StringComparer.Ordinal), _world.Transport.Assignments.Select(a => a.RelayId));
        Assert.All(_world.Transport.Assignments, a => Assert.Equal((PackageFormat.Archive, 6), (a.Bundles.Single().PackageFormat, a.Bundles.Single().ManifestVersion)));

        _world.Transport.Assignments.Clear();
        (await Registry.UnassignAsync("prod", "scripted", Ct)).GetValueOrThrow();
        Assert.Equal(2, _world.Transport.Assignments.Count);
        Assert.All(_world.Transport.Assignments, a => Assert.Empty(a.Bundles));
    }

    [Fact]
    public async Task A_relay_added_to_a_group_gets_its_assignments_and_loses_them_when_removed()
    {
        var relay = await _world.RelayAsync("web-1");
        await _world.RelayGroupAsync("prod");
        await _world.InstallAsync(StoreWorld.Manifest(), enable: true);
        await _world.InstallAsync(StoreWorld.Manifest(name: "other", command: "run", rule: "allow"));
        (await Registry.AssignAsync("prod", "deploy", Ct)).GetValueOrThrow();
        (await Registry.AssignAsync("prod", "other", Ct)).GetValueOrThrow();
        Assert.Empty(_world.Transport.Assignments);

        (await Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();

        var published = Assert.Single(_world.Transport.Assignments);
        Assert.Equal(relay.Id, published.RelayId);
        // "other" has no enabled version, so there is nothing of it to serve.
        Assert.Equal(["deploy"], published.Bundles.Select(b => b.Name));

        (await Registry.RemoveRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        Assert.Empty(_world.Transport.Assignments[^1].Bundles);
    }

    [Fact]
    public async Task Deleting_a_relay_group_withdraws_its_bundles_from_its_relays()
    {
        await _world.RelayAsync("web-1");
        await _world.RelayGroupAsync("prod");
        await _world.InstallAsync(StoreWorld.Manifest(), enable: true);
        (await Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        (await Registry.AssignAsync("prod", "deploy", Ct)).GetValueOrThrow();

        (await Registry.DeleteRelayGroupAsync("prod", Ct)).GetValueOrThrow();

        Assert.Empty(_world.Transport.Assignments[^1].Bundles);
        Assert.Null(await Store.Relays.FindGroupByNameAsync("prod", Ct));
    }

    [Fact]
    public async Task Revisions_increase_with_every_publication_and_across_restarts()
    {
        var relay = await _world.RelayAsync("web-1");
        await _world.RelayGroupAsync("prod");
        (await Registry.AddRelayAsync("prod", "web-1", Ct)).GetValueOrThrow();
        await Registry.PublishAssignmentsAsync([relay.Id], Ct);
        await Registry.PublishAllAsync(Ct);

        var revisions = _world.Transport.Assignments.Select(a => a.Revision).ToList();
        Assert.Equal(StoreWorld.Start.ToUnixTimeMilliseconds(), revisions[0]);
        Assert.Equal([revisions[0], revisions[0] + 1, revisions[0] + 2], revisions);

        // A new server process, a moment later: its revisions continue above the old ones.
        _world.Time.Advance(TimeSpan.FromSeconds(1));
        await _world.NewRegistry().PublishAllAsync(Ct);
        Assert.True(_world.Transport.Assignments[^1].Revision > revisions[^1]);
    }

    [Fact]
    public async Task The_built_in_bundle_is_never_assigned()
    {
        await _world.RelayGroupAsync("prod");
        await _world.InstallAsync(StoreWorld.Manifest(name: Bundle.BuiltInName, command: "echo", rule: "allow"), enable: true);

        var result = await Registry.AssignAsync("prod", Bundle.BuiltInName, Ct);

        Assert.Equal((RegistryErrorKind.Protected, StoreErrors.BundleProtected(Bundle.BuiltInName)), (result.Error!.Kind, result.Error.Message));
    }

    [Fact]
    public async Task A_publication_the_transport_refuses_is_retried_with_the_next_one()
    {
        var relay = await _world.RelayAsync("web-1");
        var failing = new FailingOnceTransport(_world.Transport);
        var registry = new BundleRegistry(Store, failing, _world.Directory,
            new BundleRegistryOptions { ServerUrl = StoreWorld.ServerUrl, ScratchDirectory = _world.ScratchFolder, SkipChecks = true }, _world.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<BundleRegistry>.Instance);

        await registry.PublishAssignmentsAsync([relay.Id], Ct);
        Assert.Empty(_world.Transport.Assignments);

        await registry.PublishAssignmentsAsync([], Ct);
        Assert.Equal(relay.Id, Assert.Single(_world.Transport.Assignments).RelayId);
    }

    sealed class FailingOnceTransport(Relays.FakeRelayTransport inner) : Runtime.Relays.IRelayTransport
    {
        bool _failed;

        public ValueTask SendInvocationAsync(string relayId, InvocationRequest request, CancellationToken cancellationToken) =>
            inner.SendInvocationAsync(relayId, request, cancellationToken);

        public ValueTask SendCancelAsync(string relayId, InvocationCancel cancel, CancellationToken cancellationToken) =>
            inner.SendCancelAsync(relayId, cancel, cancellationToken);

        public ValueTask SendReceiptAsync(string relayId, InvocationReceipt receipt, CancellationToken cancellationToken) =>
            inner.SendReceiptAsync(relayId, receipt, cancellationToken);

        public ValueTask PublishAssignmentsAsync(BundleAssignments assignments, CancellationToken cancellationToken)
        {
            if (_failed)
                return inner.PublishAssignmentsAsync(assignments, cancellationToken);
            _failed = true;
            throw new Runtime.Relays.RelayTransportException("The broker is not connected.");
        }
    }
}
