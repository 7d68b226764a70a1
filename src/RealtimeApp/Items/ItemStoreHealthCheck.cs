using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RealtimeApp.Items;

/// <summary>Readiness of the board's store: it answers a read of the items table (SQLite file or PostgreSQL).</summary>
internal sealed class ItemStoreHealthCheck(IItemStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy("the item store answers");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The description only: a driver's message can name hosts and users, and this answer is public.
            return new HealthCheckResult(context.Registration.FailureStatus, "the item store does not answer");
        }
    }
}
