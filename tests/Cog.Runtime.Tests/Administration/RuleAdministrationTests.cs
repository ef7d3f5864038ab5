using System.Text;
using Cog.Runtime.Administration;
using Cog.Runtime.Authorization;
using Cog.Runtime.Bundles;
using Cog.Runtime.Identity;
using Cog.Runtime.Storage;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Administration;

public sealed class RuleAdministrationTests : IAsyncLifetime
{
    AdminWorld _admin = null!;

    static CancellationToken Ct => AdminWorld.Ct;

    RuleAdministration Rules => _admin.Rules;

    public async ValueTask InitializeAsync()
    {
        _admin = await AdminWorld.OpenAsync();
        (await _admin.Bundles.InstallAsync(AdminWorld.Alice, Encoding.UTF8.GetBytes(StoreWorld.Manifest()), false, true, Ct)).GetValueOrThrow();
        (await _admin.Bundles.InstallAsync(AdminWorld.Alice, Encoding.UTF8.GetBytes(StoreWorld.Manifest("other", rule: "must have other:release")), false, true, Ct)).GetValueOrThrow();
        (await _admin.World.Store.Permissions.CreateSiteAsync(new Permission(StoreId.New(), "site", "ops", null), Ct)).GetValueOrThrow();
    }

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    [Fact]
    public async Task A_rule_is_stored_in_canonical_form_as_a_site_rule_recorded_and_announced()
    {
        var catalogBefore = _admin.Changes.Catalog;

        var rule = (await Rules.CreateAsync(AdminWorld.Alice, "when command is deploy:release with arg[0] == 'prod'   must have site:ops", Ct)).GetValueOrThrow();

        Assert.Equal(("deploy:release", "when command is deploy:release with arg[0] == 'prod' must have site:ops"), (rule.Command, rule.Rule.Text));
        Assert.True(rule.Rule.Site);
        Assert.Equal(catalogBefore + 1, _admin.Changes.Catalog);
        var record = Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RuleCreated));
        Assert.Equal("rule:" + rule.Rule.Id, record.Command);
        Assert.Equal(rule.Rule.Text, AdminWorld.Details(record)["rule"]);
    }

    [Fact]
    public async Task The_shorthand_builds_a_must_have_rule()
    {
        var rule = (await Rules.CreateAsync(AdminWorld.Alice, "deploy:release", "site:ops", Ct)).GetValueOrThrow();

        Assert.Equal("when command is deploy:release must have site:ops", rule.Rule.Text);
    }

    [Theory]
    [InlineData("this is totally not a valid rule", "Could not create rule: \"(Line: 1, Col: 1) syntax error before: \\\"this\\\".\"")]
    [InlineData("when command is not_really:a_command allow", "Could not create rule: Unrecognized command \"not_really:a_command\"")]
    [InlineData("when command is deploy:release must have site:permission", "Could not create rule: Unrecognized permission \"site:permission\"")]
    [InlineData("when command is deploy:release must have other:release", "Could not create rule with permission outside of command bundle or the \"site\" namespace")]
    public async Task Bad_rules_are_refused_with_cog_messages(string text, string message)
    {
        var result = await Rules.CreateAsync(AdminWorld.Alice, text, Ct);

        Assert.Equal((RegistryErrorKind.Invalid, message), (result.Error!.Kind, result.Error.Message));
        Assert.Empty(await _admin.AuditAsync(AdminAuditKinds.RuleCreated));
    }

    [Fact]
    public async Task Listing_gives_the_applicable_rules_and_refuses_unknown_or_disabled_commands()
    {
        await Rules.CreateAsync(AdminWorld.Alice, "deploy:release", "site:ops", Ct);

        var list = (await Rules.ListAsync("deploy:release", Ct)).GetValueOrThrow();
        var unknown = await Rules.ListAsync("deploy:nope", Ct);
        await _admin.Bundles.DisableAsync(AdminWorld.Alice, "deploy", Ct);
        var disabled = await Rules.ListAsync("deploy:release", Ct);

        Assert.Equal(2, list.Count);
        Assert.Equal((RegistryErrorKind.Invalid, "Command deploy:nope not found"), (unknown.Error!.Kind, unknown.Error.Message));
        Assert.Equal((RegistryErrorKind.NotFound, "Command deploy:release not currently enabled; try enabling a bundle version first"),
            (disabled.Error!.Kind, disabled.Error.Message));
    }

    [Fact]
    public async Task Deleting_a_site_rule_deletes_it_and_deleting_a_bundle_rule_disables_it()
    {
        var site = (await Rules.CreateAsync(AdminWorld.Alice, "deploy:release", "site:ops", Ct)).GetValueOrThrow();
        var bundleRule = (await Rules.ListAsync("deploy:release", Ct)).GetValueOrThrow().Single(r => !r.Rule.Site);

        var deleted = (await Rules.DeleteAsync(AdminWorld.Alice, [site.Rule.Id, bundleRule.Rule.Id], Ct)).GetValueOrThrow();

        Assert.Equal([RuleDeletion.Deleted, RuleDeletion.Disabled], deleted.Select(d => d.Deletion));
        Assert.Empty((await Rules.ListAsync("deploy:release", Ct)).GetValueOrThrow());
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RuleDeleted));
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.RuleDisabled));
    }

    [Fact]
    public async Task Unknown_and_malformed_rule_ids_are_reported_and_nothing_is_deleted()
    {
        var site = (await Rules.CreateAsync(AdminWorld.Alice, "deploy:release", "site:ops", Ct)).GetValueOrThrow();
        const string a = "0190a4b2-0000-7000-8000-000000000001";
        const string b = "0190a4b2-0000-7000-8000-000000000002";

        var one = await Rules.DeleteAsync(AdminWorld.Alice, [site.Rule.Id, a], Ct);
        var two = await Rules.DeleteAsync(AdminWorld.Alice, [a, b], Ct);
        var bad = await Rules.InfoAsync("nope", Ct);

        Assert.Equal((RegistryErrorKind.NotFound, $"Rule \"{a}\" could not be found"), (one.Error!.Kind, one.Error.Message));
        Assert.Equal($"Rules \"{a}\", \"{b}\" could not be found", two.Error!.Message);
        Assert.Equal([a, b], two.Error.Missing);
        Assert.Equal((RegistryErrorKind.Invalid, "Invalid UUID \"nope\""), (bad.Error!.Kind, bad.Error.Message));
        Assert.True((await Rules.InfoAsync(site.Rule.Id, Ct)).IsSuccess);
    }

    [Fact]
    public async Task Updating_replaces_the_rule_with_a_new_site_rule()
    {
        var site = (await Rules.CreateAsync(AdminWorld.Alice, "deploy:release", "site:ops", Ct)).GetValueOrThrow();

        var updated = (await Rules.UpdateAsync(AdminWorld.Alice, site.Rule.Id, "when command is deploy:release allow", Ct)).GetValueOrThrow();

        Assert.Equal("when command is deploy:release allow", updated.Rule.Text);
        Assert.False((await Rules.InfoAsync(site.Rule.Id, Ct)).IsSuccess);
    }
}
