using IntegrationHub.Gateway.Adapters;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Cache;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Dashboard;
using IntegrationHub.Gateway.Exchange;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Json;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Operations;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Scheduling;
using IntegrationHub.Gateway.Security;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace IntegrationHub.Gateway.Hosting;

/// <summary>Wires the gateway: store, security, ingest, scheduling, gRPC, telemetry.</summary>
public static class HubComposition
{
    /// <summary>
    /// Validates the configuration (every problem, each naming its key), prepares the data folder (keys,
    /// schema migrations, runs left running by a dead process), and registers the services.
    /// </summary>
    /// <exception cref="HubConfigurationException">The configuration cannot work.</exception>
    public static HubOptions AddIntegrationHub(this WebApplicationBuilder builder, TimeProvider time)
    {
        var hub = new HubOptions();
        builder.Configuration.GetSection(HubOptions.Section).Bind(hub);
        hub.DataDirectory = Path.GetFullPath(hub.DataDirectory);
        var resilience = new ResilienceOptions();
        builder.Configuration.GetSection(ResilienceOptions.Section).Bind(resilience);
        var security = new SecurityOptions();
        builder.Configuration.GetSection(SecurityOptions.Section).Bind(security);
        var limits = new LimitOptions();
        builder.Configuration.GetSection(LimitOptions.Section).Bind(limits);
        var linkage = new LinkageOptions();
        builder.Configuration.GetSection(LinkageOptions.Section).Bind(linkage);
        var sharing = new SharingOptions();
        builder.Configuration.GetSection(SharingOptions.Section).Bind(sharing);
        var errors = hub.Validate(TlsSetup.IsEnabled(builder.Configuration)).ToList();
        errors.AddRange(resilience.Validate());
        errors.AddRange(security.Validate());
        errors.AddRange(limits.Validate());
        errors.AddRange(linkage.Validate());
        errors.AddRange(sharing.Validate(security.EffectivePurposes.Keys));
        errors.AddRange(builder.Services.AddHubAdapters(builder.Configuration, time));
        var tls = builder.Services.AddHubCredentials(builder.Configuration, time, errors);
        if (errors.Count > 0)
        {
            throw new HubConfigurationException(errors);
        }

        var services = builder.Services;
        services.AddSingleton(hub);
        services.AddSingleton(time);
        var database = PrepareStore(hub, time, out var keyRing);
        services.AddSingleton(database);
        services.AddHubAudit(database, keyRing, hub.KeysDirectory, time);
        services.AddSingleton(new PersonalDataProtector(keyRing));
        services.AddSingleton<SyncRunStore>();
        services.AddSingleton<ViewQueries>();
        services.AddSingleton<IndicatorQueries>();
        services.AddSingleton<IndicatorsRequestHandler>();
        services.AddSingleton<TimelineQueries>();
        services.AddSingleton<ExchangeQueries>();
        services.AddSingleton<QuarantineQueries>();
        services.AddSingleton<IdentityReviewStore>();
        services.AddSingleton(linkage);
        services.AddSingleton(sharing);
        services.AddSingleton<SharingPolicy>();
        services.AddSingleton<PersonEntitlement>();
        services.AddSingleton<PushIngest>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<LinkageRules>();
        services.AddSingleton<FindingStore>();
        services.AddSingleton<IAgencyFreshnessSource, JobFreshness>();
        services.AddSingleton<LinkageEvaluator>();
        services.AddHostedService<LinkageSweeper>();
        services.AddSingleton(sp => new IngestPipeline(
            sp.GetRequiredService<HubDatabase>(), sp.GetRequiredService<PersonalDataProtector>(), time, hub.Retention,
            sp.GetRequiredService<LinkageEvaluator>()));
        services.AddSingleton(sp => new RetentionPurger(
            sp.GetRequiredService<HubDatabase>(), time, sp.GetRequiredService<ILogger<RetentionPurger>>(), hub.FeedRetention));
        services.AddHostedService(sp => sp.GetRequiredService<RetentionPurger>());
        services.AddSingleton<SyncRunner>();
        services.AddSingleton(resilience);
        services.AddSingleton(security);
        services.AddSingleton(limits);
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<AgencyResilience>();
        services.AddSingleton<AgencyHealthMonitor>();
        services.AddHostedService<AgencyAlertTicker>();
        services.AddSingleton<JobSettingsStore>();
        services.AddSingleton<SyncOperations>();
        services.AddSingleton<SyncInstrumentation>();
        services.AddSingleton<SyncJobCatalog>();
        services.AddSingleton(new StartupRuns(hub.RunJobsAtStartup));
        services.AddHubScheduling(hub, time);
        AddCache(builder, services);

        var grpc = services.AddGrpc(options =>
        {
            // Audit first: outside the others, it sees every outcome a client sees (refusals included).
            options.Interceptors.Add<AuditInterceptor>();
            options.Interceptors.Add<ExceptionInterceptor>();
            options.Interceptors.Add<AuthInterceptor>();
            options.Interceptors.Add<CallLimitsInterceptor>();
            options.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes;
            options.MaxSendMessageSize = limits.MaxSendMessageBytes;
            options.EnableDetailedErrors = builder.Environment.IsDevelopment();
        });

        // The unary RPCs as JSON on the HTTP/1.1 port, through the same interceptors; every JSON endpoint (these and the
        // dashboard's API) is described at /openapi/v1.json.
        grpc.AddHubJsonApi(builder.Logging);
        services.AddHubDashboard();
        AddHealthChecks(services);
        if (builder.Environment.IsDevelopment())
        {
            services.AddGrpcReflection();
        }

        AddTelemetry(services, builder.Configuration.GetValue<bool>("Hub:Telemetry:ConsoleTraces"));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(hub.GrpcEndPoint, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(hub.HttpEndPoint, listen => listen.Protocols = HttpProtocols.Http1);
            if (tls is not null)
            {
                kestrel.ListenTls(hub, tls);
            }
        });
        return hub;
    }

    public static void MapIntegrationHub(this WebApplication app, HubOptions hub)
    {
        // The gRPC services answer on the plain gRPC port and, when it is enabled, on the TLS port too; their JSON
        // transcoding on the HTTP/1.1 port only.
        string[] grpcHost = app.Services.GetService<TlsMaterial>() is null
            ? [$"*:{hub.GrpcEndPoint.Port}"]
            : [$"*:{hub.GrpcEndPoint.Port}", $"*:{hub.TlsEndPoint.Port}"];
        var httpHost = $"*:{hub.HttpEndPoint.Port}";
        app.MapHubJsonApi(httpHost);
        app.MapHubGrpcService<ViewGrpcService>(grpcHost, httpHost);
        app.MapHubGrpcService<SyncGrpcService>(grpcHost, httpHost);
        app.MapHubGrpcService<ExchangeGrpcService>(grpcHost, httpHost);
        app.MapHubGrpcService<FindingsGrpcService>(grpcHost, httpHost);
        app.MapHubGrpcService<Export.ExportGrpcService>(grpcHost, httpHost);
        app.MapHubAudit(grpcHost, httpHost);
        app.MapGrpcHealthChecksService().RequireHost(grpcHost);
        if (app.Environment.IsDevelopment())
        {
            app.MapGrpcReflectionService().RequireHost(grpcHost);
        }

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = check => !check.Tags.Contains(AgencyHealthCheck.Tag) }).RequireHost(httpHost);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost(httpHost);
        DashboardEndpoints.MapDashboard(app, httpHost);
    }

    /// <summary>
    /// The store decides whether this node serves (service ""); each agency's health is its own service
    /// (<c>integrationhub.agency.police</c>, …): an agency that is down must not take the hub out of a load balancer.
    /// </summary>
    private static void AddHealthChecks(IServiceCollection services)
    {
        var health = services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map("", result => !result.Tags.Contains(AgencyHealthCheck.Tag));
            foreach (var agency in AgencyHealthCheck.Agencies)
            {
                options.Services.Map(AgencyHealthCheck.ServiceName(agency), result => result.Name == AgencyHealthCheck.CheckName(agency));
            }
        });
        health.AddCheck<StoreHealthCheck>("store");
        foreach (var agency in AgencyHealthCheck.Agencies)
        {
            health.Add(new HealthCheckRegistration(
                AgencyHealthCheck.CheckName(agency), sp => new AgencyHealthCheck(agency, sp.GetRequiredService<AgencyHealthMonitor>(), sp.GetRequiredService<AgencyResilience>()),
                HealthStatus.Unhealthy, [AgencyHealthCheck.Tag]));
        }
    }

    private static HubDatabase PrepareStore(HubOptions hub, TimeProvider time, out KeyRing keyRing)
    {
        Directory.CreateDirectory(hub.DataDirectory);
        keyRing = KeyRing.LoadOrCreate(hub.KeysDirectory);
        var database = new HubDatabase(hub.HubDatabasePath);
        database.Migrate(time);
        database.CheckKeyFingerprint(keyRing.Fingerprint);

        // Before the scheduler starts: a run still "running" now belongs to a process that died.
        new SyncRunStore(database, time).MarkInterrupted();
        return database;
    }

    /// <summary>In-process by default; Redis when <c>ConnectionStrings:Redis</c> is set, never blocking on it.</summary>
    private static void AddCache(WebApplicationBuilder builder, IServiceCollection services)
    {
        var options = new CacheOptions();
        builder.Configuration.GetSection("Hub:Cache").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<PersonViewCache>();
        var redis = builder.Configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddDistributedMemoryCache();
            return;
        }

        services.AddStackExchangeRedisCache(cache =>
        {
            var configuration = StackExchange.Redis.ConfigurationOptions.Parse(redis);
            configuration.AbortOnConnectFail = false; // Start, and keep answering, while Redis is down.
            configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, 2000);
            configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, 1000);
            configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, 1000);
            cache.ConfigurationOptions = configuration;
            cache.InstanceName = "integrationhub:";
        });
    }

    /// <param name="consoleTraces">Also write every span to the console (the log), e.g. to check what traces carry.</param>
    private static void AddTelemetry(IServiceCollection services, bool consoleTraces)
    {
        var otlp = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("IntegrationHub.Gateway"))
            .WithTracing(tracing =>
            {
                tracing.AddSource("IntegrationHub.*").AddAspNetCoreInstrumentation();
                if (consoleTraces)
                {
                    tracing.AddConsoleExporter();
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter("IntegrationHub.*").AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
    }
}
