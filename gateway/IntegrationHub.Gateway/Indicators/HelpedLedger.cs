using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Indicators;

/// <summary>What a person in scope was helped into.</summary>
public static class HelpKinds
{
    /// <summary>A roster entry active (在保) when the person had none.</summary>
    public const string Assistance = "assistance";

    /// <summary>Medical insurance: not enrolled (or no HR record) to enrolled.</summary>
    public const string Insurance = "insurance";

    /// <summary>A job: HR jyzt 2 or 4 (or no HR record) to 1 or 3.</summary>
    public const string Job = "job";

    /// <summary>A training the person completed that HR had not shown before.</summary>
    public const string Training = "training";
}

/// <summary>
/// Records, when a civil-affairs or HR version arrives, whether it moves a person in scope into assistance, insurance, a
/// job or training: the first time only, per person and kind. The move is dated by the agency (the approval, employment,
/// enrolment or completion date, else the version's agency day; never after today). One dated on or before the day the hub
/// first saw the person is what they already had when they came into scope, not help, and is not counted.
/// </summary>
internal sealed class HelpedLedger(PersonalDataProtector protector)
{
    /// <summary>Called before the version's projection row is written: the projection still holds the state it replaces.</summary>
    public void Changed(BatchCommands commands, string agency, string sourceKey, string personId, Fact fact, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        switch (fact)
        {
            case AssistanceFact assistance:
                Assistance(commands, personId, assistance, agencyTime, now);
                break;
            case EmploymentFact employment:
                Employment(commands, sourceKey, personId, employment, agencyTime, now);
                break;
            default:
                throw new NotSupportedException($"{agency} {fact.GetType().Name} is no help.");
        }
    }

    private static void Assistance(BatchCommands commands, string personId, AssistanceFact fact, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        if (fact.Status == AssistanceStatus.Active
            && commands.Scalar("SELECT 1 FROM assistance WHERE person_id = $person AND status = $active LIMIT 1",
                ("$person", personId), ("$active", (int)AssistanceStatus.Active)) is null)
        {
            Record(commands, personId, HelpKinds.Assistance, [fact.ApprovedOn ?? Timestamps.ChinaDay(agencyTime)], now);
        }
    }

    private void Employment(BatchCommands commands, string sourceKey, string personId, EmploymentFact fact, DateTimeOffset agencyTime, DateTimeOffset now)
    {
        EmploymentStatus? status = null;
        var insured = false;
        EmploymentFact? previous = null;
        using (var reader = commands.Get(
            """
            SELECT e.status, e.insured, f.kind, f.content_cipher FROM employment e JOIN facts f ON f.fact_id = e.fact_id
            WHERE e.source_key = $key
            """,
            ("$key", sourceKey)).ExecuteReader())
        {
            if (reader.Read())
            {
                status = (EmploymentStatus)reader.GetInt32(0);
                insured = reader.GetInt32(1) != 0;
                if (fact.Trainings.Any(t => t.CompletedOn is not null))
                {
                    previous = (EmploymentFact)FactSerializer.Deserialize(reader.GetString(2), protector.Decrypt((byte[])reader[3], DataPurpose.FactContent));
                }
            }
        }

        var versionDay = Timestamps.ChinaDay(agencyTime);
        if (fact.Status is (EmploymentStatus.Employed or EmploymentStatus.FlexibleEmployment)
            && status is (null or EmploymentStatus.RegisteredUnemployed or EmploymentStatus.NotInLabourForce))
        {
            Record(commands, personId, HelpKinds.Job, [fact.EmployedSince ?? versionDay], now);
        }

        if (fact.MedicalInsuranceEnrolled && !insured)
        {
            Record(commands, personId, HelpKinds.Insurance, [fact.MedicalInsuranceSince ?? versionDay], now);
        }

        var known = previous?.Trainings.Select(t => (t.Course, t.CompletedOn)).ToHashSet() ?? [];
        var completed = fact.Trainings.Where(t => t.CompletedOn is not null && !known.Contains((t.Course, t.CompletedOn))).Select(t => t.CompletedOn!.Value).ToList();
        if (completed.Count > 0)
        {
            Record(commands, personId, HelpKinds.Training, completed, now);
        }
    }

    /// <summary>Counts the earliest of <paramref name="dates"/> that falls after the day the person came into scope.</summary>
    private static void Record(BatchCommands commands, string personId, string kind, IReadOnlyList<DateOnly> dates, DateTimeOffset now)
    {
        if (commands.Scalar("SELECT 1 FROM helped WHERE person_id = $person AND kind = $kind", ("$person", personId), ("$kind", kind)) is not null)
        {
            return;
        }

        var today = Timestamps.ChinaDay(now);
        var inScopeSince = Timestamps.ChinaDay(Timestamps.Parse((string)commands.Scalar("SELECT created_at FROM persons WHERE person_id = $person", ("$person", personId))!));
        var after = dates.Select(d => d > today ? today : d).Where(d => d > inScopeSince).ToList();
        if (after.Count == 0)
        {
            return;
        }

        var day = after.Min();

        var (district, street) = Area(commands, personId);
        commands.Execute(
            "INSERT INTO helped (person_id, kind, day, district, street, recorded_at) VALUES ($person, $kind, $day, $district, $street, $now)",
            ("$person", personId), ("$kind", kind), ("$day", IndicatorLedger.Day(day)), ("$district", district), ("$street", street),
            ("$now", Timestamps.Format(now)));
    }

    /// <summary>Where the person's figures are counted, as their findings are: residence at police, else the newest case's executing area.</summary>
    private static (string District, string Street) Area(BatchCommands commands, string personId)
    {
        using (var police = commands.Get(
            "SELECT residence_district, residence_street FROM police_registrations WHERE person_id = $person ORDER BY agency_time DESC LIMIT 1",
            ("$person", personId)).ExecuteReader())
        {
            if (police.Read())
            {
                return (police.GetString(0), police.GetString(1));
            }
        }

        using var justice = commands.Get(
            "SELECT executing_district, executing_street FROM rehab_cases WHERE person_id = $person ORDER BY decided_on DESC, source_key DESC LIMIT 1",
            ("$person", personId)).ExecuteReader();
        return justice.Read() ? (justice.GetString(0), justice.GetString(1)) : ("", "");
    }
}
