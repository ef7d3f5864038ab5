using Cog.Runtime.Pipeline;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cog.Api.Operations;

/// <summary>Readiness: every stored rule and enabled bundle manifest loads. One that does not is skipped and fails closed
/// (its command is refused), so the server stays ready but <em>degraded</em>, naming what was skipped.</summary>
/// <remarks>The body of <c>/health/ready</c> is public, so the description names the objects (kind and id), not their
/// errors; the server log has the errors.</remarks>
sealed class StoredObjectsHealthCheck(IStoredObjectProblems problems) : IHealthCheck
{
    /// <summary>The description of a catalog that could not be read at all (the store check says why).</summary>
    public const string NotRead = "The stored catalog could not be read.";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var found = await problems.GetProblemsAsync(cancellationToken);
            return found.IsEmpty
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Degraded(Describe(found.Select(static p => $"{p.Kind} {p.Id}")));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A catalog that cannot be read means "not ready"; the check must not throw.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(context.Registration.FailureStatus, NotRead, e);
        }
    }

    /// <summary>The description of a degraded check.</summary>
    public static string Describe(IEnumerable<string> skipped) =>
        $"Stored objects that could not be loaded are skipped and fail closed (the server log has the errors): {string.Join(", ", skipped)}.";
}
