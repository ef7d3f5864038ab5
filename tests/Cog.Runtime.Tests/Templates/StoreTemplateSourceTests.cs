using Cog.Runtime.Templates;
using Cog.Runtime.Tests.Bundles;

namespace Cog.Runtime.Tests.Templates;

public sealed class StoreTemplateSourceTests : IAsyncLifetime
{
    StoreWorld _world = null!;

    public async ValueTask InitializeAsync() => _world = await StoreWorld.OpenAsync();

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    static string WithTemplate(string body) => StoreWorld.Manifest() + $"""

        templates:
          release:
            body: "{body}"

        """;

    [Fact]
    public async Task A_version_deleted_and_installed_again_with_another_template_shows_the_new_template_at_once()
    {
        var source = new StoreTemplateSource(_world.Store);
        var first = await _world.InstallAsync(WithTemplate("old ~$item~"));
        Assert.Equal("old ~$item~", (await source.FindAsync("deploy", "1.0.0", StoreWorld.Ct))!.Find("release")!.Value.Source);

        (await _world.Registry.UninstallAsync("deploy", "1.0.0", StoreWorld.Ct)).GetValueOrThrow();
        var second = await _world.InstallAsync(WithTemplate("new ~$item~"));

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("new ~$item~", (await source.FindAsync("deploy", "1.0.0", StoreWorld.Ct))!.Find("release")!.Value.Source);
    }

    [Fact]
    public async Task A_deleted_version_has_no_templates()
    {
        var source = new StoreTemplateSource(_world.Store);
        await _world.InstallAsync(WithTemplate("old"));
        Assert.NotNull(await source.FindAsync("deploy", "1.0.0", StoreWorld.Ct));

        (await _world.Registry.UninstallAsync("deploy", "1.0.0", StoreWorld.Ct)).GetValueOrThrow();

        Assert.Null(await source.FindAsync("deploy", "1.0.0", StoreWorld.Ct));
    }
}
