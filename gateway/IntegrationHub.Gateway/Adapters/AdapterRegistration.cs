using IntegrationHub.Adapters;
using IntegrationHub.Adapters.CivilAffairs;
using IntegrationHub.Adapters.HumanResources;
using IntegrationHub.Adapters.Justice;
using IntegrationHub.Adapters.Police;
using IntegrationHub.Gateway.Ingest;
using Quartz;

namespace IntegrationHub.Gateway.Adapters;

/// <summary>
/// One sync job per configured adapter. An adapter is enabled only when its section exists; its options are
/// validated here, at start, with messages that name the keys.
/// </summary>
public static class AdapterRegistration
{
    public const string PoliceSection = "Adapters:Police";
    public const string JusticeSection = "Adapters:Justice";
    public const string CivilAffairsSection = "Adapters:CivilAffairs";
    public const string HumanResourcesSection = "Adapters:HumanResources";

    /// <summary>HR's full re-read (job hr-full) runs nightly by default, after the agency's batch window.</summary>
    public const string DefaultFullReReadSchedule = "0 0 3 * * ?";
    public const string DefaultSchedule = "0 */5 * * * ?";

    public static IReadOnlyList<string> AddHubAdapters(this IServiceCollection services, IConfiguration configuration, TimeProvider time)
    {
        var errors = new List<string>();
        Register<PoliceAdapterOptions>(services, configuration, PoliceSection, "police", errors, o => o.Validate(PoliceSection),
            (sp, o) => new PoliceAdapter(NewHttpClient(), o, time, sp.GetRequiredService<ILogger<PoliceAdapter>>()),
            new JobKeys(DefaultFreshness: TimeSpan.FromHours(1)));
        Register<JusticeAdapterOptions>(services, configuration, JusticeSection, "justice", errors, o => o.Validate(JusticeSection),
            (sp, o) => new JusticeAdapter(o, time, sp.GetRequiredService<ILogger<JusticeAdapter>>()),
            new JobKeys(DefaultFreshness: TimeSpan.FromHours(1)));

        // Rosters come once a day; a day late is normal, two is not.
        Register<CivilAffairsAdapterOptions>(services, configuration, CivilAffairsSection, "civil-affairs", errors, o => o.Validate(CivilAffairsSection),
            (sp, o) => new CivilAffairsAdapter(o, time, sp.GetRequiredService<ILogger<CivilAffairsAdapter>>()),
            new JobKeys(DefaultFreshness: TimeSpan.FromHours(36)));

        // Two jobs over one HR section: `hr` reads what changed, `hr-full` re-reads everyone on a slower schedule so
        // that people who enter scope later get their employment data.
        Register<HumanResourcesAdapterOptions>(services, configuration, HumanResourcesSection, "hr", errors, o => o.Validate(HumanResourcesSection),
            (sp, o) => new HumanResourcesAdapter(NewHttpClient(), o, time, sp.GetRequiredService<ILogger<HumanResourcesAdapter>>()),
            new JobKeys(DefaultFreshness: TimeSpan.FromHours(6)));
        Register<HumanResourcesAdapterOptions>(services, configuration, HumanResourcesSection, "hr-full", errors, _ => [],
            (sp, o) => new HumanResourcesAdapter(NewHttpClient(), o.WithFullReRead(), time, sp.GetRequiredService<ILogger<HumanResourcesAdapter>>()),
            new JobKeys(
                ScheduleKey: "FullReReadSchedule", DefaultSchedule: DefaultFullReReadSchedule, RunAtStartup: false,
                FreshnessKey: "FullReReadFreshnessTarget", DefaultFreshness: TimeSpan.FromDays(2)));
        return errors;
    }

    /// <summary>The keys of a job's section that the gateway reads itself (schedule, freshness target), with defaults.</summary>
    private sealed record JobKeys(
        TimeSpan DefaultFreshness, string ScheduleKey = "Schedule", string DefaultSchedule = DefaultSchedule, bool RunAtStartup = true,
        string FreshnessKey = "FreshnessTarget");

    /// <summary>Binds and validates one adapter's section and registers its job; problems go to <paramref name="errors"/>.</summary>
    private static void Register<TOptions>(
        IServiceCollection services, IConfiguration configuration, string section, string job, List<string> errors,
        Func<TOptions, IEnumerable<string>> validate, Func<IServiceProvider, TOptions, ISourceAdapter> create, JobKeys keys)
        where TOptions : new()
    {
        var config = configuration.GetSection(section);
        if (!config.Exists())
        {
            return;
        }

        var options = new TOptions();
        try
        {
            config.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            errors.Add($"{section}: {e.Message}");
            return;
        }

        var problems = validate(options).ToList();
        errors.AddRange(problems);
        var schedule = config[keys.ScheduleKey] ?? keys.DefaultSchedule;
        if (!CronExpression.TryParse(schedule, out _))
        {
            errors.Add($"{section}:{keys.ScheduleKey} '{schedule}' is not a Quartz cron expression (e.g. '0 */5 * * * ?': every five minutes).");
        }

        var freshnessText = config[keys.FreshnessKey];
        var freshness = keys.DefaultFreshness;
        if (freshnessText is not null
            && (!TimeSpan.TryParse(freshnessText, System.Globalization.CultureInfo.InvariantCulture, out freshness) || freshness <= TimeSpan.Zero))
        {
            errors.Add($"{section}:{keys.FreshnessKey} '{freshnessText}' is not a positive duration (e.g. 01:00:00 for an hour, 1.12:00:00 for a day and a half).");
            return;
        }

        if (problems.Count == 0)
        {
            services.AddSingleton(sp => new SyncJobDefinition(job, schedule, create(sp, options), keys.RunAtStartup, freshness));
        }
    }

    /// <summary>
    /// A long-lived client over a handler that recycles its connections (DNS changes reach it) and never follows
    /// a redirect, which would hand a credential to another host. Adapters apply their own per-request timeouts.
    /// </summary>
    private static HttpClient NewHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
}
