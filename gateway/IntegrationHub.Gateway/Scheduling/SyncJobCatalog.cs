using IntegrationHub.Gateway.Ingest;

namespace IntegrationHub.Gateway.Scheduling;

/// <summary>The sync jobs this hub runs, one per configured adapter (plus HR's full re-read once it exists).</summary>
public sealed class SyncJobCatalog(IEnumerable<SyncJobDefinition> jobs)
{
    private readonly Dictionary<string, SyncJobDefinition> byName = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<SyncJobDefinition> All => byName.Values;

    public SyncJobDefinition? Find(string name) => byName.GetValueOrDefault(name);
}
