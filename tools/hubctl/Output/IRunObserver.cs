using IntegrationHub.Contract.V1;

namespace IntegrationHub.Hubctl.Output;

/// <summary>Where a watch reports what it learns about runs: a live display, progress lines, or JSON lines.</summary>
internal interface IRunObserver
{
    /// <summary>The run has not started yet (queued, e.g. behind the job's current run); called on each look.</summary>
    void Waiting(string runId, TimeSpan waited);

    /// <summary>The run as the hub says it is now; the same state may come more than once.</summary>
    void Update(SyncRun run);

    /// <summary>Nothing new for a while: a live display brings its elapsed times up to date.</summary>
    void Tick();
}
