using IntegrationHub.Gateway.Telemetry;

namespace IntegrationHub.Gateway.Linkage;

/// <summary>Evaluates, every <see cref="LinkageOptions.SweepInterval"/> and once at start, the persons time has made due.</summary>
public sealed class LinkageSweeper(LinkageEvaluator evaluator, LinkageOptions options, TimeProvider time, ILogger<LinkageSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and the first runs claim the writer) before the first sweep.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        do
        {
            try
            {
                var evaluated = evaluator.Sweep(time.GetUtcNow(), stoppingToken);
                if (evaluated > 0)
                {
                    GatewayLog.LinkageSwept(logger, evaluated);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed sweep leaves everyone due; the next one tries again.
                GatewayLog.LinkageSweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
