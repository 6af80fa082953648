using System.Globalization;
using IntegrationHub.AgencySimulator;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Tests.Support;
using Xunit.Abstractions;
using TruthIndicators = IntegrationHub.AgencySimulator.IndicatorSet;
using TruthRatio = IntegrationHub.AgencySimulator.Ratio;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>
/// The issue's acceptance, on a real gateway reading the simulated police and justice systems over their real interfaces:
/// today's indicators equal the simulator's ground truth; a day later, after the agencies changed, today's equal the new
/// truth and the earlier day's, asked for as of that day, still equal the earlier truth exactly.
/// </summary>
public sealed class IndicatorsAsOfServerTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PoliceAndJusticeFixture hub = new();

    public Task InitializeAsync() => hub.InitializeAsync();

    public Task DisposeAsync() => hub.DisposeAsync();

    [Fact]
    public async Task Indicators_EqualTheTruthToday_AndAsOfTheDayBefore_AfterTheAgenciesChanged()
    {
        var first = await SyncAndCompareAsync("day 1");

        hub.Time.Advance(TimeSpan.FromDays(1));
        await hub.Simulator.StepAsync(400, CancellationToken.None);
        // Justice commits a tenth of its rows up to a minute late: let them land before the truth is taken.
        hub.Time.Advance(TimeSpan.FromSeconds(61));
        await hub.Simulator.StepAsync(0, CancellationToken.None);
        var second = await SyncAndCompareAsync("day 2");

        var earlier = await IndicatorsAsync(first.Day);
        Assert.Equal(first.Day, earlier.AsOfDay);
        Assert.Equal(Expected(first.Truth), Actual(earlier));
        Assert.NotEqual(Expected(first.Truth), Expected(second.Truth));
        output.WriteLine($"as of {first.Day}, asked on {second.Day}:\n{Table(first.Truth, earlier)}");
    }

    private async Task<(string Day, GroundTruth Truth)> SyncAndCompareAsync(string label)
    {
        Assert.NotEqual(RunOutcome.Failed, (await hub.SyncAsync("police")).Outcome);
        Assert.NotEqual(RunOutcome.Failed, (await hub.SyncAsync("justice")).Outcome);
        var truth = await hub.Simulator.GetTruthAsync(CancellationToken.None);
        var today = await IndicatorsAsync(null);

        Assert.Equal(Expected(truth), Actual(today));
        output.WriteLine($"{label}, {today.AsOfDay}, today:\n{Table(truth, today)}");
        return (today.AsOfDay, truth);
    }

    private async Task<GetIndicatorsResponse> IndicatorsAsync(string? asOf) =>
        await new ViewService.ViewServiceClient(hub.Channel).GetIndicatorsAsync(
            new GetIndicatorsRequest { AsOf = asOf ?? "" }, GatewayFixture.Bearer(hub.AnalystKey));

    /// <summary>The truth's city and districts: police figures by residence, execution by executing district.</summary>
    private static SortedDictionary<string, string> Expected(GroundTruth truth)
    {
        var police = truth.Police.Indicators;
        var execution = truth.Justice.ExecutionRate;
        var none = new TruthIndicators(0, 0, 0, 0, new Dictionary<string, TruthRatio>());
        var zero = new TruthRatio(0, 0);
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["city"] = Line(police.City, execution.City) };
        foreach (var district in police.Districts.Keys.Union(execution.Districts.Keys))
        {
            expected[district] = Line(police.Districts.GetValueOrDefault(district, none), execution.Districts.GetValueOrDefault(district, zero));
        }

        return expected;
    }

    private static SortedDictionary<string, string> Actual(GetIndicatorsResponse response) =>
        new(response.Sets.Where(s => s.Scope is "city" or "district").ToDictionary(s => s.Scope == "city" ? "city" : s.Area, Line), StringComparer.Ordinal);

    private static string Line(TruthIndicators p, TruthRatio execution)
    {
        string R(string grade) => p.ControlRatio.TryGetValue(grade, out var r) ? $"{r.Numerator}/{r.Denominator}" : "0/0";
        return string.Create(CultureInfo.InvariantCulture,
            $"registered {p.Registered}, under control {p.UnderCommunityControl}, graded {p.Graded}/{p.UnderCommunityControl}, grid {p.GridEntered}/{p.UnderCommunityControl}, " +
            $"control {R("EXTREME")} {R("HIGH")} {R("MEDIUM")} {R("LOW")}, execution {execution.Numerator}/{execution.Denominator}");
    }

    private static string Line(Contract.V1.IndicatorSet s)
    {
        string R(Contract.V1.Ratio r) => $"{r.Numerator}/{r.Denominator}";
        return string.Create(CultureInfo.InvariantCulture,
            $"registered {s.Registered}, under control {s.UnderCommunityControl}, graded {R(s.GradingRate)}, grid {R(s.GridEntryRate)}, " +
            $"control {R(s.ControlRatioExtreme)} {R(s.ControlRatioHigh)} {R(s.ControlRatioMedium)} {R(s.ControlRatioLow)}, execution {R(s.ExecutionRate)}");
    }

    private static string Table(GroundTruth truth, GetIndicatorsResponse response)
    {
        var actual = Actual(response);
        return string.Join("\n", Expected(truth).Select(e => $"  {e.Key,-8} truth {e.Value}\n  {"",-8} hub   {actual.GetValueOrDefault(e.Key, "(none)")}"));
    }

    /// <summary>The gateway reading police and justice, both on a clock the test moves (district scale, evolving only when stepped).</summary>
    private sealed class PoliceAndJusticeFixture : GatewayFixture
    {
        public SteppedClock Time { get; } = new(new DateTimeOffset(2026, 11, 29, 4, 0, 0, TimeSpan.Zero));

        protected override TimeProvider Clock => Time;

        protected override void Configure(Dictionary<string, string?> settings)
        {
            settings["Adapters:Justice:Provider"] = "sqlite";
            settings["Adapters:Justice:ConnectionString"] = Simulator.JusticeDatabasePath;
            settings["Adapters:Justice:Schedule"] = "0 0 0 1 1 ? 2099";
        }
    }
}
