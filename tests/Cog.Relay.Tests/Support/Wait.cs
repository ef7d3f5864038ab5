using System.Diagnostics;

namespace Cog.Relay.Tests.Support;

/// <summary>Polling with a generous limit: fast when things work, patient on a loaded machine.</summary>
static class Wait
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>How long a test waits to be sure something does NOT happen.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(600);

    /// <summary>Polls <paramref name="probe"/> until it returns a value, or the limit passes (then the default).</summary>
    public static async Task<T?> UntilAsync<T>(Func<T?> probe, TimeSpan? limit = null)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }
            if (watch.Elapsed > (limit ?? Limit))
            {
                return null;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static async Task ForAsync(Func<bool> condition, string what, TimeSpan? limit = null)
    {
        await UntilAsync(() => condition() ? what : null, limit);
        Assert.True(condition(), "Timed out waiting for: " + what);
    }
}
