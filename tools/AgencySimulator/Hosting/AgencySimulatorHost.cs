using System.Net;
using IntegrationHub.AgencySimulator.Evolution;
using IntegrationHub.AgencySimulator.Faults;
using IntegrationHub.AgencySimulator.Hosting;
using IntegrationHub.AgencySimulator.Http;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Truth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.AgencySimulator;

/// <summary>
/// The simulated agency systems, hosted in the caller's process (the gateway's demo, tests) or by the
/// <c>serve</c> verb: the police API on a loopback port, and the evolution of its registry on the given clock.
/// </summary>
public sealed class AgencySimulatorHost : IAsyncDisposable
{
    private readonly Simulation _simulation;
    private readonly WebApplication _police;
    private readonly EvolutionLoop? _evolution;
    private readonly TimeProvider _time;

    private AgencySimulatorHost(Simulation simulation, WebApplication police, Uri policeBaseUrl, string policeToken, EvolutionLoop? evolution, TimeProvider time)
    {
        _simulation = simulation;
        _police = police;
        PoliceBaseUrl = policeBaseUrl;
        PoliceToken = policeToken;
        _evolution = evolution;
        _time = time;
    }

    /// <summary>The police API's base address, e.g. http://127.0.0.1:5091/; append api/v2/xdry.</summary>
    public Uri PoliceBaseUrl { get; }

    /// <summary>The value the police API expects in the X-Api-Token header.</summary>
    public string PoliceToken { get; }

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
        var police = BuildPoliceApp(options, simulation, time, loggerFactory);
        try
        {
            await police.StartAsync(cancellationToken);
        }
        catch
        {
            await police.DisposeAsync();
            simulation.Database.ReleaseFiles();
            throw;
        }

        var address = police.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        var baseUrl = new Uri(address.TrimEnd('/') + "/");
        SimulatorLog.Listening(logger, baseUrl);

        var evolution = options.Evolve
            ? new EvolutionLoop(
                simulation,
                options.ChangesPerMinute ?? ScaleProfile.For(simulation.Origin.Scale).DefaultChangesPerMinute,
                time,
                loggerFactory.CreateLogger<EvolutionLoop>())
            : null;
        return new AgencySimulatorHost(simulation, police, baseUrl, options.PoliceToken, evolution, time);
    }

    /// <summary>The ground truth over the current state.</summary>
    public Task<GroundTruth> GetTruthAsync(CancellationToken ct) =>
        Task.Run(() => TruthCalculator.Compute(_simulation.Database, _time.GetUtcNow()), ct);

    /// <summary>Stops timer-driven evolution (persisted: it holds across restarts and for other processes).</summary>
    public Task PauseAsync(CancellationToken ct) => Task.Run(() => Simulation.SetPaused(_simulation.Database, paused: true), ct);

    public Task ResumeAsync(CancellationToken ct) => Task.Run(() => Simulation.SetPaused(_simulation.Database, paused: false), ct);

    /// <summary>Applies <paramref name="changes"/> evolution changes now, paused or not; deterministic for the
    /// seed and the state's step count. They share one gxsj millisecond.</summary>
    public Task StepAsync(int changes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(changes);
        return Task.Run(() => _simulation.Evolve(changes, honourPause: false), ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_evolution is not null)
        {
            await _evolution.DisposeAsync();
        }

        await _police.StopAsync();
        await _police.DisposeAsync();
        _simulation.Database.ReleaseFiles();
    }

    private static WebApplication BuildPoliceApp(SimulatorOptions options, Simulation simulation, TimeProvider time, ILoggerFactory loggerFactory)
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
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.PolicePort));

        var app = builder.Build();
        var faults = new TransportFaults(options.Faults, time);
        var endpoint = new PoliceEndpoint(simulation.Database, options.PoliceToken, faults, time);
        app.Use(faults.InvokeAsync);
        app.MapGet(PoliceEndpoint.Route, endpoint.HandleAsync);
        return app;
    }
}
