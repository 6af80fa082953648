using System.Globalization;
using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Indicators;

/// <summary>
/// The ledger held to recounts of everyone on a varied, seeded history (moves, re-grades, status changes, withdrawals,
/// deleted cases, late re-sent versions, cases around day 16): today against a scan of the projections, every earlier day
/// against the history replayed to that day, and an upgraded hub's backfill against the scan.
/// </summary>
public sealed class LedgerAgainstRecountTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly DateOnly First = new(2026, 9, 1);
    private static readonly string[] Districts = ["440103", "440104", "440105", "440106"];
    private static readonly string[] Streets = ["一街道", "二街道", ""];
    private readonly TestHub hub = new();
    private readonly List<Version> history = [];
    private int sequence;

    /// <summary>One version of one record as the agency sent it; a null fact is a withdrawal or deletion.</summary>
    private sealed record Version(string Agency, string Key, DateTimeOffset At, Fact? Fact, SourceRecord Record);

    [Fact]
    public void Today_VariedHistory_EqualsAScanOfTheProjections()
    {
        Load(new Random(11));

        AssertEqualsScan();
    }

    [Fact]
    public void EveryDay_VariedHistoryWithLateVersions_EqualsTheHistoryReplayedToThatDay()
    {
        Load(new Random(23));

        for (var day = First.AddDays(-1); day <= Today; day = day.AddDays(1))
        {
            var expected = Replay(day, null);
            var actual = hub.Indicators.Indicators(null, day, DayWindow.YearTo(day)).Select(IndicatorLedgerTests.Figures).ToList();
            Assert.Equal(expected, actual);
        }

        var streets = hub.Indicators.Indicators("440104", Today.AddDays(-20), DayWindow.YearTo(Today.AddDays(-20))).Select(IndicatorLedgerTests.Figures);
        Assert.Equal(Replay(Today.AddDays(-20), "440104"), streets);
    }

    [Fact]
    public void UpgradedHub_BackfilledFromTheProjections_AnswersTodayAtOnce_AndKeepsUpAfter()
    {
        Load(new Random(37));
        using (var connection = hub.Database.Open())
        {
            // The store as migration 8 left it, with the same projections.
            HubDatabase.Execute(connection,
                """
                DROP TABLE indicator_spans; DROP TABLE indicator_deltas; DROP TABLE helped; DROP INDEX finding_events_by_time_state;
                DELETE FROM schema_migrations WHERE version IN (9, 10);
                """);
        }

        hub.Database.Migrate(hub.Time);
        AssertEqualsScan();

        var random = new Random(41);
        hub.Time.Advance(TimeSpan.FromDays(1));
        var next = Today.AddDays(1);
        var morning = new DateTimeOffset(next.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8));
        var changes = history.GroupBy(v => (v.Agency, v.Key)).Where(_ => random.NextDouble() < 0.3)
            .Select((g, n) => Next(random, g.Key.Agency, g.Key.Key, morning.AddSeconds(n)))
            .ToList();
        Commit(changes);
        AssertEqualsScan(next);
    }

    private void AssertEqualsScan(DateOnly? day = null)
    {
        var today = day ?? Today;
        foreach (var district in Districts.Prepend(null))
        {
            var scan = ProjectionScan.Indicators(hub.Database, district, today).Select(IndicatorLedgerTests.Figures).Order(StringComparer.Ordinal);
            var ledger = hub.Indicators.Indicators(district, today, DayWindow.YearTo(today)).Select(IndicatorLedgerTests.Figures).Order(StringComparer.Ordinal);
            Assert.Equal(scan, ledger);
        }
    }

    /// <summary>
    /// Records with one to five versions each between <see cref="First"/> and today, committed in batches in agency-time
    /// order except that one version in six arrives late, after the record's newer ones. Withdrawals come last.
    /// </summary>
    private void Load(Random random)
    {
        var versions = new List<Version>();
        for (var i = 0; i < 160; i++)
        {
            versions.AddRange(Record(random, i % 3 == 2 ? "justice" : "police", i));
        }

        var inOrder = versions.Where(v => random.NextDouble() >= 1.0 / 6 || v.Fact is null).OrderBy(v => v.At).ToList();
        var late = versions.Except(inOrder).OrderBy(v => v.At).ToList();
        foreach (var batch in inOrder.Concat(late).Chunk(25))
        {
            Commit(batch);
        }
    }

    private void Commit(IEnumerable<Version> batch)
    {
        foreach (var group in batch.GroupBy(v => v.Agency))
        {
            var records = group.Select(v => v.Record).ToArray();
            hub.CommitFor(group.Key, group.Key == "police" ? "xdry" : "sq_jdkf_case", "R" + sequence++, null, records);
            history.AddRange(group);
        }
    }

    private IEnumerable<Version> Record(Random random, string agency, int i)
    {
        var key = (agency == "police" ? "GZ" : "AJ") + i.ToString("0000", CultureInfo.InvariantCulture);
        var count = random.Next(1, 6);
        var days = Enumerable.Range(0, count).Select(_ => First.AddDays(random.Next(0, Today.DayNumber - First.DayNumber + 1))).Order().ToList();
        for (var v = 0; v < count; v++)
        {
            var at = new DateTimeOffset(days[v].ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8)).AddMinutes(v * 37 + random.Next(0, 30));
            if (at > hub.Time.GetUtcNow())
            {
                at = hub.Time.GetUtcNow().AddMinutes(-count + v);
            }

            var withdraw = v == count - 1 && count > 1 && random.NextDouble() < 0.2;
            yield return withdraw ? Withdrawal(agency, key, i, at) : Next(random, agency, key, at, i);
        }
    }

    private Version Next(Random random, string agency, string key, DateTimeOffset at, int? person = null)
    {
        var id = IndicatorLedgerTests.Id(person ?? int.Parse(key[2..], CultureInfo.InvariantCulture));
        var district = Districts[random.Next(Districts.Length)];
        var street = Streets[random.Next(Streets.Length)];
        if (agency == "police")
        {
            var grade = (RiskGrade)random.Next(0, 5);
            var record = PoliceRecords.Create(
                key, id, grade: grade, status: random.NextDouble() < 0.75 ? ControlStatus.InCommunity : (ControlStatus)random.Next(1, 6),
                responsible: random.Next(0, 7), district: district, street: street, at: at, grid: random.NextDouble() < 0.9 ? "440104001001001" : null);
            return new Version(agency, key, at, record.Fact, Marked(record));
        }

        // Decided around the day of the version, so that day 16 falls before, inside and after the history.
        var decided = DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(-random.Next(0, 40));
        var type = (CaseType)random.Next(0, 3);
        var status = (CaseStatus)random.Next(0, 8);
        var caseRecord = AgencyRecords.Case(key, id, type, status, at: at, decided: decided, district: district);
        caseRecord = caseRecord with { Fact = ((RehabCaseFact)caseRecord.Fact!) with { ExecutingStreet = street } };
        return new Version(agency, key, at, caseRecord.Fact, Marked(caseRecord));
    }

    private Version Withdrawal(string agency, string key, int person, DateTimeOffset at)
    {
        var id = IndicatorLedgerTests.Id(person);
        var record = agency == "police" ? PoliceRecords.Create(key, id, withdrawn: true, at: at) : AgencyRecords.Case(key, id, deleted: true, at: at);
        return new Version(agency, key, at, null, Marked(record));
    }

    /// <summary>Every version's payload differs, as real versions' do (the synthetic payloads do not carry every field).</summary>
    private SourceRecord Marked(SourceRecord record) =>
        record with { RawPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record.RawPayload.Span) + "#" + sequence++) };

    /// <summary>
    /// GLOSSARY.md's definitions recounted over the state each record was in at the end of <paramref name="day"/>: its
    /// version with the newest agency time on or before that day (a withdrawal: nothing).
    /// </summary>
    private List<string> Replay(DateOnly day, string? district)
    {
        var end = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));
        var current = history.GroupBy(v => (v.Agency, v.Key))
            .Select(g => g.Where(v => v.At < end).MaxBy(v => v.At)?.Fact)
            .OfType<Fact>()
            .ToList();
        var areas = new Dictionary<(int Order, string District, string Area), long[]>();
        long[] At(int order, string areaDistrict, string area)
        {
            if (!areas.TryGetValue((order, areaDistrict, area), out var counts))
            {
                counts = new long[14];
                areas.Add((order, areaDistrict, area), counts);
            }

            return counts;
        }

        At(0, "", IndicatorQueries.CityCode);
        foreach (var fact in current)
        {
            var (factDistrict, factStreet, counted) = fact switch
            {
                PoliceRegistrationFact p => (p.ResidenceDistrict, p.ResidenceStreet ?? "", PoliceCounts(p)),
                RehabCaseFact c => (c.ExecutingDistrict ?? "", c.ExecutingStreet ?? "", CaseCounts(c, day)),
                _ => throw new InvalidOperationException(),
            };
            if (counted is null)
            {
                continue;
            }

            List<long[]> targets = [At(0, "", IndicatorQueries.CityCode)];
            if (district is null || district == factDistrict)
            {
                targets.Add(At(1, factDistrict, factDistrict));
            }

            if (district == factDistrict)
            {
                targets.Add(At(2, factDistrict, factStreet));
            }

            foreach (var target in targets)
            {
                for (var i = 0; i < 14; i++)
                {
                    target[i] += counted[i];
                }
            }
        }

        var scopes = new[] { "city", "district", "street" };
        return [.. areas.Where(a => a.Key.Order == 0 || a.Value[0] != 0 || a.Value[12] != 0)
            .OrderBy(a => a.Key.Order).ThenBy(a => a.Key.District, StringComparer.Ordinal).ThenBy(a => a.Key.Area, StringComparer.Ordinal)
            .Select(a =>
        {
            var c = a.Value;
            return $"{scopes[a.Key.Order]} {a.Key.Area} {a.Key.District}: {c[0]} {c[1]} {c[2]}/{c[1]} {c[3]}/{c[1]} {c[5]}/{c[4]} {c[7]}/{c[6]} {c[9]}/{c[8]} " +
                $"{c[11]}/{c[10]} {c[13]}/{c[12]}";
        })];
    }

    /// <summary>Registered, under community control, graded, grid-entered, then per grade: of that grade, and compliant.</summary>
    private static long[] PoliceCounts(PoliceRegistrationFact p)
    {
        var c = new long[14];
        c[0] = 1;
        if (p.Status != ControlStatus.InCommunity)
        {
            return c;
        }

        c[1] = 1;
        c[2] = p.Grade == RiskGrade.None ? 0 : 1;
        c[3] = string.IsNullOrEmpty(p.GridCode) ? 0 : 1;
        if (p.Grade != RiskGrade.None)
        {
            var required = p.Grade is RiskGrade.Extreme or RiskGrade.High ? 5 : p.Grade == RiskGrade.Medium ? 3 : 2;
            var index = 4 + ((int)p.Grade - 1) * 2;
            c[index] = 1;
            c[index + 1] = p.ResponsiblePeople.Count >= required ? 1 : 0;
        }

        return c;
    }

    /// <summary>A community case whose 15-day period has passed by the day: due; executing, completed or suspended: reported.</summary>
    private static long[]? CaseCounts(RehabCaseFact c, DateOnly day)
    {
        if (c.Type == CaseType.CompulsoryIsolation || c.DecidedOn.AddDays(16) > day)
        {
            return null;
        }

        var counts = new long[14];
        counts[12] = 1;
        counts[13] = c.Status is CaseStatus.Executing or CaseStatus.Completed or CaseStatus.Suspended ? 1 : 0;
        return counts;
    }

    public void Dispose() => hub.Dispose();
}
