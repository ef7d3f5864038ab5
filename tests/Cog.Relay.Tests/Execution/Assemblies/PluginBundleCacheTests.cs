using System.Runtime.CompilerServices;
using Cog.Relay.Execution;
using Cog.Relay.Execution.Assemblies;
using Cog.Sdk;
using static Cog.Relay.Tests.Execution.Assemblies.PluginFixtures;

namespace Cog.Relay.Tests.Execution.Assemblies;

public sealed class PluginBundleCacheTests : IDisposable
{
    const string Greet = "Cog.Fixtures.Greeter.Greet";
    readonly PluginBundleCache _cache = new();
    readonly AssemblyEngine _engine;

    public PluginBundleCacheTests() => _engine = new AssemblyEngine(_cache);

    public void Dispose() => _cache.Dispose();

    async Task<string> GreetAsync(string folder, string name = "Ada")
    {
        var outcome = await _engine.RunAsync(Invocation("greeter", folder, Greet, [name]), ExecutionLimits.Default, TestContext.Current.CancellationToken);
        Assert.Equal(CommandStatus.Ok, outcome.Status);
        return Assert.Single(outcome.Items).GetProperty("greeting").GetString()!;
    }

    [Fact]
    public void Loading_registers_the_version_without_loading_its_assembly()
    {
        var bundle = _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));

        Assert.Same(bundle, _cache.Find("greeter", "1.0.0"));
        Assert.Null(bundle.LoadContext);
    }

    [Fact]
    public void Loading_the_same_version_from_the_same_folder_again_keeps_it()
    {
        var first = _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));
        var second = _cache.Load("greeter", "1.0.0", Folder(GreeterV1) + Path.DirectorySeparatorChar, AssemblyFile(GreeterV1));

        Assert.Same(first, second);
        Assert.False(first.IsRetired);
    }

    [Fact]
    public async Task Loading_the_same_version_from_another_folder_replaces_it()
    {
        var first = _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));
        var second = _cache.Load("greeter", "1.0.0", Folder(GreeterV2), AssemblyFile(GreeterV2));

        Assert.True(first.IsRetired);
        Assert.Same(second, _cache.Find("greeter", "1.0.0"));
        Assert.Equal("Welcome back, Ada!", await GreetAsync(Folder(GreeterV2)));
    }

    [Fact]
    public void Unloading_an_unknown_version_says_so()
    {
        _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));

        Assert.False(_cache.Unload("greeter", "9.9.9"));
        Assert.False(_cache.Unload("other", "1.0.0"));
        Assert.True(_cache.Unload("greeter", "1.0.0"));
        Assert.Null(_cache.Find("greeter", "1.0.0"));
    }

    [Fact]
    public async Task Two_versions_of_a_bundle_run_side_by_side_in_their_own_load_contexts()
    {
        var v1 = _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));
        var v2 = _cache.Load("greeter", "2.0.0", Folder(GreeterV2), AssemblyFile(GreeterV2));

        Assert.Equal("Hello, Ada", await GreetAsync(Folder(GreeterV1)));
        Assert.Equal("Welcome back, Ada!", await GreetAsync(Folder(GreeterV2)));
        Assert.NotSame(v1.LoadContext, v2.LoadContext);
        Assert.True(v1.LoadContext!.IsCollectible);
    }

    [Fact]
    public async Task Upgrading_a_bundle_unloads_the_old_version_and_the_runtime_collects_it()
    {
        _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));
        var (oldContext, oldAssembly) = await RunAndWatchAsync(Folder(GreeterV1));

        _cache.Load("greeter", "2.0.0", Folder(GreeterV2), AssemblyFile(GreeterV2));
        Assert.True(_cache.Unload("greeter", "1.0.0"));
        Assert.Equal("Welcome back, Ada!", await GreetAsync(Folder(GreeterV2)));

        Assert.True(await CollectedAsync(oldContext), "the old load context is still alive");
        Assert.False(oldAssembly.IsAlive);
    }

    [Fact]
    public async Task A_retired_version_stays_loaded_until_its_running_invocation_ends()
    {
        var bundle = _cache.Load("misbehaving", "1.0.0", Folder(Misbehaving), AssemblyFile(Misbehaving));
        using var stop = new CancellationTokenSource();
        var running = _engine.RunAsync(
            Invocation("misbehaving", Folder(Misbehaving), "Cog.Fixtures.Misbehaving.HonoursCancellation"), ExecutionLimits.Default, stop.Token);
        await WaitUntilAsync(() => bundle.LoadContext is not null && bundle.InFlight == 1);
        var context = Watch(bundle);

        Assert.True(_cache.Unload("misbehaving", "1.0.0"));
        Assert.True(bundle.IsRetired);
        Assert.NotNull(bundle.LoadContext);
        Assert.False(await CollectedAsync(context, attempts: 3));

        await stop.CancelAsync();
        Assert.Equal(AssemblyErrors.Cancelled, (await running).Message);
        await WaitUntilAsync(() => bundle.InFlight == 0);
        Assert.Null(bundle.LoadContext);
        Assert.True(await CollectedAsync(context), "the load context is still alive after its last invocation ended");
    }

    [Fact]
    public async Task A_retired_version_takes_no_new_invocations()
    {
        var bundle = _cache.Load("greeter", "1.0.0", Folder(GreeterV1), AssemblyFile(GreeterV1));
        _cache.Unload("greeter", "1.0.0");

        Assert.False(bundle.TryEnter());
        Assert.Null(_cache.Enter("greeter", Folder(GreeterV1)));
        await Task.CompletedTask;
    }

    [Fact]
    public void The_runtimes_json_cache_flush_is_found()
    {
        Assert.True(JsonReflectionCache.IsAvailable);
    }

    // Not inlined, so that no reference to the plug-in's context or assembly survives in this frame.
    [MethodImpl(MethodImplOptions.NoInlining)]
    async Task<(WeakReference Context, WeakReference Assembly)> RunAndWatchAsync(string folder)
    {
        Assert.Equal("Hello, Ada", await GreetAsync(folder));
        var bundle = _cache.Enter("greeter", folder)!;
        try
        {
            var context = bundle.LoadContext!;
            return (new WeakReference(context), new WeakReference(context.Assemblies.Single()));
        }
        finally
        {
            bundle.Exit();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference Watch(PluginBundle bundle) => new(bundle.LoadContext);

    static async Task<bool> CollectedAsync(WeakReference reference, int attempts = 20)
    {
        for (var i = 0; i < attempts && reference.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return !reference.IsAlive;
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.True(condition(), "the condition never held");
    }
}
