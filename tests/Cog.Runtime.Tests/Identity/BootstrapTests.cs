using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Identity;

namespace Cog.Runtime.Tests.Identity;

public class BootstrapTests
{
    static CancellationToken Ct => IdentityWorld.Ct;

    static BootstrapOptions Environment() => new()
    {
        Username = "ops", Password = "s3cret", EmailAddress = "ops@example.com", FirstName = "Op", LastName = "Erator",
    };

    [Fact]
    public async Task Bootstrap_with_defaults_creates_the_admin_the_role_with_every_operable_permission_and_the_group()
    {
        await using var world = await IdentityWorld.OpenAsync();
        Assert.False(await world.Bootstrap.IsBootstrappedAsync(Ct));

        var credentials = (await world.Bootstrap.BootstrapAsync(null, AdminActor.Api(null), Ct)).GetValueOrThrow();

        Assert.True(await world.Bootstrap.IsBootstrappedAsync(Ct));
        Assert.Equal("admin", credentials.Username);
        Assert.Equal(32, credentials.Password.Length);
        Assert.DoesNotContain(';', credentials.Password);
        Assert.DoesNotContain('#', credentials.Password);
        var admin = await world.Store.Users.FindByUsernameAsync("admin", Ct);
        Assert.NotNull(admin);
        Assert.Equal(("Cog", "Administrator", "cog@localhost"), (admin.FirstName, admin.LastName, admin.EmailAddress));
        Assert.True(world.Passwords.Verify(credentials.Password, admin.PasswordHash));
        var operable = (await world.Store.Permissions.ListAsync("operable", Ct)).Select(static p => p.FullName).ToArray();
        Assert.Contains("operable:manage_users", operable);
        Assert.Contains("operable:view_audit", operable);
        Assert.Equal(operable, await world.Store.Roles.ListUserPermissionsAsync(admin.Id, Ct));
        var group = (await world.Groups.GetAsync("cog-admin", Ct)).GetValueOrThrow();
        Assert.Equal(["admin"], group.Members.Select(static m => m.Username));
        Assert.Equal(["cog-admin"], group.Roles.Select(static r => r.Name));
        Assert.Equal(1, world.Changes.Grants);
    }

    [Fact]
    public async Task Given_fields_are_used_and_the_change_is_audited_without_the_password()
    {
        await using var world = await IdentityWorld.OpenAsync();

        var credentials = (await world.Bootstrap.BootstrapAsync(new UserFields("root", "root@example.com", null, null, "pa55word"),
            AdminActor.Api(null), Ct)).GetValueOrThrow();

        Assert.Equal(new BootstrapCredentials("root", "pa55word"), credentials);
        var record = Assert.Single(await world.AuditAsync("bootstrap.completed"));
        Assert.Null(record.Actor);
        Assert.Equal("user:root", record.Command);
        Assert.DoesNotContain("pa55word", record.PayloadJson, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(record.PayloadJson);
        Assert.Equal("api", payload.RootElement.GetProperty("origin").GetString());
        Assert.Equal("cog-admin", payload.RootElement.GetProperty("details").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_second_bootstrap_is_locked_and_changes_nothing()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();

        var again = await world.Bootstrap.BootstrapAsync(new UserFields("eve"), AdminActor.Api(null), Ct);

        Assert.Equal(AdminErrorKind.Locked, again.Error?.Kind);
        Assert.Equal("Already bootstrapped", again.Error?.Message);
        Assert.Null(await world.Store.Users.FindByUsernameAsync("eve", Ct));
    }

    [Fact]
    public async Task Concurrent_bootstraps_make_one_administrator()
    {
        await using var world = await IdentityWorld.OpenAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            world.Bootstrap.BootstrapAsync(new UserFields("admin" + i, $"admin{i}@example.com"), AdminActor.Api(null), Ct)));

        Assert.Single(results, static r => r.IsSuccess);
        Assert.All(results.Where(static r => !r.IsSuccess), static r => Assert.Equal(AdminErrorKind.Locked, r.Error!.Kind));
        Assert.Single((await world.Groups.GetAsync("cog-admin", Ct)).GetValueOrThrow().Members);
    }

    [Fact]
    public async Task Without_the_operable_permissions_bootstrap_fails_and_leaves_nothing()
    {
        await using var world = await IdentityWorld.OpenAsync(operable: false);

        var result = await world.Bootstrap.BootstrapAsync(null, AdminActor.Api(null), Ct);

        Assert.Equal(AdminErrorKind.Refused, result.Error?.Kind);
        Assert.Equal("Cannot bootstrap: the operable bundle's permissions are not installed", result.Error?.Message);
        Assert.False(await world.Bootstrap.IsBootstrappedAsync(Ct));
        Assert.Empty(await world.Store.Users.ListAsync(Ct));
        Assert.Empty(await world.Store.Roles.ListAsync(Ct));
    }

    [Fact]
    public async Task A_blank_or_malformed_username_is_a_field_error()
    {
        await using var world = await IdentityWorld.OpenAsync();

        var result = await world.Bootstrap.BootstrapAsync(new UserFields("two words"), AdminActor.Api(null), Ct);

        Assert.Equal(AdminErrorKind.Invalid, result.Error?.Kind);
        Assert.Equal(["may contain only letters, digits, '-', '_', '.', '@' and '+', and must start with a letter or digit"], result.Error!.Fields!["username"]);
    }

