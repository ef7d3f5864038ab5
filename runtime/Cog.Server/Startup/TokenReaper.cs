using Cog.Runtime.Cluster;
using Cog.Runtime.Identity;
using Cog.Server.Composition;
using Microsoft.Extensions.Logging;

namespace Cog.Server.Startup;

/// <summary>Deletes expired API tokens at start and then once a day ("a reaper deletes old tokens daily"), on one of the
/// servers sharing the store at a time (the <see cref="LeaseName"/> lease, <see cref="LeasedJob"/>). Expired tokens are
/// refused anyway; this keeps the table from growing. A failed pass is logged and the next attempt tries again.</summary>
sealed class TokenReaper : IAsyncDisposable
{
    /// <summary>The lease the reaper runs under.</summary>
    public const string LeaseName = "token-reaper";

    /// <summary>Time between passes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);


    public TokenReaper(ApiTokens tokens, IClusterStore cluster, string instance, ClusterTimings timings, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<TokenReaper>();
        Job = new LeasedJob(cluster, LeaseName, instance, Interval, timings,
            async cancellationToken => ServerLog.TokensReaped(logger, await tokens.ReapExpiredAsync(cancellationToken).ConfigureAwait(false)),
            time, loggers.CreateLogger<LeasedJob>());
    }

    /// <summary>The leased work (its passes, whether this server holds the lease).</summary>
    public LeasedJob Job { get; }

    public ValueTask DisposeAsync() => Job.DisposeAsync();
}
