using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.AgencySimulator.Tests.Support;

internal static class TestData
{
    /// <summary>Every test clock starts here, so that equal seeds give equal populations.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = new(2026, 11, 29);

    /// <summary>The start as Asia/Shanghai time: 11:00 on <see cref="Today"/>.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>How far the test clock must move from its start to reach <paramref name="localTime"/> (+08:00).</summary>
    public static TimeSpan Until(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, DateOnly day, TimeOnly localTime) =>
        new DateTimeOffset(day.ToDateTime(localTime), ChinaOffset) - time.GetUtcNow();

    public static FakeTimeProvider Clock() => new(Start);

    public static SimulatorOptions Options(string dataDirectory, int seed = 1, FaultSpec? faults = null, bool evolve = false, double? changesPerMinute = null) =>
        new()
        {
            DataDirectory = dataDirectory,
            Scale = SimulationScale.District,
            Seed = seed,
            PolicePort = 0,
            Faults = faults ?? FaultSpec.Default,
            Evolve = evolve,
            ChangesPerMinute = changesPerMinute,
        };

    public static Task<AgencySimulatorHost> StartAsync(SimulatorOptions options, TimeProvider time) =>
        AgencySimulatorHost.StartAsync(options, time, loggerFactory: null, CancellationToken.None);
}

/// <summary>A data directory of its own for one test, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("agency-sim-tests-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
