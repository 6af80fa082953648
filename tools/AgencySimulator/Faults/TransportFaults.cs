using IntegrationHub.AgencySimulator.Common;
using Microsoft.AspNetCore.Http;

namespace IntegrationHub.AgencySimulator.Faults;

/// <summary>
/// The faults of a real agency system under load: slow answers, 500/503, cursors that expire early.
/// Drawn from Random.Shared: unlike the population, network trouble is not meant to be reproducible.
/// </summary>
internal sealed class TransportFaults(FaultSpec spec, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (Random.Shared.Chance(spec.SlowProbability))
        {
            await Task.Delay(spec.SlowDelay, time, context.RequestAborted);
        }

        if (Random.Shared.Chance(spec.Http5xxProbability))
        {
            context.Response.StatusCode = Random.Shared.Chance(0.5)
                ? StatusCodes.Status500InternalServerError
                : StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await next(context);
    }

    public bool ExpireCursor() => Random.Shared.Chance(spec.ExpireProbability);
}
