namespace IntegrationHub.Gateway.Store;

/// <summary>What an operator changed about a job, and when the hub first scheduled it.</summary>
/// <param name="Schedule">An operator's schedule replacing the configured one; null: the configured one.</param>
public sealed record JobSettings(string Job, bool Paused, DateTimeOffset? PausedAt, string? Schedule, DateTimeOffset FirstScheduledAt);

/// <summary>Operators' pauses and schedule changes, kept in the store so that they survive restarts and apply to every node.</summary>
public sealed class JobSettingsStore(HubDatabase database, TimeProvider time)
{
    /// <summary>The job's settings; a job seen for the first time gets a row saying when it was first scheduled.</summary>
    public JobSettings Get(string job)
    {
        // Read first: this runs on every status query and metrics scrape, and a write would queue behind ingest.
        if (Read(job) is { } settings)
        {
            return settings;
        }

        var now = Timestamps.Format(time.GetUtcNow());
        database.Execute(
            "INSERT OR IGNORE INTO job_settings (job, first_scheduled_at, updated_at) VALUES ($job, $now, $now)", ("$job", job), ("$now", now));
        return Read(job)!;
    }

    private JobSettings? Read(string job) =>
        database.Query(
            "SELECT job, paused, paused_at, schedule, first_scheduled_at FROM job_settings WHERE job = $job",
            r => new JobSettings(r.GetString(0), r.GetInt64(1) != 0, Timestamps.ParseOrNull(r[2] as string), r[3] as string, Timestamps.Parse(r.GetString(4))),
            ("$job", job)).SingleOrDefault();

    public void SetPaused(string job, bool paused)
    {
        Get(job);
        var now = Timestamps.Format(time.GetUtcNow());
        database.Execute(
            "UPDATE job_settings SET paused = $paused, paused_at = CASE WHEN $paused = 1 THEN COALESCE(paused_at, $now) END, updated_at = $now WHERE job = $job",
            ("$job", job), ("$paused", paused ? 1 : 0), ("$now", now));
    }

    /// <summary>Sets an operator's schedule; null returns to the configured one.</summary>
    public void SetSchedule(string job, string? schedule)
    {
        Get(job);
        database.Execute(
            "UPDATE job_settings SET schedule = $schedule, updated_at = $now WHERE job = $job",
            ("$job", job), ("$schedule", schedule), ("$now", Timestamps.Format(time.GetUtcNow())));
    }
}
