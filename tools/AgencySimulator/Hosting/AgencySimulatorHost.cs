using System.Globalization;
using System.Net;
using IntegrationHub.AgencySimulator.Evolution;
using IntegrationHub.AgencySimulator.Faults;
using IntegrationHub.AgencySimulator.Hosting;
using IntegrationHub.AgencySimulator.Http;
using IntegrationHub.AgencySimulator.HumanResources;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Truth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.AgencySimulator;

/// <summary>
/// The simulated agency systems, hosted in the caller's process (the gateway's demo, tests) or by the
/// <c>serve</c> verb: the police API and the HR service on loopback ports, the justice exchange database and the
/// civil-affairs drop folder under the data directory, and the evolution of all four on the given clock.
/// </summary>
public sealed class AgencySimulatorHost : IAsyncDisposable
{
    private readonly Simulation _simulation;
    private readonly WebApplication _police;
    private readonly WebApplication _hr;
    private readonly EvolutionLoop? _evolution;
    private readonly TimeProvider _time;
    private readonly OutageGate _policeOutage;
    private readonly OutageGate _hrOutage;

    private AgencySimulatorHost(
        Simulation simulation,
        WebApplication police,
        WebApplication hr,
        SimulatorOptions options,
        Uri policeBaseUrl,
        Uri hrBaseUrl,
        EvolutionLoop? evolution,
        TimeProvider time,
        OutageGate policeOutage,
        OutageGate hrOutage)
    {
        _simulation = simulation;
        _police = police;
        _hr = hr;
        PoliceBaseUrl = policeBaseUrl;
        PoliceToken = options.PoliceToken;
        HrBaseUrl = hrBaseUrl;
        HrClientId = options.HrClientId;
        HrClientSecret = options.HrClientSecret;
        _evolution = evolution;
        _time = time;
        _policeOutage = policeOutage;
        _hrOutage = hrOutage;
    }

    /// <summary>The police API's base address, e.g. http://127.0.0.1:5091/; append api/v2/xdry.</summary>
    public Uri PoliceBaseUrl { get; }

    /// <summary>The value the police API expects in the X-Api-Token header.</summary>
    public string PoliceToken { get; }

    /// <summary>The justice exchange database (SQLite, WAL), DATA/sim/justice.db, holding exactly the table
    /// <c>sq_jdkf_case</c> of AGENCY-INTERFACES.md section 2; open it read-only.</summary>
    public string JusticeDatabasePath => _simulation.Database.JusticePath;

    /// <summary>The civil-affairs drop folder, DATA/sim/civil-affairs: MZ_JZ_YYYYMMDD.csv and its .ok marker.</summary>
    public string CivilAffairsDropFolder => _simulation.Database.CivilAffairsFolder;

    /// <summary>The HR service's base address, e.g. http://127.0.0.1:5094/; append hrss/token, hrss/employment.</summary>
    public Uri HrBaseUrl { get; }

    /// <summary>The client_id the HR token endpoint accepts.</summary>
    public string HrClientId { get; }

    /// <summary>The client_secret the HR token endpoint accepts.</summary>
    public string HrClientSecret { get; }

    /// <summary>Continues the state under <see cref="SimulatorOptions.DataDirectory"/> (generating a population
    /// first when there is none: seconds at city scale), then starts serving and evolving.</summary>
    public static async Task<AgencySimulatorHost> StartAsync(
        SimulatorOptions options, TimeProvider time, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<AgencySimulatorHost>();

        var simulation = await Task.Run(() => Simulation.OpenOrGenerate(options, time, logger, cancellationToken), cancellationToken);
        var faults = new TransportFaults(options.Faults, time);
        var policeOutage = new OutageGate(simulation.Database, AgencyOutages.Police, WritePoliceRefusalAsync, logger);
        var hrOutage = new OutageGate(simulation.Database, AgencyOutages.Hr, WriteHrRefusalAsync, logger);
        var police = BuildApp(options.PolicePort, loggerFactory, app =>
        {
            var endpoint = new PoliceEndpoint(simulation.Database, options.PoliceToken, faults, time);
            app.Use(policeOutage.InvokeAsync);
            app.Use(faults.InvokeAsync);
            app.MapGet(PoliceEndpoint.Route, endpoint.HandleAsync);
        });
        var hrOptions = new HrServiceOptions(options.HrClientId, options.HrClientSecret, options.HrBatchWindowStart, options.HrBatchWindowLength);
        var hr = BuildApp(options.ResolvedHrPort, loggerFactory, app =>
        {
            var endpoint = new HrEndpoint(simulation.Database, hrOptions, new HrTokens(time));
            app.Use(hrOutage.InvokeAsync);
            app.Use(new HrGate(hrOptions, new HrRateLimiter(time), options.Faults, time).InvokeAsync);
            app.Use(faults.InvokeAsync);
            app.MapPost(HrEndpoint.TokenRoute, endpoint.TokenAsync);
            app.MapGet(HrEndpoint.EmploymentRoute, endpoint.EmploymentAsync);
        });

        Uri policeBaseUrl;
        Uri hrBaseUrl;
        var started = new List<WebApplication>();
        try
        {
            policeBaseUrl = await StartAppAsync(police, cancellationToken);
            started.Add(police);
            hrBaseUrl = await StartAppAsync(hr, cancellationToken);
            started.Add(hr);
        }
        catch
        {
            // A port in use: stop what started, release everything.
            foreach (var app in new[] { police, hr })
            {
                if (started.Contains(app))
                {
                    await app.StopAsync(CancellationToken.None);
                }

                await app.DisposeAsync();
            }

            simulation.Database.ReleaseFiles();
            throw;
        }

        SimulatorLog.Listening(logger, policeBaseUrl);
        SimulatorLog.HrListening(logger, hrBaseUrl);
        var evolution = options.Evolve
            ? new EvolutionLoop(
                simulation,
                options.ChangesPerMinute ?? ScaleProfile.For(simulation.Origin.Scale).DefaultChangesPerMinute,
                time,
                loggerFactory.CreateLogger<EvolutionLoop>())
            : null;
        return new AgencySimulatorHost(simulation, police, hr, options, policeBaseUrl, hrBaseUrl, evolution, time, policeOutage, hrOutage);
    }

