using System.Globalization;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Indicators;

/// <summary>
/// Keeps the indicators in step with the data inside the ingest transaction, so that reading them never scans everyone
/// (DESIGN.md). Each police registration and justice case keeps its contribution as valid-time spans (one per version
/// that was its state at the end of some day); every change to a span adds the difference to the per-day deltas of its
/// area. A version costs a few rows, however many people there are. Assistance and HR versions go to <see cref="HelpedLedger"/>.
/// </summary>
internal sealed class IndicatorLedger(PersonalDataProtector protector)
{
    /// <summary>Column names of indicator_deltas in <see cref="Counter"/> order.</summary>
    internal static readonly string[] Columns =
        ["registered", "community", "graded", "grid", "extreme", "extreme_ok", "high", "high_ok", "medium", "medium_ok", "low", "low_ok", "due", "reported"];

    private static readonly string UpsertDelta =
        $"""
        INSERT INTO indicator_deltas (day, district, street, {string.Join(", ", Columns)})
        VALUES ($day, $district, $street, {string.Join(", ", Columns.Select((_, i) => "$c" + i.ToString(CultureInfo.InvariantCulture)))})
        ON CONFLICT (day, district, street) DO UPDATE SET {string.Join(", ", Columns.Select(c => $"{c} = {c} + excluded.{c}"))}
        """;

    private readonly HelpedLedger helped = new(protector);

    /// <summary>
    /// A version that becomes the record's current state, called just before its projection row is written: police and
    /// justice records count it from its day on; an assistance or HR version may mean someone was helped.
    /// </summary>
    public void Current(BatchCommands commands, string agency, string sourceKey, string personId, Fact fact, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        if (IsCounted(agency))
        {
            BecomesCurrent(commands, agency, sourceKey, Contribution.Of(fact), agencyTime, now);
        }
        else
        {
            helped.Changed(commands, agency, sourceKey, personId, fact, agencyTime, now);
        }
    }

    /// <summary>The record was withdrawn (police scbz 1, a deleted justice row): it counts for nothing from its day on.</summary>
    public static void Withdrawn(BatchCommands commands, string agency, string sourceKey, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        if (IsCounted(agency))
        {
            BecomesCurrent(commands, agency, sourceKey, Contribution.None, agencyTime, now);
        }
    }

    /// <summary>
    /// A version older than the current one, arriving late (a re-sent past snapshot): it leaves today's figures alone and
    /// corrects the days from its own day up to the next version the hub knows. It never reaches past that version, so every
    /// span keeps a start before its end and nothing is counted twice or below zero.
    /// </summary>
    public static void Late(BatchCommands commands, string agency, string sourceKey, Fact fact, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        if (!IsCounted(agency))
        {
            return;
        }

        var day = DayOf(agencyTime, now);
        var next = Find(commands, agency, sourceKey, "from_day > $day ORDER BY from_day LIMIT 1", day);
        if (next is null)
        {
            // Nothing known after its day: the current version is of the same day and newer, so it stays the day's state.
            return;
        }

        var version = new Span(day, Timestamps.Format(agencyTime), Contribution.Of(fact));
        var deltas = new Deltas();
        var before = Find(commands, agency, sourceKey, "from_day <= $day ORDER BY from_day DESC LIMIT 1", day);
        if (before is { } held && held.From == day)
        {
            if (string.CompareOrdinal(held.AgencyTime, version.AgencyTime) >= 0)
            {
                return; // A newer version of the same day is already that day's state.
            }

            deltas.Add(held.Contribution, day, next.From, -1);
        }
        else if (before is { } earlier)
        {
            deltas.Add(earlier.Contribution, day, next.From, -1);
        }

        deltas.Add(version.Contribution, day, next.From, +1);
        Save(commands, agency, sourceKey, version);
        deltas.Flush(commands);
    }

    private static bool IsCounted(string agency) => agency is "police" or "justice";

    /// <summary>The version ends the last span and counts from its day on; an earlier day than the last span's is read as that day.</summary>
    private static void BecomesCurrent(BatchCommands commands, string agency, string sourceKey, Contribution contribution, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        var last = Find(commands, agency, sourceKey, "true ORDER BY from_day DESC LIMIT 1", null);
        var day = DayOf(agencyTime, now);
        if (last is not null && last.From > day)
        {
            day = last.From;
        }

        var deltas = new Deltas();
        if (last is not null)
        {
            deltas.Add(last.Contribution, day, null, -1);
        }

        deltas.Add(contribution, day, null, +1);
        Save(commands, agency, sourceKey, new Span(day, Timestamps.Format(agencyTime), contribution));
        deltas.Flush(commands);
    }

