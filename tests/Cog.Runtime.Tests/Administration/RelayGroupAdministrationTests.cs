using System.Text;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Administration;

public sealed class RelayGroupAdministrationTests : IAsyncLifetime
{
    AdminWorld _admin = null!;

    static CancellationToken Ct => AdminWorld.Ct;

    RelayGroupAdministration Groups => _admin.RelayGroups;

    public async ValueTask InitializeAsync()
    {
        _admin = await AdminWorld.OpenAsync();
        (await _admin.Bundles.InstallAsync(AdminWorld.Alice, Encoding.UTF8.GetBytes(StoreWorld.Manifest()), false, true, Ct)).GetValueOrThrow();
    }

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task A_group_is_created_with_its_relays_and_recorded()
    {
        var relay = await _admin.World.RelayAsync("web-7");

        var group = (await Groups.CreateAsync(AdminWorld.Alice, "prod", "Production", ["web-7"], Ct)).GetValueOrThrow();

        Assert.Equal(("prod", "Production"), (group.Group.Name, group.Group.Description));
        Assert.Equal([relay.Id], group.Relays.Select(r => r.Id));
        Assert.Equal("relay_group:prod", Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayGroupCreated)).Command);
    }

    [Fact]
    public async Task Unknown_relays_are_all_listed_and_nothing_changes()
    {
        await _admin.World.RelayAsync("web-7");
        await _admin.World.RelayGroupAsync("prod");

        var result = await Groups.AddRelaysAsync(AdminWorld.Alice, "prod", ["web-7", "web-8", "web-9"], Ct);

        Assert.Equal((RegistryErrorKind.NotFound, "Some relays could not be found: 'web-8, web-9'"), (result.Error!.Kind, result.Error.Message));
        Assert.Equal(["web-8", "web-9"], result.Error.Missing);
        Assert.Empty((await Groups.InfoAsync("prod", Ct)).GetValueOrThrow().Relays);
    }

    [Fact]
    public async Task Assigning_a_bundle_publishes_it_to_the_groups_relays()
    {
        var relay = await _admin.World.RelayAsync("web-7");
        await Groups.CreateAsync(AdminWorld.Alice, "prod", null, ["web-7"], Ct);

        var group = (await Groups.AssignBundlesAsync(AdminWorld.Alice, "prod", ["deploy"], Ct)).GetValueOrThrow();

        Assert.Equal(["deploy"], group.Bundles.Select(b => b.Name));
        Assert.Equal(["deploy"], _admin.World.Transport.Assignments.Last(a => a.RelayId == relay.Id).Bundles.Select(b => b.Name));
        var record = Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayGroupBundleAssigned));
        Assert.Equal("deploy", AdminWorld.Details(record)["bundle"]);

        (await Groups.RemoveRelaysAsync(AdminWorld.Alice, "prod", [relay.Id], Ct)).GetValueOrThrow();
        Assert.Empty(_admin.World.Transport.Assignments.Last(a => a.RelayId == relay.Id).Bundles);
    }

    [Fact]
    public async Task Unknown_bundles_and_groups_are_reported()
    {
        await _admin.World.RelayGroupAsync("prod");

        var bundles = await Groups.AssignBundlesAsync(AdminWorld.Alice, "prod", ["nope"], Ct);
        var group = await Groups.AssignBundlesAsync(AdminWorld.Alice, "staging", ["deploy"], Ct);

        Assert.Equal("Some bundles could not be found: 'nope'", bundles.Error!.Message);
        Assert.Equal((RegistryErrorKind.NotFound, "Relay group 'staging' does not exist"), (group.Error!.Kind, group.Error.Message));
    }

    [Fact]
    public async Task Renaming_to_a_taken_name_is_a_duplicate_and_a_rename_is_recorded()
    {
        await _admin.World.RelayGroupAsync("prod");
        await _admin.World.RelayGroupAsync("staging");

        var taken = await Groups.RenameAsync(AdminWorld.Alice, "prod", "staging", Ct);
        var renamed = await Groups.RenameAsync(AdminWorld.Alice, "prod", "production", Ct);

        Assert.Equal(RegistryErrorKind.Duplicate, taken.Error!.Kind);
        Assert.Equal("production", renamed.GetValueOrThrow().Group.Name);
        Assert.Equal("prod", AdminWorld.Details(Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayGroupUpdated)))["previous_name"]);
    }

    [Fact]
    public async Task Deleting_a_group_clears_its_relays_assignments()
    {
        var relay = await _admin.World.RelayAsync("web-7");
        await Groups.CreateAsync(AdminWorld.Alice, "prod", null, ["web-7"], Ct);
        await Groups.AssignBundlesAsync(AdminWorld.Alice, "prod", ["deploy"], Ct);

        (await Groups.DeleteAsync(AdminWorld.Alice, "prod", Ct)).GetValueOrThrow();

        Assert.Empty(_admin.World.Transport.Assignments.Last(a => a.RelayId == relay.Id).Bundles);
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayGroupDeleted));
    }
}
