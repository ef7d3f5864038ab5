namespace Cog.Benchmarks.Relays;

/// <summary>Load with a fixed number of requests outstanding.</summary>
static class InFlight
{
    /// <summary>Runs <paramref name="total"/> operations keeping <paramref name="inFlight"/> of them outstanding at all times.</summary>
    public static async Task RunAsync(int total, int inFlight, Func<Task> operation)
    {
        var next = 0;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) <= total)
                await operation();
        }
        var workers = new Task[inFlight];
        for (var i = 0; i < inFlight; i++)
            workers[i] = Worker();
        await Task.WhenAll(workers);
    }
}
