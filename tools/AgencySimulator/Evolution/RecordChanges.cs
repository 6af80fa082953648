using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Population;

namespace IntegrationHub.AgencySimulator.Evolution;

/// <summary>
/// What happens to one person's record in the course of control. The rates keep the population near the
/// report's shape for as long as the simulation runs: people leave the community for isolation, detention or
/// lost contact at about the rate they come back, and grades are redrawn from the report's mix.
/// </summary>
internal static class RecordChanges
{
    private enum CommunityChange
    {
        Regrade,
        ResponsiblePeople,
        DrugTest,
        Move,
        Isolation,
        Detained,
        Lost,
        Deceased,
        Released,
    }

    private static readonly double[] CommunityWeights = [0.25, 0.20, 0.45, 0.05, 0.036, 0.0072, 0.0156, 0.0005, 0.003];

    /// <summary>Applies a change fitting the record's status; false when none fits (the deceased do not change).</summary>
    public static bool TryApply(Random random, PoliceRecord record, DateOnly today)
    {
        switch (record.Gkzt)
        {
            case ControlStatus.Community:
                ApplyInCommunity(random, record, today);
                return true;
            case ControlStatus.Isolation or ControlStatus.Detained:
                if (random.Chance(0.5))
                {
                    ReturnToCommunity(random, record, today);
                }
                else
                {
                    DrugTest(random, record, today);
                }

                return true;
            case ControlStatus.Lost:
                return random.Chance(0.5) && ReturnToCommunity(random, record, today);
            case ControlStatus.Released:
                // Relapse: rare, and the person is back under control.
                return random.Chance(0.05) && ReturnToCommunity(random, record, today);
            default:
                return false;
        }
    }

    private static void ApplyInCommunity(Random random, PoliceRecord record, DateOnly today)
    {
        switch ((CommunityChange)random.PickWeighted(CommunityWeights))
        {
            case CommunityChange.Regrade:
                Regrade(random, record, today, fillProbability: 0.9);
                break;
            case CommunityChange.ResponsiblePeople:
                ChangeResponsiblePeople(random, record);
                break;
            case CommunityChange.DrugTest:
                DrugTest(random, record, today);
                break;
            case CommunityChange.Move:
                var residence = Regions.PickResidence(random, record.Hjdqh);
                record.Jzdqh = residence.District;
                record.Jzjd = residence.Street;
                record.Wgbm = residence.GridCode;
                break;
            case CommunityChange.Isolation:
                record.Gkzt = ControlStatus.Isolation;
                break;
            case CommunityChange.Detained:
                record.Gkzt = ControlStatus.Detained;
                break;
            case CommunityChange.Lost:
                record.Gkzt = ControlStatus.Lost;
                break;
            case CommunityChange.Deceased:
                record.Gkzt = ControlStatus.Deceased;
                break;
            default:
                record.Gkzt = ControlStatus.Released;
                break;
        }
    }

    /// <summary>Back in the community (released, found, relapsed): tested, graded again, people assigned.</summary>
    private static bool ReturnToCommunity(Random random, PoliceRecord record, DateOnly today)
    {
        record.Gkzt = ControlStatus.Community;
        DrugTest(random, record, today);
        Regrade(random, record, today, fillProbability: 0.95);
        return true;
    }

    /// <summary>A new assessment: mostly the same grade, sometimes a fresh draw from the report's mix. The
    /// people required by a new grade usually, not always, follow at once.</summary>
    private static void Regrade(Random random, PoliceRecord record, DateOnly today, double fillProbability)
    {
        if (record.Fxdj == RiskGrade.None || random.Chance(0.3))
        {
            record.Fxdj = RecordFactory.DrawGrade(random);
        }

        record.Pgrq = ChinaTime.FormatDate(today);
        if (random.Chance(fillProbability))
        {
            record.Gkry = ResponsiblePeople.FillTo(random, record.Gkry, RiskGrade.RequiredPeople(record.Fxdj));
        }
    }

    /// <summary>A gap is filled; otherwise someone is replaced, or rarely leaves without a successor.</summary>
    private static void ChangeResponsiblePeople(Random random, PoliceRecord record)
    {
        var required = RiskGrade.RequiredPeople(record.Fxdj);
        if (record.Gkry.Count < required)
        {
            record.Gkry = ResponsiblePeople.FillTo(random, record.Gkry, required);
        }
        else if (random.Chance(0.03))
        {
            record.Gkry = ResponsiblePeople.RemoveOne(random, record.Gkry);
        }
        else
        {
            record.Gkry = ResponsiblePeople.ReplaceOne(random, record.Gkry);
        }
    }

    private static void DrugTest(Random random, PoliceRecord record, DateOnly today)
    {
        record.Zjjcrq = ChinaTime.FormatDate(today);
        record.Zjjcjg = RecordFactory.DrugTestResult(random);
    }
}
