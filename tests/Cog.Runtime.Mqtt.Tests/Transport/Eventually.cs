namespace Cog.Runtime.Mqtt.Tests.Transport;

/// <summary>Waits for effects that happen on other threads, generously (a loaded machine), polling briefly.</summary>
public static class Eventually
{
    static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(20);
        while (!condition())
        {
            Assert.True(waited < Wait, $"Timed out waiting for {what}.");
            await Task.Delay(step, TestContext.Current.CancellationToken);
            waited += step;
        }
    }
}
