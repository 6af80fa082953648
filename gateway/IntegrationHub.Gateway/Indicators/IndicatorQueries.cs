using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Indicators;

/// <summary>
/// Reads the indicators as of a day from what <see cref="IndicatorLedger"/> maintains: sums of per-day deltas by area
/// (cost grows with days × areas, not with people), persons helped in a window, and the window's finding events.
/// </summary>
public sealed class IndicatorQueries(HubDatabase database)
{
    public const string CityCode = "440100";

    private static readonly string SumDeltas =
        $"""
        SELECT district, street, {string.Join(", ", IndicatorLedger.Columns.Select(c => $"SUM({c})"))}
        FROM indicator_deltas WHERE day <= $day GROUP BY district, street
        """;

    /// <summary>
    /// City, then districts by code, then (when <paramref name="district"/> is given) that district's streets. Police figures
    /// count records where people live (jzdqh, jzjd), execution cases where they are executed (zxdq, zxjd) (GLOSSARY.md),
    /// as the records stood at the end of <paramref name="asOf"/>; help and findings are those of <paramref name="window"/>.
    /// </summary>
    public IReadOnlyList<IndicatorRow> Indicators(string? district, DateOnly asOf, DayWindow window)
    {
        var areas = new Dictionary<(string Scope, string Area, string District), AreaTotals>();
        AreaTotals At(string scope, string area, string areaDistrict)
        {
            if (!areas.TryGetValue((scope, area, areaDistrict), out var totals))
            {
                totals = new AreaTotals();
                areas.Add((scope, area, areaDistrict), totals);
            }

            return totals;
        }

        IEnumerable<AreaTotals> Containing(string rowDistrict, string street)
        {
            yield return At("city", CityCode, "");
            if (district is null || district == rowDistrict)
            {
                yield return At("district", rowDistrict, rowDistrict);
            }

            if (district == rowDistrict)
            {
                yield return At("street", street, rowDistrict);
            }
        }

        At("city", CityCode, "");
        foreach (var (rowDistrict, street, counts) in database.Query(SumDeltas, ReadCounts, ("$day", IndicatorLedger.Day(asOf))))
        {
            foreach (var totals in Containing(rowDistrict, street))
            {
                totals.Add(counts);
            }
        }

        foreach (var (kind, rowDistrict, street, count) in database.Query(
            "SELECT kind, district, street, COUNT(*) FROM helped WHERE day >= $from AND day <= $to GROUP BY kind, district, street",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3)),
            ("$from", IndicatorLedger.Day(window.From)), ("$to", IndicatorLedger.Day(window.To))))
        {
            foreach (var totals in Containing(rowDistrict, street))
            {
                totals.Helped[kind] = totals.Helped.GetValueOrDefault(kind) + count;
            }
        }

        foreach (var finding in FindingEvents(window))
        {
            foreach (var totals in Containing(finding.District, finding.Street))
            {
                totals.AddFinding(finding);
            }
        }

        return [.. areas
            .Where(a => a.Key.Scope == "city" || a.Value.HasAnything)
            .OrderBy(a => a.Key.Scope switch { "city" => 0, "district" => 1, _ => 2 })
            .ThenBy(a => a.Key.District, StringComparer.Ordinal)
            .ThenBy(a => a.Key.Area, StringComparer.Ordinal)
            .Select(a => a.Value.ToRow(a.Key.Scope, a.Key.Area, a.Key.District))];
    }

    private static (string District, string Street, long[] Counts) ReadCounts(Microsoft.Data.Sqlite.SqliteDataReader r)
    {
        var counts = new long[Contribution.Counters];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = r.GetInt64(2 + i);
        }

        return (r.GetString(0), r.GetString(1), counts);
    }

    /// <summary>
    /// Openings and closings of findings in the window (hub time: findings are the hub's own records), each closing with
    /// the opening it ends, read by time through finding_events_by_time_state.
    /// </summary>
    private List<FindingEvent> FindingEvents(DayWindow window) =>
        database.Query(
            """
            SELECT f.rule, f.district, f.street, e.state, e.at,
              (SELECT o.at FROM finding_events o WHERE o.finding_id = e.finding_id AND o.event_id < e.event_id AND o.state IN ('opened', 'reopened')
               ORDER BY o.event_id DESC LIMIT 1)
            FROM finding_events e JOIN findings f ON f.finding_id = e.finding_id
            WHERE e.at >= $from AND e.at < $to AND e.state IN ('opened', 'reopened', $closed, $resolved)
            """,
            r => new FindingEvent(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Timestamps.Parse(r.GetString(4)),
                r.IsDBNull(5) ? null : Timestamps.Parse(r.GetString(5))),
            ("$from", Timestamps.Format(StartOf(window.From))), ("$to", Timestamps.Format(StartOf(window.To.AddDays(1)))),
            ("$closed", FindingStates.Closed), ("$resolved", FindingStates.Resolved));

    /// <summary>Midnight of a day in Asia/Shanghai.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8));

    private sealed record FindingEvent(string Rule, string District, string Street, string State, DateTimeOffset At, DateTimeOffset? OpenedAt);

    /// <summary>What one area adds up to.</summary>
    private sealed class AreaTotals
    {
        private readonly long[] counts = new long[Contribution.Counters];
        private readonly SortedDictionary<string, RuleTotals> rules = new(StringComparer.Ordinal);

        public Dictionary<string, long> Helped { get; } = new(StringComparer.Ordinal);

        public bool HasAnything =>
            counts[(int)Counter.Registered] != 0 || counts[(int)Counter.ExecutionDue] != 0 || Helped.Values.Any(v => v != 0) || rules.Count > 0;

        public void Add(long[] more)
        {
            for (var i = 0; i < counts.Length; i++)
            {
                counts[i] += more[i];
            }
        }

        public void AddFinding(FindingEvent finding)
        {
            if (!rules.TryGetValue(finding.Rule, out var rule))
            {
                rule = new RuleTotals();
                rules.Add(finding.Rule, rule);
            }

            rule.Add(finding);
        }

        public IndicatorRow ToRow(string scope, string area, string district)
        {
            long C(Counter counter) => counts[(int)counter];
            var community = C(Counter.UnderCommunityControl);
            return new IndicatorRow(
                scope, area, district, C(Counter.Registered), community,
                new Ratio(C(Counter.Graded), community), new Ratio(C(Counter.GridEntered), community),
                new Ratio(C(Counter.ExtremeCompliant), C(Counter.Extreme)), new Ratio(C(Counter.HighCompliant), C(Counter.High)),
                new Ratio(C(Counter.MediumCompliant), C(Counter.Medium)), new Ratio(C(Counter.LowCompliant), C(Counter.Low)),
                new Ratio(C(Counter.ExecutionReported), C(Counter.ExecutionDue)),
                new HelpedCounts(
                    Helped.GetValueOrDefault(HelpKinds.Assistance), Helped.GetValueOrDefault(HelpKinds.Insurance),
                    Helped.GetValueOrDefault(HelpKinds.Job), Helped.GetValueOrDefault(HelpKinds.Training)),
                [.. rules.Select(r => r.Value.ToStats(r.Key))]);
        }
    }

    private sealed class RuleTotals
    {
        private readonly List<double> daysToClose = [];
        private long opened;
        private long reopened;
        private long closed;
        private long resolved;

        public void Add(FindingEvent finding)
        {
            switch (finding.State)
            {
                case "opened":
                    opened++;
                    return;
                case "reopened":
                    reopened++;
                    return;
                case FindingStates.Closed:
                    closed++;
                    break;
                default:
                    resolved++;
                    break;
            }

            if (finding.OpenedAt is { } openedAt)
            {
                daysToClose.Add((finding.At - openedAt).TotalDays);
            }
        }

        public RuleFindingStats ToStats(string rule) => new(rule, opened, reopened, closed, resolved, Median(daysToClose));

        private static double? Median(List<double> values)
        {
            if (values.Count == 0)
            {
                return null;
            }

            values.Sort();
            var middle = values.Count / 2;
            return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
        }
    }
}
