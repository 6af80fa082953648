extern alias hubctl;

using hubctl::IntegrationHub.Contract.V1;
using hubctl::IntegrationHub.Hubctl.Configuration;
using hubctl::IntegrationHub.Hubctl.Output;
using Microsoft.Extensions.Time.Testing;

namespace Hubctl.Tests.Output;

/// <summary>How few lines the redirected watch writes: the clock decides when counts alone earn a line.</summary>
public sealed class RunLinesTests : IDisposable
{
    /// <summary>10:00:00 in Asia/Shanghai.</summary>
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2030, 1, 1, 2, 0, 0, TimeSpan.Zero));
    private readonly StringWriter output = new();

    public void Dispose() => output.Dispose();

    [Fact]
    public void Update_Named_StartedThenProgressAtMostEveryFiveSecondsThenEndedOnce()
    {
        var lines = Lines(named: true);

        lines.Update(Run(0, 0));
        time.Advance(TimeSpan.FromSeconds(1));
        lines.Update(Run(100, 1)); // moved, but within 5 s of the last line
        time.Advance(TimeSpan.FromSeconds(4));
        lines.Update(Run(200, 2)); // 5 s since the last line, and moved
        time.Advance(TimeSpan.FromSeconds(10));
        lines.Update(Run(200, 2)); // 10 s, but nothing moved
        lines.Update(Run(200, 2, retries: 1)); // a retry: said at once
        lines.Update(Run(300, 3, retries: 1, dataset: "xdry_photo")); // a new dataset: said at once
        lines.Update(Run(300, 3, retries: 1, outcome: RunOutcome.Succeeded));
        lines.Update(Run(300, 3, retries: 1, outcome: RunOutcome.Succeeded)); // the end said again by the hub

        Assert.Equal(
            [
                "10:00:00 police R1: started (schedule)",
                "10:00:05 police R1: running: 200 records read, 2 batches, 0 retries, dataset xdry, 4.0 s elapsed",
                "10:00:15 police R1: running: 200 records read, 2 batches, 1 retries, dataset xdry, 4.0 s elapsed",
                "10:00:15 police R1: running: 300 records read, 3 batches, 1 retries, dataset xdry_photo, 4.0 s elapsed",
                "10:00:15 police R1: succeeded: 300 read (300 updated), 3 batches, 1 retries, 4.0 s",
            ],
            Written());
    }

    [Fact]
    public void Update_Unnamed_NoClockNoJobNoEndLine()
    {
        var lines = Lines(named: false);

        lines.Waiting("R1", TimeSpan.FromSeconds(1));
        lines.Waiting("R1", TimeSpan.FromSeconds(2));
        lines.Update(Run(0, 0));
        time.Advance(TimeSpan.FromSeconds(6));
        lines.Update(Run(50, 1));
        lines.Update(Run(50, 1, outcome: RunOutcome.Failed));

        Assert.Equal(
            [
                "waiting for run R1 to start",
                "running: 0 records read, 0 batches, 0 retries, dataset xdry, 4.0 s elapsed",
                "running: 50 records read, 1 batches, 0 retries, dataset xdry, 4.0 s elapsed",
            ],
            Written());
    }

    [Fact]
    public void Update_FirstSeenAlreadyEnded_OnlyTheEndLine()
    {
        var lines = Lines(named: true);

        lines.Update(Run(7, 1, outcome: RunOutcome.Cancelled));

        Assert.Equal(["10:00:00 police R1: cancelled: 7 read (7 updated), 1 batches, 0 retries, 4.0 s"], Written());
    }

    private RunLines Lines(bool named) =>
        new(ConsoleFactory.Create(output, new ConsoleTraits(IsTerminal: false, Width: 320)), time, named);

    private List<string> Written() => [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd())];

    private static SyncRun Run(long read, int batches, int retries = 0, string dataset = "xdry", RunOutcome outcome = RunOutcome.Running) => new()
    {
        RunId = "R1",
        Job = "police",
        Trigger = "schedule",
        Outcome = outcome,
        Counts = new RunCounts { Read = read, Updated = read },
        Batches = batches,
        Retries = retries,
        CurrentDataset = outcome == RunOutcome.Running ? dataset : string.Empty,
        DurationMs = 4_000,
    };
}