    [Fact]
    public async Task The_environment_bootstrap_adds_the_chat_handle_and_the_default_relay_and_relay_group()
    {
        await using var world = await IdentityWorld.OpenAsync();
        var options = Environment();
        options.ChatHandle = new BootstrapChatHandle { Provider = "Slack", Handle = "ada" };
        options.RelayId = "0e3f6a52-5b5a-4a3c-9d5e-0a0d7e1c2b3a";
        options.RelayToken = "relay-token";

        var result = await world.Bootstrap.BootstrapFromEnvironmentAsync(options, Ct);

        Assert.Equal(new BootstrapCredentials("ops", "s3cret"), result?.GetValueOrThrow());
        var ops = (await world.Users.GetAsync("ops", Ct)).GetValueOrThrow();
        Assert.Equal(("Op", "Erator", "ops@example.com"), (ops.User.FirstName, ops.User.LastName, ops.User.EmailAddress));
        var handle = Assert.Single(ops.ChatHandles);
        Assert.Equal(("slack", "ada", "U0ADA"), (handle.Provider, handle.Handle, handle.ProviderUserId));
        var relay = await world.Store.Relays.GetAsync(options.RelayId, Ct);
        Assert.NotNull(relay);
        Assert.Equal("default", relay.Name);
        Assert.True(relay.Enabled);
        Assert.True(Cog.Runtime.Relays.RelayToken.Verify("relay-token", relay.TokenHash));
        var group = await world.Store.Relays.FindGroupByNameAsync("default", Ct);
        Assert.Equal([relay.Id], (await world.Store.Relays.ListMembersAsync(group!.Id, Ct)).Select(static r => r.Id));
        Assert.Equal((1, 1), (world.Changes.Grants, world.Changes.Relays));
        Assert.Single(await world.AuditAsync("bootstrap.completed"), static r => r.Actor is null && r.PayloadJson.Contains("\"system\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_environment_bootstrap_does_nothing_when_incomplete_or_already_done()
    {
        await using var world = await IdentityWorld.OpenAsync();
        var incomplete = Environment();
        incomplete.LastName = null;

        Assert.Null(await world.Bootstrap.BootstrapFromEnvironmentAsync(incomplete, Ct));
        Assert.False(await world.Bootstrap.IsBootstrappedAsync(Ct));

        Assert.True((await world.Bootstrap.BootstrapFromEnvironmentAsync(Environment(), Ct))!.Value.IsSuccess);
        Assert.Null(await world.Bootstrap.BootstrapFromEnvironmentAsync(Environment(), Ct));
    }

    [Fact]
    public async Task An_unknown_chat_provider_in_the_environment_fails_the_bootstrap_and_leaves_nothing()
    {
        await using var world = await IdentityWorld.OpenAsync();
        var options = Environment();
        options.ChatHandle = new BootstrapChatHandle { Provider = "hipchat", Handle = "ada" };

        var result = await world.Bootstrap.BootstrapFromEnvironmentAsync(options, Ct);

        Assert.Equal("Unknown chat provider 'hipchat'", result?.Error?.Message);
        Assert.False(await world.Bootstrap.IsBootstrappedAsync(Ct));
        Assert.Empty(await world.Store.Users.ListAsync(Ct));
    }

    [Fact]
    public async Task A_relay_id_that_is_not_a_relay_id_fails_the_environment_bootstrap()
    {
        await using var world = await IdentityWorld.OpenAsync();
        var options = Environment();
        options.RelayId = "not a/relay";
        options.RelayToken = "t";

        var result = await world.Bootstrap.BootstrapFromEnvironmentAsync(options, Ct);

        Assert.Equal(["has invalid format"], result?.Error?.Fields?["relay_id"]);
        Assert.False(await world.Bootstrap.IsBootstrappedAsync(Ct));
    }

    [Fact]
    public void Generated_passwords_differ_and_avoid_semicolons_and_hashes()
    {
        var passwords = Enumerable.Range(0, 50).Select(static _ => Bootstrap.GeneratePassword()).ToArray();

        Assert.Equal(50, passwords.Distinct().Count());
        Assert.All(passwords, static p => Assert.True(p.Length == 32 && !p.Contains(';', StringComparison.Ordinal) && !p.Contains('#', StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_operable_permission_added_by_an_upgrade_is_granted_to_cog_admin_at_start()
    {
        await using var world = await (await IdentityWorld.OpenAsync()).BootstrappedAsync();
        var role = await world.Store.Roles.FindByNameAsync("cog-admin", Ct);
        var added = await world.Store.Permissions.FindAsync("operable", "manage_site_aliases", Ct);
        // An installation bootstrapped before the built-in bundle declared the permission.
        (await world.Store.Roles.RevokePermissionAsync(role!.Id, added!.Id, Ct)).GetValueOrThrow();

        (await world.Roles.GrantOperablePermissionsToAdminAsync(Ct))!.Value.GetValueOrThrow();

        var admin = await world.Store.Users.FindByUsernameAsync("admin", Ct);
        Assert.Contains("operable:manage_site_aliases", await world.Store.Roles.ListUserPermissionsAsync(admin!.Id, Ct));
        var granted = Assert.Single(await world.Store.Audit.ListAsync(new Cog.Runtime.Audit.AuditQuery(Kind: "role.permission_granted", Limit: 10), Ct));
        Assert.Contains("operable:manage_site_aliases", granted.PayloadJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Granting_operable_permissions_before_bootstrap_does_nothing()
    {
        await using var world = await IdentityWorld.OpenAsync();

        Assert.Null(await world.Roles.GrantOperablePermissionsToAdminAsync(Ct));
    }
}
