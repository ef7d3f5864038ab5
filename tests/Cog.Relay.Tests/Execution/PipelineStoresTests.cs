using System.Collections.Concurrent;
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
        using var lease = stores.Acquire("p1");
        var store = lease.Store;

        await store.SetAsync("k", Json("1"), TestContext.Current.CancellationToken);
        var appended = await store.AppendAsync("k", Json("""{"a":2}"""), TestContext.Current.CancellationToken);

        Assert.Equal("""[1,{"a":2}]""", appended.GetRawText());
        using (var again = stores.Acquire("p1"))
        {
            Assert.Same(store, again.Store);
        }
        using (var other = stores.Acquire("p2"))
        {
            Assert.Null(await other.Store.GetAsync("k", TestContext.Current.CancellationToken));
        }
        Assert.Equal("""[1,{"a":2}]""", (await store.RemoveAsync("k", TestContext.Current.CancellationToken))!.Value.GetRawText());
        Assert.Null(await store.GetAsync("k", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_store_idle_past_its_expiry_is_dropped()
    {
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 100);
        using (var old = stores.Acquire("old"))
        {
            await old.Store.SetAsync("k", Json("1"), TestContext.Current.CancellationToken);
        }
        time.Advance(TimeSpan.FromMinutes(30));
        using (var recent = stores.Acquire("recent"))
        {
            await recent.Store.SetAsync("k", Json("2"), TestContext.Current.CancellationToken);
        }

        time.Advance(TimeSpan.FromMinutes(31));
        using (var recent = stores.Acquire("recent"))
        {
            Assert.Equal(1, stores.Count);
            Assert.Equal("2", (await recent.Store.GetAsync("k", TestContext.Current.CancellationToken))!.Value.GetRawText());
        }
        using (var old = stores.Acquire("old"))
        {
            Assert.Null(await old.Store.GetAsync("k", TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public void At_most_the_configured_number_of_pipelines_is_kept()
    {
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 3);
        for (var i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            stores.Acquire("p" + i).Dispose();
        }

        Assert.True(stores.Count <= 4, $"{stores.Count} stores kept");
    }

    [Fact]
    public void Going_over_the_maximum_drops_the_least_recently_used_down_to_nine_tenths()
    {
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 100);
        for (var i = 0; i <= 100; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            stores.Acquire("p" + i).Dispose();
        }
        Assert.Equal(101, stores.Count);

        // The next invocation finds 101 > 100 and sweeps once: down to 90, so the next 10 new pipelines sweep nothing.
        stores.Acquire("p101").Dispose();

        Assert.Equal(91, stores.Count);
        using var newest = stores.Acquire("p100");
        using var oldest = stores.Acquire("p0");
        Assert.Equal(92, stores.Count);
    }

    [Fact]
    public async Task A_store_held_by_a_running_invocation_is_never_dropped()
    {
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 10);
        using var running = stores.Acquire("long-running");
        await running.Store.SetAsync("k", Json("1"), TestContext.Current.CancellationToken);

        // Past its idle expiry and the least recently used of many more pipelines than the maximum.
        time.Advance(TimeSpan.FromHours(2));
        for (var i = 0; i < 100; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            stores.Acquire("p" + i).Dispose();
        }

        using var next = stores.Acquire("long-running");
        Assert.Same(running.Store, next.Store);
        Assert.Equal("1", (await next.Store.GetAsync("k", TestContext.Current.CancellationToken))!.Value.GetRawText());
    }

    [Fact]
    public void Sweeps_racing_with_new_pipelines_never_fail()
    {
        // Many threads open stores for new pipelines while the store count stays above the maximum, so sweeps run
        // while other threads add: a sweep that copies the live dictionary fails with an ArgumentException.
        var time = new FakeTimeProvider();
        var stores = new PipelineStores(time, TimeSpan.FromHours(1), 200);
        var failures = new ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                try
                {
                    stores.Acquire($"t{t}-p{i}").Dispose();
                }
                catch (ArgumentException e)
                {
                    failures.Add(e);
                    return;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Empty(failures);
        // A sweep runs before an acquire adds its store, so the last adds of racing threads may leave a few over the
        // maximum; the next acquire's sweep brings the count back under it.
        stores.Acquire("after-the-race").Dispose();
        Assert.InRange(stores.Count, 1, stores.MaxPipelines);
    }
}
