using IntegrationHub.Adapters;
using IntegrationHub.Adapters.CivilAffairs;
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
    public const string DefaultSchedule = "0 */5 * * * ?";

    public static IReadOnlyList<string> AddHubAdapters(this IServiceCollection services, IConfiguration configuration, TimeProvider time)
    {
        var errors = new List<string>();
        Register<PoliceAdapterOptions>(services, configuration, PoliceSection, "police", errors, o => o.Validate(PoliceSection),
            (sp, o) => new PoliceAdapter(NewHttpClient(), o, time, sp.GetRequiredService<ILogger<PoliceAdapter>>()));
        Register<JusticeAdapterOptions>(services, configuration, JusticeSection, "justice", errors, o => o.Validate(JusticeSection),
            (sp, o) => new JusticeAdapter(o, time, sp.GetRequiredService<ILogger<JusticeAdapter>>()));
        Register<CivilAffairsAdapterOptions>(services, configuration, CivilAffairsSection, "civil-affairs", errors, o => o.Validate(CivilAffairsSection),
            (sp, o) => new CivilAffairsAdapter(o, time, sp.GetRequiredService<ILogger<CivilAffairsAdapter>>()));
        return errors;
    }

    /// <summary>Binds and validates one adapter's section and registers its job; problems go to <paramref name="errors"/>.</summary>
    private static void Register<TOptions>(
        IServiceCollection services, IConfiguration configuration, string section, string job, List<string> errors,
        Func<TOptions, IEnumerable<string>> validate, Func<IServiceProvider, TOptions, ISourceAdapter> create)
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
        var schedule = config["Schedule"] ?? DefaultSchedule;
        if (!CronExpression.TryParse(schedule, out _))
        {
            errors.Add($"{section}:Schedule '{schedule}' is not a Quartz cron expression (e.g. '0 */5 * * * ?': every five minutes).");
        }

        if (problems.Count == 0)
        {
            services.AddSingleton(sp => new SyncJobDefinition(job, schedule, create(sp, options)));
        }
    }

    /// <summary>
    /// A long-lived client over a handler that recycles its connections (DNS changes reach it) and never follows
    /// a redirect, which would hand a credential to another host. Adapters apply their own per-request timeouts.
    /// </summary>
    private static HttpClient NewHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
}
