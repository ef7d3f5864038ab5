using System.Text;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Relays;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Administration;

public sealed class RelayAdministrationTests : IAsyncLifetime
{
    AdminWorld _admin = null!;

    static CancellationToken Ct => AdminWorld.Ct;

    RelayAdministration Relays => _admin.Relays;

    StoredRelayCredentials Credentials => new(_admin.World.Store.Relays);

    public async ValueTask InitializeAsync() => _admin = await AdminWorld.OpenAsync();

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task A_relay_without_a_token_gets_one_that_is_stored_only_as_a_hash_and_never_recorded()
    {
        var created = (await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Enabled: true), Ct)).GetValueOrThrow();

        var token = created.GeneratedToken!;
        var credential = (await Credentials.FindAsync(created.Relay.Relay.Id, Ct))!;
        Assert.True(RelayToken.Verify(token, credential.TokenHash));
        Assert.True(credential.Enabled);
        Assert.DoesNotContain(token, created.Relay.Relay.TokenHash, StringComparison.Ordinal);
        var record = Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayCreated));
        Assert.Equal("relay:web-7", record.Command);
        Assert.DoesNotContain(token, record.PayloadJson, StringComparison.Ordinal);
        Assert.DoesNotContain(credential.TokenHash, record.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_the_brokers_relay_logins_refuse_is_not_made_in_cog_either()
    {
        var accounts = new RefusingAccounts();
        var relays = new RelayAdministration(_admin.World.Store, _admin.World.Registry, new AdminAudit(_admin.Writer, _admin.World.Time),
            _admin.Changes, _admin.World.Time, accounts);
        var existing = (await relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Token: "old-token", Enabled: true), Ct)).GetValueOrThrow().Relay.Relay;
        accounts.Refuse = true;

        var created = await relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-8", Enabled: true), Ct);
        var updated = await relays.UpdateAsync(AdminWorld.Alice, "web-7", new RelayChanges(Token: "new-token"), Ct);
        var deleted = await relays.DeleteAsync(AdminWorld.Alice, "web-7", Ct);

        foreach (var refused in new[] { created.Error, updated.Error, deleted.Error })
            Assert.Equal(RegistryErrorKind.Unavailable, refused?.Kind);
        Assert.StartsWith("The broker's login for relay ", created.Error!.Message, StringComparison.Ordinal);
        Assert.EndsWith("so nothing was changed: the plugin refused", created.Error.Message, StringComparison.Ordinal);
        Assert.Equal(["web-7"], (await _admin.World.Store.Relays.ListAsync(Ct)).Select(static r => r.Name));
        var credential = (await Credentials.FindAsync(existing.Id, Ct))!;
        Assert.True(RelayToken.Verify("old-token", credential.TokenHash));
    }

    /// <summary>An external broker's relay logins that accept until told to refuse.</summary>
    sealed class RefusingAccounts : IRelayAccounts
    {
        public bool Refuse { get; set; }

        public Task RelaySavedAsync(string relayId, string? token, bool enabled, CancellationToken cancellationToken) => Answer();

        public Task RelayDeletedAsync(string relayId, CancellationToken cancellationToken) => Answer();

        Task Answer() => Refuse ? Task.FromException(new InvalidOperationException("the plugin refused")) : Task.CompletedTask;
    }

    [Fact]
    public async Task An_operator_chosen_id_is_lower_cased_and_the_relay_is_disabled_by_default()
    {
        var created = (await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Id: "0190A4B2-0000-7000-8000-00000000ABCD", Token: "secret"), Ct))
            .GetValueOrThrow();

        Assert.Equal("0190a4b2-0000-7000-8000-00000000abcd", created.Relay.Relay.Id);
        Assert.False(created.Relay.Relay.Enabled);
        Assert.Null(created.GeneratedToken);
    }

    [Theory]
    [InlineData(" ", null, null, "name", "can't be blank")]
    [InlineData("\u0000", null, null, "name", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("web 7", null, null, "name", "may contain only letters, digits, '-', '_' and '.', and must start with a letter or digit")]
    [InlineData("web-7", "Web_7!", null, "id", "'Web_7!' is not a valid relay id: use 1 to 64 characters from a-z, 0-9 and '-'.")]
    [InlineData("web-7", null, "", "token", "can't be blank")]
    public async Task Invalid_relays_are_refused_naming_the_field(string name, string? id, string? token, string field, string message)
    {
        var result = await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation(name, id, token), Ct);

        Assert.Equal((RegistryErrorKind.Invalid, field, message), (result.Error!.Kind, result.Error.Field, result.Error.Message));
    }

    [Fact]
    public async Task A_taken_name_is_a_duplicate()
    {
        await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7"), Ct);

        var again = await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7"), Ct);

        Assert.Equal((RegistryErrorKind.Duplicate, "Relay 'web-7' already exists"), (again.Error!.Kind, again.Error.Message));
    }

    [Fact]
    public async Task A_relay_created_in_a_group_gets_its_assignments_published()
    {
        (await _admin.Bundles.InstallAsync(AdminWorld.Alice, Encoding.UTF8.GetBytes(StoreWorld.Manifest()), false, true, Ct)).GetValueOrThrow();
        await _admin.World.RelayGroupAsync("prod");
        (await _admin.RelayGroups.AssignBundlesAsync(AdminWorld.Alice, "prod", ["deploy"], Ct)).GetValueOrThrow();
        var relaysChanged = _admin.Changes.Relays;

        var created = (await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Groups: ["prod"], Enabled: true), Ct)).GetValueOrThrow();

        Assert.Equal(["prod"], created.Relay.Groups.Select(g => g.Name));
        var published = _admin.World.Transport.Assignments.Last(a => a.RelayId == created.Relay.Relay.Id);
        Assert.Equal(["deploy"], published.Bundles.Select(b => b.Name));
        Assert.Equal(relaysChanged + 1, _admin.Changes.Relays);
    }

    [Fact]
    public async Task A_new_token_replaces_the_old_one_at_once()
    {
        var created = (await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Token: "old-token", Enabled: true), Ct)).GetValueOrThrow();

        (await Relays.UpdateAsync(AdminWorld.Alice, "web-7", new RelayChanges(Token: "new-token"), Ct)).GetValueOrThrow();

        var credential = (await Credentials.FindAsync(created.Relay.Relay.Id, Ct))!;
        Assert.False(RelayToken.Verify("old-token", credential.TokenHash));
        Assert.True(RelayToken.Verify("new-token", credential.TokenHash));
        var record = Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayUpdated));
        Assert.Equal("replaced", AdminWorld.Details(record)["token"]);
        Assert.DoesNotContain("new-token", record.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_relay_is_refused_by_its_credentials_and_an_enabled_one_admitted()
    {
        var created = (await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Enabled: true), Ct)).GetValueOrThrow();

        (await Relays.DisableAsync(AdminWorld.Alice, created.Relay.Relay.Id, Ct)).GetValueOrThrow();
        var disabled = await Credentials.FindAsync(created.Relay.Relay.Id, Ct);
        (await Relays.EnableAsync(AdminWorld.Alice, "web-7", Ct)).GetValueOrThrow();
        var enabled = await Credentials.FindAsync(created.Relay.Relay.Id, Ct);

        Assert.False(disabled!.Enabled);
        Assert.True(enabled!.Enabled);
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayDisabled));
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayEnabled));
    }

    [Fact]
    public async Task A_deleted_relay_has_no_credentials_and_its_assignments_are_cleared()
    {
        var created = (await Relays.CreateAsync(AdminWorld.Alice, new RelayCreation("web-7", Enabled: true), Ct)).GetValueOrThrow();

        (await Relays.DeleteAsync(AdminWorld.Alice, "web-7", Ct)).GetValueOrThrow();

        Assert.Null(await Credentials.FindAsync(created.Relay.Relay.Id, Ct));
        Assert.Empty(_admin.World.Transport.Assignments.Last(a => a.RelayId == created.Relay.Relay.Id).Bundles);
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RelayDeleted));
        var missing = await Relays.InfoAsync("web-7", Ct);
        Assert.Equal((RegistryErrorKind.NotFound, "Relay 'web-7' does not exist"), (missing.Error!.Kind, missing.Error.Message));
    }
}
