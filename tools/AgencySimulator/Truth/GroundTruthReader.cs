using IntegrationHub.AgencySimulator.Storage;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator;

/// <summary>Reads the ground truth of the state under a data directory, also while another process serves it.</summary>
public static class GroundTruthReader
{
    /// <exception cref="SimulatorStateNotFoundException">Nothing has been served from that data directory.</exception>
    public static Task<GroundTruth> ReadAsync(string dataDirectory, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(time);
        var database = SimDatabase.OpenExisting(dataDirectory);
        // The scan is synchronous SQLite work: keep it off the caller's thread.
        return Task.Run(
            () =>
            {
                try
                {
                    return TruthCalculator.Compute(database, time.GetUtcNow());
                }
                finally
                {
                    database.ReleaseFiles();
                }
            },
            ct);
    }
}
