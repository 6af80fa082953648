using System.Globalization;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>What the traps do to one day's file, drawn from the seed and the day.</summary>
internal sealed record DayTraps(bool Missing, bool Held, bool Resend);

/// <summary>
/// When the roster files go out. Each day's file is written shortly after local midnight (00:05) from the roster as
/// it stands; on the first start the last three days are written at once. The faults can skip a day (missing-day),
/// hold a day back to go out with the next one (two-days), and re-send the day before with corrected content
/// (resend). With an interval (<c>--roster-every</c>), today's file is also re-sent that often with the roster as it
/// stands then: the same name, different content, the newest day still defining who is on the roster now.
/// The schedule's position is kept in meta (<c>roster_day</c>, <c>roster_held</c>, <c>roster_sent</c>), so a restart
/// catches up: every day missed while stopped is written (and so several days arrive at once).
/// </summary>
internal sealed class RosterSchedule(SimDatabase database, int seed, FaultSpec faults, TimeSpan? interval)
{
    /// <summary>How long after local midnight the day's file is written.</summary>
    public static readonly TimeSpan PublishDelay = TimeSpan.FromMinutes(5);

    private const long TrapStream = 6;
    private const long ResendStream = 7;
    private const long HistoryStream = -5;

    /// <summary>Writes the first start's files: the day before yesterday, yesterday and today, with a day's changes
    /// between them; inside the generation's transaction (<paramref name="sql"/>) so that they show its roster.</summary>
    public void WriteFirstDays(SqlSession sql, RosterEvolution evolution, int changesPerDay, DateTimeOffset created)
    {
        var today = ChinaTime.DateOf(created);
        Directory.CreateDirectory(database.CivilAffairsFolder);
        RosterFiles.Publish(database.CivilAffairsFolder, today.AddDays(-2), RosterFiles.Current(sql));
        for (var day = today.AddDays(-1); day <= today; day = day.AddDays(1))
        {
            var random = RandomExtensions.ForStream(seed, HistoryStream, day.DayNumber);
            for (var i = 0; i < changesPerDay; i++)
            {
                evolution.Change(random, day);
            }

            // Yesterday's file is the one the missing-day trap skips on a first start.
            if (day < today && faults.MissingDayProbability > 0)
            {
                continue;
            }

            RosterFiles.Publish(database.CivilAffairsFolder, day, RosterFiles.Current(sql));
        }

        if (faults.ResendProbability > 0)
        {
            Resend(today);
        }

        SimulationMeta.Set(sql.Connection, sql.Transaction, "roster_day", ChinaTime.FormatDate(today));
        SimulationMeta.Set(sql.Connection, sql.Transaction, "roster_sent", Stamp(created));
    }

    /// <summary>Writes whatever is due at <paramref name="now"/>; called after each evolution that was not paused.</summary>
    public void Run(DateTimeOffset now)
    {
        using var connection = database.Open();
        // Deferred: the files are written from a read snapshot; the write lock is taken only for the schedule's meta.
        using var transaction = connection.BeginTransaction(deferred: true);
        using var sql = new SqlSession(connection, transaction);
        var last = SimulationMeta.Get(connection, transaction, "roster_day") is { } text ? ChinaTime.ParseDate(text) : ChinaTime.DateOf(now);
        var held = SimulationMeta.Get(connection, transaction, "roster_held") is { } heldText ? ChinaTime.ParseDate(heldText) : (DateOnly?)null;
        var today = ChinaTime.DateOf(now);
        for (var day = last.AddDays(1); day <= today && now >= ChinaTime.StartOf(day) + PublishDelay; day = day.AddDays(1))
        {
            var traps = Traps(day);
            var published = false;
            if (held is { } heldDay)
            {
                // The day held back goes out now, together with this one.
                RosterFiles.Release(database.HeldRosterFolder, database.CivilAffairsFolder, heldDay);
                held = null;
                RosterFiles.Publish(database.CivilAffairsFolder, day, RosterFiles.Current(sql));
                published = true;
            }
            else if (traps.Missing)
            {
                // Never written.
            }
            else if (traps.Held)
            {
                RosterFiles.Hold(database.HeldRosterFolder, day, RosterFiles.Current(sql));
                held = day;
            }
            else
            {
                RosterFiles.Publish(database.CivilAffairsFolder, day, RosterFiles.Current(sql));
                published = true;
            }

            if (published && traps.Resend)
            {
                Resend(day);
            }

            SimulationMeta.Set(connection, transaction, "roster_day", ChinaTime.FormatDate(day));
            SimulationMeta.Set(connection, transaction, "roster_held", held is { } h ? ChinaTime.FormatDate(h) : null);
        }

        if (interval is { } every
            && RosterFiles.IsComplete(database.CivilAffairsFolder, today)
            && SimulationMeta.Get(connection, transaction, "roster_sent") is { } sentText
            && now - DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(sentText, CultureInfo.InvariantCulture)) >= every)
        {
            RosterFiles.Publish(database.CivilAffairsFolder, today, RosterFiles.Current(sql));
            SimulationMeta.Set(connection, transaction, "roster_sent", Stamp(now));
        }

        transaction.Commit();
    }

    /// <summary>The traps of a day's file, the same whenever it is asked.</summary>
    public DayTraps Traps(DateOnly day)
    {
        var random = RandomExtensions.ForStream(seed, TrapStream, day.DayNumber);
        return new DayTraps(random.Chance(faults.MissingDayProbability), random.Chance(faults.TwoDaysProbability), random.Chance(faults.ResendProbability));
    }

    /// <summary>Re-sends the newest file before <paramref name="day"/> with corrected content.</summary>
    private void Resend(DateOnly day)
    {
        var previous = Enumerable.Range(1, 7).Select(back => day.AddDays(-back)).FirstOrDefault(d => RosterFiles.IsComplete(database.CivilAffairsFolder, d));
        if (previous == default)
        {
            return;
        }

        var path = Path.Combine(database.CivilAffairsFolder, RosterFiles.FileName(previous));
        var corrected = RosterFiles.Corrected(RandomExtensions.ForStream(seed, ResendStream, previous.DayNumber), RosterFiles.Read(path));
        RosterFiles.Publish(database.CivilAffairsFolder, previous, corrected);
    }

    private static string Stamp(DateTimeOffset time) => time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}
