using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Justice;

/// <summary>A case of a person's generated history, before it gets a number, a served ID and an update_time.</summary>
/// <param name="LastEvent">The day of the case's latest change: its update_time lies on or after it.</param>
/// <param name="DueOn">When time alone changes the case: a planned report-in, a term end; null: never.</param>
internal sealed record CaseDraft(
    string Type, DateOnly Decided, DateOnly? Reported, DateOnly? TermStart, DateOnly? TermEnd, string Status, DateOnly LastEvent, DateOnly? DueOn);

/// <summary>What a person's justice history is drawn from: their police status and residence, or none (known to justice only).</summary>
internal sealed record HistorySubject(DateOnly Birth, string? PoliceStatus, DateOnly? Registered);

/// <summary>
/// Draws a person's cases over the years so that justice agrees with police: people in compulsory isolation have
/// a running QZGL case, most people released from isolation went on to community rehab (SQKF), about a fifth of
/// the people in the community are in community detox or rehab now. The mix keeps the execution rate (cases that
/// reported in / cases past their 15-day report-in period) near the report's 99.4%, a little below it.
/// </summary>
internal static class CaseHistory
{
    /// <summary>Community detox and rehab began with the Drug Control Law (2008-06-01).</summary>
    private static readonly DateOnly LawInForce = new(2008, 6, 1);

    /// <summary>No case before the law, before 16, or (for the registry's people) before police registered them.</summary>
    public static DateOnly Earliest(HistorySubject subject)
    {
        var earliest = Max(subject.Birth.AddYears(16), LawInForce);
        return subject.Registered is { } registered ? Max(earliest, registered) : earliest;
    }

    public static List<CaseDraft> Draw(Random random, HistorySubject subject, DateOnly today)
    {
        var earliest = Earliest(subject);
        var cases = new List<CaseDraft>();
        var roll = random.NextDouble();
        switch (subject.PoliceStatus)
        {
            case null:
                // Known to justice only: a recent community detox decision.
                cases.Add(random.Chance(0.4) ? Awaiting(random, CaseType.Detox, today, overdueShare: 0.1) : Executing(random, CaseType.Detox, today, maxAgeDays: 365));
                break;
            case ControlStatus.Community when roll < 0.20:
                AddRunningCommunityCase(random, cases, today, earliest);
                break;
            case ControlStatus.Community when roll < 0.215:
                // Released from isolation, never picked up by community rehab: the handover gap.
                var decided = today.AddDays(-random.Next(400, 1_400));
                if (decided >= earliest)
                {
                    cases.Add(Isolation(decided, released: Min(decided.AddDays(random.Next(365, 731)), today.AddDays(-20))));
                }

                break;
            case ControlStatus.Community or ControlStatus.Released when roll < (subject.PoliceStatus == ControlStatus.Released ? 0.45 : 0.335):
                AddCompleted(random, cases, today, earliest);
                break;
            case ControlStatus.Isolation:
                var isolated = today.AddDays(-random.Next(10, 700));
                if (random.Chance(0.03))
                {
                    var detox = isolated.AddDays(-random.Next(60, 600));
                    if (detox >= earliest)
                    {
                        var reported = detox.AddDays(random.Next(1, 15));
                        cases.Add(new CaseDraft(CaseType.Detox, detox, reported, reported, JusticeCase.CommunityTermEnd(reported), CaseStatus.Transferred, isolated, null));
                    }
                }

                cases.Add(new CaseDraft(CaseType.Isolation, isolated, isolated, isolated, JusticeCase.IsolationTermEnd(isolated), CaseStatus.Executing, isolated, null));
                break;
            case ControlStatus.Detained when roll < 0.35:
                cases.Add(Ended(random, today, CaseStatus.Suspended));
                break;
            case ControlStatus.Lost when roll < 0.05:
                cases.Add(Ended(random, today, CaseStatus.Absconded));
                break;
            case ControlStatus.Deceased when roll < 0.05:
                cases.Add(Ended(random, today, CaseStatus.Terminated));
                break;
        }

        return cases;
    }

    /// <summary>A community detox or rehab case running now; rehab follows a completed isolation.</summary>
    private static void AddRunningCommunityCase(Random random, List<CaseDraft> cases, DateOnly today, DateOnly earliest)
    {
        var type = random.Chance(0.45) ? CaseType.Rehab : CaseType.Detox;
        var statusRoll = random.NextDouble();
        var current = statusRoll < 0.04
            ? Awaiting(random, type, today, overdueShare: 0.15)
            : statusRoll < 0.042
                ? Breached(random, type, today)
                : Executing(random, type, today, maxAgeDays: (3 * 365) - 60);

        if (current.Decided < earliest)
        {
            return;
        }

        var first = current.Decided;
        if (type == CaseType.Rehab)
        {
            var released = current.Decided.AddDays(-random.Next(0, 11));
            var isolated = released.AddDays(-random.Next(365, 731));
            if (isolated < earliest)
            {
                // Too young or too early for the isolation that rehab follows: community detox instead.
                current = current with { Type = CaseType.Detox };
            }
            else
            {
                cases.Add(Isolation(isolated, released));
                first = isolated;
            }
        }

        if (random.Chance(0.2))
        {
            // An earlier community detox, completed years before.
            var older = first.AddDays(-(3 * 365) - random.Next(30, 1_500));
            if (older >= earliest)
            {
                cases.Insert(0, Completed(random, CaseType.Detox, older));
            }
        }

        cases.Add(current);
    }

