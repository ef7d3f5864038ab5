using System.Text.Json;
using Cog.Relay.Execution;
using Microsoft.Extensions.Time.Testing;

namespace Cog.Relay.Tests.Execution;

public class PipelineStoresTests
{
    static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public async Task One_pipeline_sees_its_own_keys_with_append_semantics()
    {
        var stores = new PipelineStores(new FakeTimeProvider());
        var store = stores.For("p1");

        await store.SetAsync("k", Json("1"), TestContext.Current.CancellationToken);
        var appended = await store.AppendAsync("k", Json("""{"a":2}"""), TestContext.Current.CancellationToken);

        Assert.Equal("""[1,{"a":2}]""", appended.GetRawText());
        Assert.Same(store, stores.For("p1"));
        Assert.Null(await stores.For("p2").GetAsync("k", TestContext.Current.CancellationToken));
        Assert.Equal("""[1,{"a":2}]""", (await store.RemoveAsync("k", TestContext.Current.CancellationToken))!.Value.GetRawText());
        Assert.Null(await store.GetAsync("k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_store_idle_past_its_expiry_is_dropped()
    {
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 100);
        await stores.For("old").SetAsync("k", Json("1"), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(30));
        await stores.For("recent").SetAsync("k", Json("2"), TestContext.Current.CancellationToken);

        time.Advance(TimeSpan.FromMinutes(31));
        var recent = stores.For("recent");

        Assert.Equal(1, stores.Count);
        Assert.Equal("2", (await recent.GetAsync("k", TestContext.Current.CancellationToken))!.Value.GetRawText());
        Assert.Null(await stores.For("old").GetAsync("k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public void At_most_the_configured_number_of_pipelines_is_kept()
    {
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 3);
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            stores.For("p" + i);
        }

        Assert.True(stores.Count <= 4, $"{stores.Count} stores kept");
    }
}
