using IntegrationHub.Contract.V1;

namespace IntegrationHub.Gateway.Sharing;

/// <summary>Cuts a consolidated person down to the items a reader may see: withheld values are absent, never masked guesses.</summary>
public static class PersonRedactor
{
    private static readonly CaseStatus[] OpenCommunityStatuses = [CaseStatus.AwaitingReportIn, CaseStatus.Executing, CaseStatus.Suspended];

    public static ConsolidatedPerson Redact(ConsolidatedPerson person, Visibility visibility)
    {
        var view = person.Clone();
        var identity = view.Identity;
        if (!visibility.Sees(DataItems.Name))
        {
            identity.Name = "";
        }

        if (!visibility.Sees(DataItems.ResidentId))
        {
            identity.ResidentIdMasked = "";
            identity.Sex = Sex.Unspecified;
            identity.BirthDate = "";
        }

        if (!visibility.Sees(DataItems.Name) && !visibility.Sees(DataItems.ResidentId))
        {
            identity.Provenance = null;
        }

        view.Police = view.Police is { } police ? RedactPolice(police, visibility) : null;
        RedactCases(view, visibility);
        if (!visibility.Sees(DataItems.Assistance))
        {
            view.Assistance.Clear();
        }

        view.Employment = view.Employment is { } employment ? RedactEmployment(employment, visibility) : null;
        return view;
    }

    private static PoliceRegistration? RedactPolice(PoliceRegistration police, Visibility visibility)
    {
        var registration = visibility.Sees(DataItems.PoliceRegistration);
        var status = visibility.Items.Contains(DataItems.ControlStatus);
        var isolation = visibility.Sees(DataItems.InIsolation);
        var grade = visibility.Sees(DataItems.Grade);
        var responsible = visibility.Sees(DataItems.ResponsiblePeople);
        var test = visibility.Sees(DataItems.DrugTest);
        var isolated = police.ControlStatus == ControlStatus.CompulsoryIsolation;
        if (!(registration || status || (isolation && isolated) || grade || responsible || test))
        {
            // Nothing to show: not even that there is a police record.
            return null;
        }

        if (!registration)
        {
            police.PolicePersonNumber = "";
            police.RegisteredDistrict = "";
            police.ResidenceDistrict = "";
            police.ResidenceStreet = "";
            police.GridCode = "";
            police.FirstRegisteredOn = "";
            if (police.Provenance is not null)
            {
                police.Provenance.SourceKey = "";
            }
        }

        if (!status)
        {
            // The narrower item tells only whether the person is in compulsory isolation.
            police.ControlStatus = isolation && isolated
                ? ControlStatus.CompulsoryIsolation
                : ControlStatus.Unspecified;
        }

        if (!grade)
        {
            police.Grade = RiskGrade.Unspecified;
            police.GradedOn = "";
            police.RequiredResponsiblePeople = 0;
        }

        if (!responsible)
        {
            police.ResponsiblePeople.Clear();
        }

        if (!test)
        {
            police.LatestTest = null;
        }

        return police;
    }

    private static void RedactCases(ConsolidatedPerson view, Visibility visibility)
    {
        if (visibility.Sees(DataItems.Cases))
        {
            return;
        }

        var open = visibility.Sees(DataItems.InCommunityTreatment)
            ? view.RehabCases
                .Where(c => c.Type is CaseType.CommunityDetox or CaseType.CommunityRehab && OpenCommunityStatuses.Contains(c.Status))
                .Select(c => new RehabCase { Type = c.Type, Status = c.Status, Provenance = new Provenance { Agency = Agency.Justice } })
                .ToList()
            : [];
        view.RehabCases.Clear();
        view.RehabCases.AddRange(open);
    }

    private static Employment? RedactEmployment(Employment employment, Visibility visibility)
    {
        var work = visibility.Sees(DataItems.Employment);
        var training = visibility.Sees(DataItems.Training);
        var insurance = visibility.Sees(DataItems.Insurance);
        if (!(work || training || insurance))
        {
            return null;
        }

        if (!work)
        {
            employment.Status = EmploymentStatus.Unspecified;
            employment.Employer = "";
            employment.EmployedSince = "";
            employment.HardToEmploy = false;
        }

        if (!training)
        {
            employment.Trainings.Clear();
        }

        if (!insurance)
        {
            employment.MedicalInsuranceEnrolled = false;
            employment.MedicalInsuranceSince = "";
        }

        return employment;
    }
}

/// <summary>The same cut for search rows and timeline entries.</summary>
public static class SummaryRedactor
{
    public static PersonSummary Redact(PersonSummary summary, Visibility visibility)
    {
        var row = summary.Clone();
        if (!visibility.Sees(DataItems.Name))
        {
            row.Name = "";
        }

        if (!visibility.Sees(DataItems.ResidentId))
        {
            row.ResidentIdMasked = "";
        }

        if (!visibility.Sees(DataItems.PoliceRegistration))
        {
            row.PolicePersonNumber = "";
            row.ResidenceDistrict = "";
            row.ResidenceStreet = "";
        }

        if (!visibility.Items.Contains(DataItems.ControlStatus))
        {
            row.ControlStatus = visibility.Sees(DataItems.InIsolation) && row.ControlStatus == ControlStatus.CompulsoryIsolation
                ? ControlStatus.CompulsoryIsolation : ControlStatus.Unspecified;
        }

        if (!visibility.Sees(DataItems.Grade))
        {
            row.Grade = RiskGrade.Unspecified;
            row.RequiredResponsiblePeople = 0;
        }

        if (!visibility.Sees(DataItems.ResponsiblePeople))
        {
            row.ResponsiblePeople = 0;
        }

        return row;
    }

    /// <summary>A timeline entry with only the changes of items the reader sees; null when none is left to show.</summary>
    public static TimelineEntry? Redact(TimelineEntry entry, string agency, Visibility visibility)
    {
        var visible = entry.Changes.Where(c => visibility.Items.Contains(DataItems.ItemOfField(agency, c.Field))).ToList();
        if (visible.Count == 0 && (entry.Changes.Count > 0 || !DataItems.All.Keys.Any(i => visibility.Items.Contains(i) && IsOf(agency, i))))
        {
            return null;
        }

        var view = entry.Clone();
        view.Changes.Clear();
        view.Changes.AddRange(visible);
        return view;
    }

    private static bool IsOf(string agency, string item) => item.StartsWith(agency.Replace("-", "_", StringComparison.Ordinal) + ".", StringComparison.Ordinal);
}
