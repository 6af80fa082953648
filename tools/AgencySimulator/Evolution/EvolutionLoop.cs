using IntegrationHub.AgencySimulator.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.AgencySimulator.Evolution;

/// <summary>
/// Evolves the simulation at a steady rate on the injected clock. Changes are applied in ticks, so the
/// several changes of one tick share one gxsj millisecond, as a real system's batch updates do; each tick also
/// applies what time alone brings (late justice commits, report-ins, the civil-affairs files that are due).
/// </summary>
internal sealed class EvolutionLoop : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Simulation _simulation;
    private readonly double _changesPerMinute;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _running;

    public EvolutionLoop(Simulation simulation, double changesPerMinute, TimeProvider time, ILogger logger)
    {
        _simulation = simulation;
        _changesPerMinute = changesPerMinute;
        _logger = logger;
        _timer = new PeriodicTimer(Interval, time);
        _running = RunAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _timer.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var owed = 0.0;
        try
        {
            while (await _timer.WaitForNextTickAsync(_stop.Token))
            {
                owed += _changesPerMinute * Interval.TotalMinutes;
                var due = (int)owed;
                // While paused the changes are dropped, not saved up for a burst at resume.
                owed -= due;
                // Every tick, also without a change due: late justice rows, report-ins and roster files wait on the clock.
                Tick(due);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private void Tick(int due)
    {
        try
        {
            var applied = _simulation.Evolve(due, honourPause: true);
            SimulatorLog.Ticked(_logger, applied, due);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // A locked or busy database, a file in use: it costs this tick, not the loop.
            SimulatorLog.TickFailed(_logger, e);
        }
    }
}
