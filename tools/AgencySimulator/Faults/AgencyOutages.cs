using IntegrationHub.AgencySimulator.Hosting;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.AgencySimulator.Faults;

/// <summary>
/// Outages of the agencies that answer over HTTP (police, HR), switched on and off explicitly: by the hosting
/// process (<see cref="AgencySimulatorHost.StartOutage"/>) or by the <c>outage</c> verb from another process. Like
/// the pause flag, the switch is kept in the state's meta, so it reaches a running <c>serve</c> at its next request
/// and holds across restarts until switched off. Never timed: tests on virtual time decide when it ends.
/// </summary>
internal static class AgencyOutages
{
    public const string Police = "police";
    public const string Hr = "hr";

    /// <summary>The Retry-After of a refused request.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The agency code itself; throws <see cref="ArgumentException"/> for any agency without an HTTP endpoint.</summary>
    public static string Validate(string agency) =>
        agency is Police or Hr
            ? agency
            : throw new ArgumentException(
                $"'{agency}' has no HTTP endpoint to take down: outages apply to {Police} and {Hr}.", nameof(agency));

    public static void Set(SimDatabase database, string agency, bool down)
    {
        var key = Key(Validate(agency));
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        SimulationMeta.Set(connection, transaction, key, down ? "1" : null);
        transaction.Commit();
    }

    public static bool IsDown(SimDatabase database, string agency)
    {
        var key = Key(Validate(agency));
        using var connection = database.Open();
        return SimulationMeta.Get(connection, transaction: null, key) == "1";
    }

    private static string Key(string agency) => "outage_" + agency;
}

/// <summary>
/// The first middleware of an agency's HTTP endpoint: during an outage it answers every request (every route, before
/// the rate limit, the batch window and the transport faults) with HTTP 503 and Retry-After, and counts it.
/// </summary>
/// <param name="writeRefusal">Writes the agency's own form of the 503 answer, with the Retry-After (seconds) given.</param>
internal sealed class OutageGate(SimDatabase database, string agency, Func<HttpContext, int, Task> writeRefusal, ILogger logger)
{
    private long _refusals;
    private int _observedDown;

    /// <summary>Requests refused by this process's endpoint since it started, over every outage.</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // The switch may be thrown by another process: read it at every request (one primary-key lookup).
        var down = AgencyOutages.IsDown(database, agency);
        if (Interlocked.Exchange(ref _observedDown, down ? 1 : 0) != (down ? 1 : 0))
        {
            if (down)
            {
                SimulatorLog.OutageStarted(logger, agency);
            }
            else
            {
                SimulatorLog.OutageEnded(logger, agency, Refusals);
            }
        }

        if (!down)
        {
            await next(context);
            return;
        }

        Interlocked.Increment(ref _refusals);
        await writeRefusal(context, (int)AgencyOutages.RetryAfter.TotalSeconds);
    }
}
