using System.Collections.Concurrent;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.CivilAffairs;

/// <summary>When the roster files go out, and the traps that can be planted in their delivery.</summary>
public sealed class RosterScheduleServerTests
{
    private static readonly DateOnly Tomorrow = TestData.Today.AddDays(1);
    private static readonly DateOnly DayAfter = TestData.Today.AddDays(2);

    [Fact]
    public async Task StepAsync_ShortlyAfterLocalMidnight_WritesTheNewDaysFileWithTheDaysChanges()
    {
        await using var session = await SimulatorSession.StartAsync();
        var folder = session.Host.CivilAffairsDropFolder;
        var today = RosterFile.Read(folder, TestData.Today).Lines;

        session.Time.Advance(TimeSpan.FromHours(1));
        await session.Host.StepAsync(2_000, CancellationToken.None);
        session.Time.Advance(TestData.Until(session.Time, Tomorrow, new TimeOnly(0, 1)));
        await session.Host.StepAsync(0, CancellationToken.None);
        var justAfterMidnight = RosterFile.Days(folder).Files;
        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(0, CancellationToken.None);
        var (files, markers) = RosterFile.Days(folder);
        var tomorrow = RosterFile.Read(folder, Tomorrow).Lines;

        Assert.DoesNotContain(Tomorrow, justAfterMidnight);
        Assert.Contains(Tomorrow, files);
        Assert.Contains(Tomorrow, markers);
        Assert.True(tomorrow.Except(today).Count() >= 20, "the day's roster changes are in the new file");
        Assert.Equal(today, RosterFile.Read(folder, TestData.Today).Lines);
    }

