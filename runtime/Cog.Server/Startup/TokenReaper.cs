using Cog.Runtime.Identity;
using Cog.Server.Composition;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Startup;

/// <summary>Deletes expired API tokens at start and then once a day ("a reaper deletes old tokens
/// daily"). Expired tokens are refused anyway; this keeps the table from growing. A failed pass is logged and the next
/// one tries again.</summary>
sealed class TokenReaper : IAsyncDisposable
{
    /// <summary>Time between passes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    readonly CancellationTokenSource _stop = new();
    readonly Task _loop;

    public TokenReaper(ApiTokens tokens, TimeProvider time, ILogger logger) =>
        _loop = Task.Run(() => RunAsync(tokens, time, logger, _stop.Token));

    static async Task RunAsync(ApiTokens tokens, TimeProvider time, ILogger logger, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var reaped = await tokens.ReapExpiredAsync(stop).ConfigureAwait(false);
                ServerLog.TokensReaped(logger, reaped);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed pass must not end the reaper; the next pass tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                ServerLog.TokenReapFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stop).ConfigureAwait(false));
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