    /// <summary>Cases that are over: a community detox, or an isolation followed by community rehab.</summary>
    private static void AddCompleted(Random random, List<CaseDraft> cases, DateOnly today, DateOnly earliest)
    {
        var latest = today.AddDays(-(3 * 365) - 30);
        if (latest < earliest)
        {
            return;
        }

        var decided = random.NextDate(earliest, latest);
        if (random.Chance(0.3))
        {
            var released = decided.AddDays(-random.Next(0, 11));
            var isolated = released.AddDays(-random.Next(365, 731));
            if (isolated >= earliest)
            {
                cases.Add(Isolation(isolated, released));
                cases.Add(Completed(random, CaseType.Rehab, decided));
                return;
            }
        }

        cases.Add(Completed(random, CaseType.Detox, decided));
    }

    private static CaseDraft Awaiting(Random random, string type, DateOnly today, double overdueShare)
    {
        if (random.Chance(overdueShare))
        {
            // Overdue: the 15 days have passed. Some report in late, the rest never do.
            var decided = today.AddDays(-random.Next(16, 76));
            DateOnly? late = random.Chance(0.4) ? today.AddDays(random.Next(1, 31)) : null;
            return new CaseDraft(type, decided, null, null, null, CaseStatus.Awaiting, decided, late);
        }

        var age = random.Next(0, 15);
        var recent = today.AddDays(-age);
        var deadline = recent.AddDays(15);
        var plan = random.NextDouble() switch
        {
            < 0.85 => today.AddDays(random.Next(1, Math.Max(2, 16 - age))),
            < 0.95 => deadline.AddDays(random.Next(1, 26)),
            _ => (DateOnly?)null,
        };
        return new CaseDraft(type, recent, null, null, null, CaseStatus.Awaiting, recent, plan);
    }

    private static CaseDraft Executing(Random random, string type, DateOnly today, int maxAgeDays)
    {
        var decided = today.AddDays(-random.Next(16, maxAgeDays + 1));
        var reported = Min(decided.AddDays(random.Chance(0.94) ? random.Next(1, 15) : random.Next(16, 46)), today.AddDays(-1));
        var end = JusticeCase.CommunityTermEnd(reported);
        return new CaseDraft(type, decided, reported, reported, end, CaseStatus.Executing, reported, end.AddDays(1));
    }

    private static CaseDraft Breached(Random random, string type, DateOnly today)
    {
        var executing = Executing(random, type, today, maxAgeDays: (3 * 365) - 60);
        var breached = random.NextDate(Min(executing.Reported!.Value.AddDays(30), today.AddDays(-1)), today.AddDays(-1));
        return executing with { Status = CaseStatus.SeriousBreach, LastEvent = Max(breached, executing.LastEvent), DueOn = null };
    }

    /// <summary>A running case that ended otherwise: suspended during detention, absconded, terminated.</summary>
    private static CaseDraft Ended(Random random, DateOnly today, string status)
    {
        var executing = Executing(random, random.Chance(0.5) ? CaseType.Detox : CaseType.Rehab, today, maxAgeDays: (3 * 365) - 60);
        var changed = random.NextDate(executing.Reported!.Value.AddDays(1), today.AddDays(-1));
        return executing with { Status = status, LastEvent = Max(changed, executing.LastEvent), DueOn = null };
    }

    private static CaseDraft Completed(Random random, string type, DateOnly decided)
    {
        var reported = decided.AddDays(random.Next(1, 15));
        var end = JusticeCase.CommunityTermEnd(reported);
        return new CaseDraft(type, decided, reported, reported, end, CaseStatus.Completed, end.AddDays(1), null);
    }

    /// <summary>A completed isolation; release can come early (after a year) or at the end of the term. Once completed,
    /// jzrq holds the release day (docs/linkage-rules.md); a draw past the term's last day is released on that day.</summary>
    private static CaseDraft Isolation(DateOnly decided, DateOnly released) =>
        new(CaseType.Isolation, decided, decided, decided, Min(released, JusticeCase.IsolationTermEnd(decided)), CaseStatus.Completed, released, null);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