    /// <summary>
    /// The day a version starts to count: the Asia/Shanghai day of its agency time, but never after the day the hub
    /// received it (an agency clock ahead of ours must not hide a record from today's figures).
    /// </summary>
    internal static DateOnly DayOf(DateTimeOffset agencyTime, DateTimeOffset now)
    {
        var agencyDay = Timestamps.ChinaDay(agencyTime);
        var hubDay = Timestamps.ChinaDay(now);
        return agencyDay < hubDay ? agencyDay : hubDay;
    }

    private static Span? Find(BatchCommands commands, string agency, string sourceKey, string where, DateOnly? day)
    {
        using var reader = commands.Get(
            $"""
            SELECT from_day, agency_time, district, street, mask, counts_from FROM indicator_spans
            WHERE agency = $agency AND source_key = $key AND {where}
            """,
            ("$agency", agency), ("$key", sourceKey), ("$day", day is { } d ? Day(d) : null)).ExecuteReader();
        return reader.Read()
            ? new Span(ParseDay(reader.GetString(0)), reader.GetString(1),
                new Contribution(reader.GetString(2), reader.GetString(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : ParseDay(reader.GetString(5))))
            : null;
    }

    private static void Save(BatchCommands commands, string agency, string sourceKey, Span span) =>
        commands.Execute(
            """
            INSERT OR REPLACE INTO indicator_spans (agency, source_key, from_day, agency_time, district, street, mask, counts_from)
            VALUES ($agency, $key, $from, $at, $district, $street, $mask, $countsFrom)
            """,
            ("$agency", agency), ("$key", sourceKey), ("$from", Day(span.From)), ("$at", span.AgencyTime),
            ("$district", span.Contribution.District), ("$street", span.Contribution.Street), ("$mask", span.Contribution.Mask),
            ("$countsFrom", span.Contribution.CountsFrom is { } from ? Day(from) : null));

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static DateOnly ParseDay(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>One version's state and the day it starts; it lasts until the record's next span starts.</summary>
    private sealed record Span(DateOnly From, string AgencyTime, Contribution Contribution);

    /// <summary>The changes of one version, netted per (day, area) before they are written.</summary>
    private sealed class Deltas
    {
        private readonly Dictionary<(DateOnly Day, string District, string Street), long[]> changes = [];

        /// <summary>
        /// Adds <paramref name="sign"/> × the contribution over [from, to) (to null: for ever), clipped to start no earlier
        /// than the day it may count from: [max(from, countsFrom), max(to, countsFrom)).
        /// </summary>
        public void Add(Contribution contribution, DateOnly from, DateOnly? to, int sign)
        {
            if (contribution.Mask == 0)
            {
                return;
            }

            var floor = contribution.CountsFrom ?? DateOnly.MinValue;
            var start = from > floor ? from : floor;
            DateOnly? end = to is { } t ? (t > floor ? t : floor) : null;
            if (end is { } e && e <= start)
            {
                return;
            }

            Bump(contribution, start, sign);
            if (end is { } stop)
            {
                Bump(contribution, stop, -sign);
            }
        }

        private void Bump(Contribution contribution, DateOnly day, int sign)
        {
            var key = (day, contribution.District, contribution.Street);
            if (!changes.TryGetValue(key, out var counts))
            {
                counts = new long[Contribution.Counters];
                changes.Add(key, counts);
            }

            for (var i = 0; i < Contribution.Counters; i++)
            {
                if (contribution.Counts(i))
                {
                    counts[i] += sign;
                }
            }
        }

        public void Flush(BatchCommands commands)
        {
            foreach (var ((day, district, street), counts) in changes)
            {
                if (counts.All(c => c == 0))
                {
                    continue;
                }

                var parameters = new (string, object?)[3 + Contribution.Counters];
                parameters[0] = ("$day", Day(day));
                parameters[1] = ("$district", district);
                parameters[2] = ("$street", street);
                for (var i = 0; i < Contribution.Counters; i++)
                {
                    parameters[3 + i] = ("$c" + i.ToString(CultureInfo.InvariantCulture), counts[i]);
                }

                commands.Execute(UpsertDelta, parameters);
            }
        }
    }
}
