using Microsoft.Extensions.Hosting;

namespace IntegrationHub.AgencySimulator.Hosting;

/// <summary>A lifetime that does not listen for Ctrl+C: the process hosting the simulator decides when it stops.</summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
