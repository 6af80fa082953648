using IntegrationHub.Adapters.Police;
using IntegrationHub.Gateway.Ingest;
using Quartz;

namespace IntegrationHub.Gateway.Adapters;

/// <summary>
/// One sync job per configured adapter. An adapter is enabled only when its section names an endpoint;
/// its options are validated here, at start, with messages that name the keys.
/// </summary>
public static class AdapterRegistration
{
    public const string PoliceSection = "Adapters:Police";
    public const string DefaultSchedule = "0 */5 * * * ?";

    public static IReadOnlyList<string> AddHubAdapters(this IServiceCollection services, IConfiguration configuration, TimeProvider time)
    {
        var errors = new List<string>();
        var police = configuration.GetSection(PoliceSection);
        if (police.Exists())
        {
            var options = new PoliceAdapterOptions();
            try
            {
                police.Bind(options);
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{PoliceSection}: {e.Message}");
            }

            errors.AddRange(options.Validate(PoliceSection));
            var schedule = police["Schedule"] ?? DefaultSchedule;
            if (!CronExpression.TryParse(schedule, out _))
            {
                errors.Add($"{PoliceSection}:Schedule '{schedule}' is not a Quartz cron expression (e.g. '0 */5 * * * ?': every five minutes).");
            }

            services.AddSingleton(sp => new SyncJobDefinition(
                "police",
                schedule,
                new PoliceAdapter(
                    // A long-lived client over a handler that recycles its connections (DNS changes reach it) and never
                    // follows a redirect, which would hand the token to another host.
                    new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan },
                    options,
                    time,
                    sp.GetRequiredService<ILogger<PoliceAdapter>>())));
        }

        return errors;
    }
}
