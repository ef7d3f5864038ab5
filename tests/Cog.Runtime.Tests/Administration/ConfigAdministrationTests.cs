using System.Text;
using Cog.Runtime.Administration;
using Cog.Runtime.Bundles;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Administration;

public sealed class ConfigAdministrationTests : IAsyncLifetime
{
    AdminWorld _admin = null!;

    static CancellationToken Ct => AdminWorld.Ct;

    ConfigAdministration Config => _admin.Config;

    public async ValueTask InitializeAsync()
    {
        _admin = await AdminWorld.OpenAsync();
        (await _admin.Bundles.InstallAsync(AdminWorld.Alice, Encoding.UTF8.GetBytes(StoreWorld.Manifest()), false, true, Ct)).GetValueOrThrow();
    }

    public async ValueTask DisposeAsync() => await _admin.DisposeAsync();

    [Theory]
    [InlineData("base", "base")]
    [InlineData("config", "base")]
    [InlineData("Room/Ops", "room/ops")]
    [InlineData("user/Alice", "user/alice")]
    [InlineData("room/", null)]
    [InlineData("room/a/b", null)]
    [InlineData("team/ops", null)]
    public void Layer_names_are_normalized_or_refused(string layer, string? normalized) =>
        Assert.Equal(normalized, ConfigAdministration.NormalizeLayer(layer));

    [Fact]
    public async Task A_layer_is_stored_lower_case_recorded_without_its_values_and_announced()
    {
        var stored = (await Config.SetAsync(AdminWorld.Alice, "deploy", "room/Ops", """{"API_KEY":"s3cret"}""", Ct)).GetValueOrThrow();

        Assert.Equal(("room", "ops", "room/ops"), (stored.Kind, stored.Name, stored.Layer.Layer));
        Assert.Equal(1, _admin.Changes.Config);
        var record = Assert.Single(await _admin.AuditAsync(AdminAuditKinds.ConfigLayerSet));
        Assert.Equal("config:deploy/room/ops", record.Command);
        Assert.DoesNotContain("s3cret", record.PayloadJson, StringComparison.Ordinal);
        Assert.Equal(["room/ops"], (await Config.ListAsync("deploy", Ct)).GetValueOrThrow().Select(l => l.Layer.Layer));
    }

    [Fact]
    public async Task Bad_layers_and_configurations_are_refused()
    {
        var layer = await Config.SetAsync(AdminWorld.Alice, "deploy", "team/ops", "{}", Ct);
        var notMap = await Config.SetAsync(AdminWorld.Alice, "deploy", "base", "[1, 2]", Ct);
        var bundle = await Config.SetAsync(AdminWorld.Alice, "nope", "base", "{}", Ct);

        Assert.Equal((RegistryErrorKind.Invalid, "Must specify layer as 'base', 'room/$NAME', or 'user/$NAME'"), (layer.Error!.Kind, layer.Error.Message));
        Assert.Equal((RegistryErrorKind.Invalid, "The configuration must be a map of names to values."), (notMap.Error!.Kind, notMap.Error.Message));
        Assert.Equal((RegistryErrorKind.NotFound, "Bundle 'nope' does not exist"), (bundle.Error!.Kind, bundle.Error.Message));
    }

    [Fact]
    public async Task Deleting_a_missing_layer_is_reported_and_a_present_one_is_recorded()
    {
        await Config.SetAsync(AdminWorld.Alice, "deploy", "base", """{"A":"1"}""", Ct);

        var missing = await Config.DeleteAsync(AdminWorld.Alice, "deploy", "user/bob", Ct);
        var deleted = await Config.DeleteAsync(AdminWorld.Alice, "deploy", null, Ct);

        Assert.Equal((RegistryErrorKind.NotFound, "Layer 'user/bob' not found for bundle 'deploy'"), (missing.Error!.Kind, missing.Error.Message));
        Assert.Equal("base", deleted.GetValueOrThrow().Layer.Layer);
        Assert.Single(await _admin.AuditAsync(AdminAuditKinds.ConfigLayerDeleted));
        Assert.Empty((await Config.ListAsync("deploy", Ct)).GetValueOrThrow());
    }
}
