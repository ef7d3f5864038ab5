using System.Diagnostics;

namespace Cog.Testing;

/// <summary>Waits for effects that happen on other threads, generously (a loaded machine), polling briefly.</summary>
public static class Eventually
{
    /// <summary>The default limit: long enough for a loaded 2-core machine; the normal path takes milliseconds.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static Task TrueAsync(Func<bool> condition, string what) => TrueAsync(condition, what, Limit);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < limit, $"Timed out waiting for {what}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
