using Cog.Runtime.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cog.Api.Operations;

/// <summary>Readiness: the store answers a trivial query (one indexed lookup).</summary>
/// <remarks>The body of <c>/health/ready</c> is public, so a failure is described without the exception's text (the
/// health-check service logs the exception).</remarks>
sealed class StoreHealthCheck(IStore store) : IHealthCheck
{
    /// <summary>The description of a store that does not answer.</summary>
    public const string NotAnswering = "The store did not answer a query.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.Users.FindByUsernameAsync("", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any failure of the store means "not ready"; the check must not throw.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, NotAnswering, e);
        }
    }
}