    /// <summary>The ground truth over the current state.</summary>
    public Task<GroundTruth> GetTruthAsync(CancellationToken ct) =>
        Task.Run(() => TruthCalculator.Compute(_simulation.Database, _time.GetUtcNow()), ct);

    /// <summary>Stops timer-driven evolution of every agency (persisted: it holds across restarts and for other processes).</summary>
    public Task PauseAsync(CancellationToken ct) => Task.Run(() => Simulation.SetPaused(_simulation.Database, paused: true), ct);

    public Task ResumeAsync(CancellationToken ct) => Task.Run(() => Simulation.SetPaused(_simulation.Database, paused: false), ct);

    /// <summary>Applies <paramref name="changes"/> evolution steps now, paused or not, after what time alone has
    /// brought (late justice rows committed, planned report-ins and term ends); deterministic for the seed, the
    /// state's step count and the clock. The police changes share one gxsj millisecond.</summary>
    public Task StepAsync(int changes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(changes);
        return Task.Run(() => _simulation.Evolve(changes, honourPause: false), ct);
    }

    /// <summary>
    /// Starts an outage of <paramref name="agency"/> (<c>police</c> or <c>hr</c>): from now on every request to its
    /// HTTP endpoint, whatever the route, is answered HTTP 503 with <c>Retry-After: 5</c> (police: the JSON error
    /// <c>{"code":50300,"msg":"service unavailable"}</c>; HR: its XML error), and counted in
    /// <see cref="OutageRefusals"/>, until <see cref="EndOutage"/>. Never timed: it lasts until ended, and it is
    /// persisted like <see cref="PauseAsync"/> (it holds across restarts, and the <c>outage</c> verb switches it
    /// from another process). Starting an outage already on does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">Not <c>police</c> or <c>hr</c> (justice and civil affairs have no HTTP endpoint).</exception>
    public void StartOutage(string agency) => AgencyOutages.Set(_simulation.Database, agency, down: true);

    /// <summary>Ends an outage of <paramref name="agency"/> (<c>police</c> or <c>hr</c>): its next request is served
    /// as usual. Ending an outage that is not on does nothing.</summary>
    /// <exception cref="ArgumentException">Not <c>police</c> or <c>hr</c>.</exception>
    public void EndOutage(string agency) => AgencyOutages.Set(_simulation.Database, agency, down: false);

    /// <summary>How many requests to <paramref name="agency"/> (<c>police</c> or <c>hr</c>) this host has refused
    /// during outages since it started, over every outage and route: a test's proof that a client retried.</summary>
    /// <exception cref="ArgumentException">Not <c>police</c> or <c>hr</c>.</exception>
    public long OutageRefusals(string agency) =>
        AgencyOutages.Validate(agency) == AgencyOutages.Police ? _policeOutage.Refusals : _hrOutage.Refusals;

    public async ValueTask DisposeAsync()
    {
        if (_evolution is not null)
        {
            await _evolution.DisposeAsync();
        }

        foreach (var app in new[] { _police, _hr })
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        _simulation.Database.ReleaseFiles();
    }

    private static async Task WritePoliceRefusalAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await PoliceEndpoint.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, 50300, "service unavailable");
    }

    private static Task WriteHrRefusalAsync(HttpContext context, int retryAfterSeconds) =>
        HrEndpoint.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "service unavailable", retryAfterSeconds);

    private static WebApplication BuildApp(int port, ILoggerFactory loggerFactory, Action<WebApplication> map)
    {
        // The empty builder reads no configuration, command line or environment of the hosting process.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(AgencySimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSingleton(loggerFactory);
        // The host process owns Ctrl+C; this server stops when the simulator is disposed.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        map(app);
        return app;
    }

    private static async Task<Uri> StartAppAsync(WebApplication app, CancellationToken cancellationToken)
    {
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address.TrimEnd('/') + "/");
    }
}