    [Fact]
    public async Task Publish_NewDayAndResend_MarkerNeverStandsBesideAFileBeingWritten()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("resend"));
        var folder = session.Host.CivilAffairsDropFolder;
        var events = new ConcurrentQueue<(WatcherChangeTypes Change, string Name)>();
        using var watcher = new FileSystemWatcher(folder)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        watcher.Created += (_, e) => events.Enqueue((e.ChangeType, e.Name!));
        watcher.Changed += (_, e) => events.Enqueue((e.ChangeType, e.Name!));
        watcher.Deleted += (_, e) => events.Enqueue((e.ChangeType, e.Name!));
        watcher.EnableRaisingEvents = true;
        var markers = RosterFile.Days(folder).Markers.Select(d => RosterFile.Name(d) + ".ok").ToHashSet(StringComparer.Ordinal);

        session.Time.Advance(TestData.Until(session.Time, Tomorrow, new TimeOnly(0, 10)));
        await session.Host.StepAsync(10, CancellationToken.None);
        await Task.Delay(500);

        var writesBesideMarker = new List<string>();
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (change, name) in events)
        {
            if (name.EndsWith(".ok", StringComparison.Ordinal))
            {
                if (change == WatcherChangeTypes.Deleted)
                {
                    markers.Remove(name);
                }
                else
                {
                    markers.Add(name);
                }
            }
            else if (change is WatcherChangeTypes.Created or WatcherChangeTypes.Changed)
            {
                written.Add(name);
                if (markers.Contains(name + ".ok"))
                {
                    writesBesideMarker.Add(name);
                }
            }
        }

        // The new day's file, and today's re-sent as a correction.
        Assert.Equal([RosterFile.Name(TestData.Today), RosterFile.Name(Tomorrow)], written.Order(StringComparer.Ordinal));
        Assert.Empty(writesBesideMarker);
        Assert.Contains(RosterFile.Name(TestData.Today) + ".ok", markers);
        Assert.Contains(RosterFile.Name(Tomorrow) + ".ok", markers);
    }

    [Fact]
    public async Task MissingDayFault_SkipsYesterdayAtFirstStartAndTheDaysAfter()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("missing-day"));
        var folder = session.Host.CivilAffairsDropFolder;
        var first = RosterFile.Days(folder).Files;

        session.Time.Advance(TestData.Until(session.Time, Tomorrow, new TimeOnly(0, 10)));
        await session.Host.StepAsync(10, CancellationToken.None);

        Assert.Equal([TestData.Today.AddDays(-2), TestData.Today], first);
        Assert.Equal(first, RosterFile.Days(folder).Files);
        Assert.Equal(first, RosterFile.Days(folder).Markers);
    }

    [Fact]
    public async Task TwoDaysFault_HoldsADayBackAndDeliversItWithTheNext()
    {
        await using var session = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("two-days"));
        var folder = session.Host.CivilAffairsDropFolder;

        session.Time.Advance(TestData.Until(session.Time, Tomorrow, new TimeOnly(0, 10)));
        await session.Host.StepAsync(10, CancellationToken.None);
        var afterFirstMidnight = RosterFile.Days(folder);
        session.Time.Advance(TimeSpan.FromHours(12));
        await session.Host.StepAsync(500, CancellationToken.None);
        session.Time.Advance(TestData.Until(session.Time, DayAfter, new TimeOnly(0, 10)));
        await session.Host.StepAsync(10, CancellationToken.None);
        var (files, markers) = RosterFile.Days(folder);

        Assert.DoesNotContain(Tomorrow, afterFirstMidnight.Files);
        Assert.DoesNotContain(Tomorrow, afterFirstMidnight.Markers);
        Assert.Contains(Tomorrow, files);
        Assert.Contains(DayAfter, files);
        Assert.Equal(files, markers);
        // Each file is its own day's snapshot: the held day kept its content while the roster moved on.
        Assert.NotEqual(RosterFile.Read(folder, Tomorrow).Lines, RosterFile.Read(folder, DayAfter).Lines);
    }

    [Fact]
    public async Task ResendFault_ResendsAPastDayWithDifferentContentUnderTheSameName()
    {
        await using var plain = await SimulatorSession.StartAsync();
        await using var resent = await SimulatorSession.StartAsync(faults: FaultSpec.Parse("resend"));
        var yesterday = TestData.Today.AddDays(-1);

        var original = RosterFile.Read(plain.Host.CivilAffairsDropFolder, yesterday).Lines;
        var correction = RosterFile.Read(resent.Host.CivilAffairsDropFolder, yesterday).Lines;

        Assert.Equal(RosterFile.Read(plain.Host.CivilAffairsDropFolder, TestData.Today).Lines, RosterFile.Read(resent.Host.CivilAffairsDropFolder, TestData.Today).Lines);
        Assert.NotEqual(original, correction);
        Assert.InRange(correction.Except(original).Count(), 1, 100);
        Assert.Equal(RosterFile.Header, correction[0]);
        Assert.Equal(RosterFile.Days(resent.Host.CivilAffairsDropFolder).Files, RosterFile.Days(resent.Host.CivilAffairsDropFolder).Markers);
    }

    [Fact]
    public async Task RosterInterval_ResendsTodaysFileWithTheRosterAsItStandsThen()
    {
        await using var session = await SimulatorSession.StartWithAsync(directory => new SimulatorOptions
        {
            DataDirectory = directory,
            Scale = SimulationScale.District,
            PolicePort = 0,
            Evolve = false,
            RosterInterval = TimeSpan.FromMinutes(10),
        });
        var folder = session.Host.CivilAffairsDropFolder;
        var before = RosterFile.Read(folder, TestData.Today).Lines;

        session.Time.Advance(TimeSpan.FromMinutes(5));
        await session.Host.StepAsync(2_000, CancellationToken.None);
        var tooEarly = RosterFile.Read(folder, TestData.Today).Lines;
        session.Time.Advance(TimeSpan.FromMinutes(6));
        await session.Host.StepAsync(0, CancellationToken.None);
        var after = RosterFile.Read(folder, TestData.Today).Lines;

        Assert.Equal(before, tooEarly);
        Assert.NotEqual(before, after);
        Assert.True(after.Except(before).Count() >= 20);
        Assert.Equal(RosterFile.Days(folder).Files, RosterFile.Days(folder).Markers);
    }
}
