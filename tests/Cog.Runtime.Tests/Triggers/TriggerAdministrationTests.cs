using Cog.Testing;
using System.Text.Json;
using Cog.Runtime.Administration;
using Cog.Runtime.Audit;
using Cog.Runtime.Tests.Bundles;
using Cog.Runtime.Triggers;

namespace Cog.Runtime.Tests.Triggers;

public sealed class TriggerAdministrationTests : IAsyncLifetime
{
    StoreWorld _world = null!;
    AuditWriter _writer = null!;
    TriggerAdministration _triggers = null!;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _world = await StoreWorld.OpenAsync();
        _writer = new AuditWriter(_world.Store.Audit, TestAuditKeys.Default);
        _triggers = new TriggerAdministration(_world.Store, new AdminAudit(_writer, _world.Time));
        await _world.UserAsync("deployer");
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _world.DisposeAsync();
    }

    Task<TriggerResult> Create(string? name = "deploy-hook", string? pipeline = "echo $body", long? timeout = 30, string? asUser = null) =>
        _triggers.CreateAsync("admin", "api", new TriggerDraft(name, pipeline, "Deploys", asUser, timeout), Ct);

    async Task<List<AuditRecord>> Records() => [.. await _world.Store.Audit.ListAsync(new AuditQuery(), Ct)];

    [Fact]
    public async Task A_valid_trigger_is_stored_and_its_creation_audited()
    {
        var created = await Create(asUser: "deployer");

        Assert.True(created.IsSuccess);
        var stored = await _world.Store.Triggers.GetAsync(created.Trigger.Id, Ct);
        Assert.Equal(created.Trigger, stored);
        Assert.Equal(("deploy-hook", "echo $body", "Deploys", "deployer", 30, true),
            (stored!.Name, stored.Pipeline, stored.Description, stored.AsUser, stored.TimeoutSeconds, stored.Enabled));
        var record = Assert.Single(await Records());
        Assert.Equal(("trigger.created", "admin", "trigger:deploy-hook", "ok"), (record.Kind, record.Actor, record.Command, record.Outcome));
        using var payload = JsonDocument.Parse(record.PayloadJson);
        Assert.Equal("api", payload.RootElement.GetProperty("origin").GetString());
        Assert.Equal(created.Trigger.Id, payload.RootElement.GetProperty("details").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_with_cogs_changeset_message()
    {
        var refused = await Create(name: "no spaces allowed", pipeline: "  ", timeout: 0, asUser: "nobody");

        Assert.Equal(TriggerErrorKind.Invalid, refused.Error);
        Assert.Equal(new Dictionary<string, string[]>
        {
            ["name"] = ["has invalid format"],
            ["pipeline"] = ["can't be blank"],
            ["timeout_sec"] = ["must be greater than 0"],
            ["as_user"] = ["does not exist"],
        }, refused.FieldErrors);
        Assert.Empty(await _world.Store.Triggers.ListAsync(Ct));
        Assert.Empty(await Records());
    }

    [Theory]
    [InlineData(null, "can't be blank")]
    [InlineData("", "can't be blank")]
    [InlineData("a/b", "has invalid format")]
    [InlineData("héllo", "has invalid format")]
    public async Task A_name_must_be_present_and_made_of_letters_digits_dot_dash_and_underscore(string? name, string message)
    {
        var refused = await Create(name: name);

        Assert.Equal([message], refused.FieldErrors!["name"]);
    }

    [Fact]
    public async Task A_negative_timeout_is_refused_and_an_empty_user_means_none()
    {
        Assert.Equal(["must be greater than 0"], (await Create(timeout: -5)).FieldErrors!["timeout_sec"]);

        var created = await Create(name: "A_b-c.9", asUser: "");
        Assert.True(created.IsSuccess);
        Assert.Null(created.Trigger.AsUser);
    }

    [Fact]
    public async Task A_taken_name_is_refused()
    {
        await Create();

        var refused = await Create();

        Assert.Equal(new Dictionary<string, string[]> { ["name"] = ["has already been taken"] }, refused.FieldErrors);
    }

    [Fact]
    public async Task An_update_by_name_changes_only_the_given_fields_and_is_audited()
    {
        var created = await Create();

        var updated = await _triggers.UpdateAsync("admin", "api", "deploy-hook",
            d => d with { Name = "release-hook", Enabled = false, AllowCrossOrigin = true }, Ct);

        Assert.True(updated.IsSuccess);
        Assert.False(created.Trigger!.AllowCrossOrigin);
        Assert.Equal(created.Trigger with { Name = "release-hook", Enabled = false, AllowCrossOrigin = true }, updated.Trigger);
        Assert.Equal(updated.Trigger, await _world.Store.Triggers.GetAsync(created.Trigger.Id, Ct));
        var record = (await Records())[^1];
        Assert.Equal(("trigger.updated", "trigger:release-hook"), (record.Kind, record.Command));
        using var payload = JsonDocument.Parse(record.PayloadJson);
        Assert.Equal("deploy-hook", payload.RootElement.GetProperty("details").GetProperty("previous_name").GetString());
        Assert.Equal("true", payload.RootElement.GetProperty("details").GetProperty("allow_cross_origin").GetString());
    }

    [Fact]
    public async Task An_invalid_update_changes_nothing()
    {
        var created = await Create();

        var refused = await _triggers.UpdateAsync("admin", "api", created.Trigger!.Id, d => d with { TimeoutSeconds = 0 }, Ct);

        Assert.Equal(["must be greater than 0"], refused.FieldErrors!["timeout_sec"]);
        Assert.Equal(created.Trigger, await _world.Store.Triggers.GetAsync(created.Trigger.Id, Ct));
    }

    [Theory]
    [InlineData("not a name", TriggerErrorKind.BadId, "Bad ID format")]
    [InlineData("missing", TriggerErrorKind.NotFound, "Trigger not found")]
    [InlineData("0b7e2a4c-9d1e-4f5a-8b6c-1d2e3f4a5b6c", TriggerErrorKind.NotFound, "Trigger not found")]
    public async Task Unknown_and_malformed_ids_are_told_apart(string key, TriggerErrorKind kind, string message)
    {
        foreach (var result in new[]
        {
            await _triggers.FindAsync(key, Ct),
            await _triggers.UpdateAsync("admin", "api", key, d => d, Ct),
            await _triggers.DeleteAsync("admin", "api", key, Ct),
        })
        {
            Assert.Equal((kind, message), (result.Error, result.Message));
        }
    }

    [Fact]
    public async Task A_trigger_is_found_by_id_in_any_case_or_by_name_and_deleted_with_an_audit_record()
    {
        var created = await Create();
        Assert.Equal(created.Trigger, (await _triggers.FindAsync(created.Trigger!.Id.ToUpperInvariant(), Ct)).Trigger);
        Assert.Equal(created.Trigger, (await _triggers.FindAsync("deploy-hook", Ct)).Trigger);

        var deleted = await _triggers.DeleteAsync("admin", "api", "deploy-hook", Ct);

        Assert.Equal(created.Trigger, deleted.Trigger);
        Assert.Equal(TriggerErrorKind.NotFound, (await _triggers.FindAsync(created.Trigger.Id, Ct)).Error);
        Assert.Equal(("trigger.deleted", "trigger:deploy-hook"), ((await Records())[^1].Kind, (await Records())[^1].Command));
    }

    [Fact]
    public async Task The_list_is_every_trigger_by_name_or_the_one_named()
    {
        await Create(name: "b");
        await Create(name: "a");

        Assert.Equal(["a", "b"], (await _triggers.ListAsync(null, Ct)).Select(t => t.Name));
        Assert.Equal(["b"], (await _triggers.ListAsync("b", Ct)).Select(t => t.Name));
        Assert.Empty(await _triggers.ListAsync("c", Ct));
    }
}
