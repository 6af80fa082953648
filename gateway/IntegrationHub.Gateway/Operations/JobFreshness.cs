using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Operations;

/// <summary>
/// How fresh the hub's copy of each agency's data is: an agency is fresh while any of its jobs last succeeded within
/// that job's freshness target (HR's incremental job keeps its data fresh between full re-reads).
/// </summary>
public sealed class JobFreshness(SyncJobCatalog catalog, SyncRunStore runs, JobSettingsStore settings) : IAgencyFreshnessSource
{
    /// <summary>Older than the freshness target, or never arrived although the job has been scheduled for longer than it.</summary>
    public static bool IsStale(SyncJobDefinition job, DateTimeOffset? lastSuccess, DateTimeOffset firstScheduled, DateTimeOffset now) =>
        now - (lastSuccess ?? firstScheduled) > job.Freshness;

    public IReadOnlyDictionary<string, AgencyFreshness> At(DateTimeOffset now)
    {
        var result = new Dictionary<string, AgencyFreshness>(StringComparer.Ordinal);
        foreach (var jobs in catalog.All.GroupBy(j => j.Adapter.Agency, StringComparer.Ordinal))
        {
            var states = jobs.Select(j => (Job: j, LastSuccess: runs.LastSuccess(j.Name))).ToList();
            var stale = states.All(s => IsStale(s.Job, s.LastSuccess, settings.Get(s.Job.Name).FirstScheduledAt, now));
            result[jobs.Key] = new AgencyFreshness(
                jobs.Key, stale, states.Max(s => s.LastSuccess), states.Max(s => s.Job.Freshness));
        }

        return result;
    }
}
