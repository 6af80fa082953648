using System.Globalization;
using Google.Protobuf;
using IntegrationHub.Adapters;
using IntegrationHub.Contract.V1;
using Domain = IntegrationHub.Adapters;

namespace IntegrationHub.Gateway.Exchange;

/// <summary>
/// Turns a record an agency pushed (the canonical model) into the source record the pipeline takes from adapters, so
/// that pushed and polled records meet the same validation, quarantine, identity and scope. A record that cannot be
/// mapped keeps its raw bytes and gets a problem: the pipeline quarantines it.
/// </summary>
public static class PushedRecordMapper
{
    /// <summary>The dataset each agency's pushed records join: the same as the agency's polled ones, so a key is one record.</summary>
    public static string DatasetOf(string agency) => agency switch
    {
        "police" => IntegrationHub.Adapters.Police.PoliceAdapter.XdryDataset,
        "justice" => IntegrationHub.Adapters.Justice.JusticeAdapter.CaseDataset,
        "civil-affairs" => IntegrationHub.Adapters.CivilAffairs.CivilAffairsAdapter.RosterDataset,
        "hr" => IntegrationHub.Adapters.HumanResources.HumanResourcesAdapter.EmploymentDataset,
        _ => throw new ArgumentOutOfRangeException(nameof(agency), agency, "unknown agency"),
    };

    /// <returns>The source record, or null with <paramref name="rejection"/> when it has no key to be kept under.</returns>
    public static SourceRecord? Map(string agency, PushedRecord pushed, DateTimeOffset receivedAt, out string? rejection)
    {
        rejection = null;
        var keyedByResidentId = agency is "civil-affairs" or "hr";
        var key = keyedByResidentId ? pushed.ResidentId : FirstNonEmpty(pushed.SourceKey, pushed.Police?.PolicePersonNumber, pushed.RehabCase?.CaseNumber);
        if (string.IsNullOrWhiteSpace(key))
        {
            rejection = keyedByResidentId
                ? "resident_id: required; it is the key of a record of this agency"
                : "source_key: required (or the record's own police_person_number / case_number)";
            return null;
        }

        var problem = pushed.AgencyTime is null ? new MappingProblem("MISSING_FIELD", "agency_time: required") : null;
        Fact? fact = null;
        if (problem is null && !pushed.Withdrawn)
        {
            (fact, problem) = MapFact(agency, pushed);
        }

        return new SourceRecord
        {
            Dataset = DatasetOf(agency),
            SourceKey = key.Trim(),
            SourceKeyIsResidentId = keyedByResidentId,
            RawPayload = pushed.ToByteArray(),
            AgencyTime = pushed.AgencyTime?.ToDateTimeOffset() ?? receivedAt,
            Withdrawn = pushed.Withdrawn && problem is null,
            ResidentId = pushed.ResidentId,
            Name = pushed.Name,
            Fact = problem is null ? fact : null,
            Problem = problem,
        };
    }

    private static (Fact?, MappingProblem?) MapFact(string agency, PushedRecord pushed)
    {
        try
        {
            return (pushed.FactCase, agency) switch
            {
                (PushedRecord.FactOneofCase.Police, "police") => (Police(pushed.Police), null),
                (PushedRecord.FactOneofCase.RehabCase, "justice") => (Case(pushed.RehabCase), null),
                (PushedRecord.FactOneofCase.Assistance, "civil-affairs") => (Assistance(pushed.Assistance), null),
                (PushedRecord.FactOneofCase.Employment, "hr") => (Employment(pushed.Employment), null),
                (PushedRecord.FactOneofCase.None, _) => (null, new MappingProblem("MISSING_FIELD", "fact: required unless withdrawn")),
                _ => (null, new MappingProblem("WRONG_AGENCY", $"fact: {agency} may push only its own kind of record, not {pushed.FactCase}")),
            };
        }
        catch (PushFieldException e)
        {
            return (null, new MappingProblem(e.Code, e.Message));
        }
    }

    private static PoliceRegistrationFact Police(PoliceRegistration p) => new()
    {
        Sex = Domain.Sex.Unknown,
        RegisteredDistrict = Empty(p.RegisteredDistrict),
        ResidenceDistrict = Required(p.ResidenceDistrict, "police.residence_district"),
        ResidenceStreet = Empty(p.ResidenceStreet),
        GridCode = Empty(p.GridCode),
        Grade = p.Grade switch
        {
            Contract.V1.RiskGrade.None => Domain.RiskGrade.None,
            Contract.V1.RiskGrade.Extreme => Domain.RiskGrade.Extreme,
            Contract.V1.RiskGrade.High => Domain.RiskGrade.High,
            Contract.V1.RiskGrade.Medium => Domain.RiskGrade.Medium,
            Contract.V1.RiskGrade.Low => Domain.RiskGrade.Low,
            _ => throw new PushFieldException("MISSING_FIELD", "police.grade: required (RISK_GRADE_NONE when not graded)"),
        },
        GradedOn = Date(p.GradedOn, "police.graded_on"),
        Status = p.ControlStatus switch
        {
            Contract.V1.ControlStatus.InCommunity => Domain.ControlStatus.InCommunity,
            Contract.V1.ControlStatus.CompulsoryIsolation => Domain.ControlStatus.CompulsoryIsolation,
            Contract.V1.ControlStatus.Detained => Domain.ControlStatus.Detained,
            Contract.V1.ControlStatus.LostContact => Domain.ControlStatus.LostContact,
            Contract.V1.ControlStatus.Deceased => Domain.ControlStatus.Deceased,
            Contract.V1.ControlStatus.ReleasedFromControl => Domain.ControlStatus.ReleasedFromControl,
            _ => throw new PushFieldException("MISSING_FIELD", "police.control_status: required"),
        },
        ResponsiblePeople = p.ResponsiblePeople.Select(r => new Domain.ResponsiblePerson(
            Required(r.Name, "police.responsible_people.name"),
            r.Role == Contract.V1.ResponsibleRole.Unspecified
                ? throw new PushFieldException("MISSING_FIELD", "police.responsible_people.role: required")
                : (Domain.ResponsibleRole)((int)r.Role - 1))).ToList(),
        LatestTest = p.LatestTest is { } t
            ? new Domain.DrugTest(
                Date(t.Date, "police.latest_test.date") ?? throw new PushFieldException("MISSING_FIELD", "police.latest_test.date: required"),
                t.Result == Contract.V1.DrugTestResult.Positive ? Domain.DrugTestResult.Positive
                : t.Result == Contract.V1.DrugTestResult.Negative ? Domain.DrugTestResult.Negative
                : throw new PushFieldException("MISSING_FIELD", "police.latest_test.result: required"))
            : null,
        FirstRegisteredOn = Date(p.FirstRegisteredOn, "police.first_registered_on"),
    };

    private static RehabCaseFact Case(RehabCase c) => new()
    {
        Type = c.Type switch
        {
            Contract.V1.CaseType.CommunityDetox => Domain.CaseType.CommunityDetox,
            Contract.V1.CaseType.CommunityRehab => Domain.CaseType.CommunityRehab,
            Contract.V1.CaseType.CompulsoryIsolation => Domain.CaseType.CompulsoryIsolation,
            _ => throw new PushFieldException("MISSING_FIELD", "rehab_case.type: required"),
        },
        DecidedOn = Date(c.DecidedOn, "rehab_case.decided_on") ?? throw new PushFieldException("MISSING_FIELD", "rehab_case.decided_on: required"),
        ReportedOn = Date(c.ReportedOn, "rehab_case.reported_on"),
        TermStart = Date(c.TermStart, "rehab_case.term_start"),
        TermEnd = Date(c.TermEnd, "rehab_case.term_end"),
        ExecutingDistrict = Empty(c.ExecutingDistrict),
        ExecutingStreet = Empty(c.ExecutingStreet),
        Status = c.Status == Contract.V1.CaseStatus.Unspecified
            ? throw new PushFieldException("MISSING_FIELD", "rehab_case.status: required")
            : (Domain.CaseStatus)((int)c.Status - 1),
    };

    private static AssistanceFact Assistance(Assistance a) => new()
    {
        Type = a.Type == Contract.V1.AssistanceType.Unspecified
            ? throw new PushFieldException("MISSING_FIELD", "assistance.type: required")
            : (Domain.AssistanceType)((int)a.Type - 1),
        Status = a.Status == Contract.V1.AssistanceStatus.Unspecified
            ? throw new PushFieldException("MISSING_FIELD", "assistance.status: required")
            : (Domain.AssistanceStatus)((int)a.Status - 1),
        MonthlyAmount = a.MonthlyAmountFen < 0
            ? throw new PushFieldException("BAD_VALUE", "assistance.monthly_amount_fen: must not be negative")
            : a.MonthlyAmountFen / 100m,
        HouseholdSize = a.HouseholdSize > 0 ? a.HouseholdSize : null,
        ApprovedOn = Date(a.ApprovedOn, "assistance.approved_on"),
        SuspendedOn = Date(a.SuspendedOn, "assistance.suspended_on"),
        Street = Empty(a.Street),
        District = Empty(a.District),
    };

    private static EmploymentFact Employment(Employment e) => new()
    {
        Status = e.Status == Contract.V1.EmploymentStatus.Unspecified
            ? throw new PushFieldException("MISSING_FIELD", "employment.status: required")
            : (Domain.EmploymentStatus)((int)e.Status - 1),
        Employer = Empty(e.Employer),
        EmployedSince = Date(e.EmployedSince, "employment.employed_since"),
        HardToEmploy = e.HardToEmploy,
        Trainings = e.Trainings.Select(t => new TrainingRecord(Required(t.Course, "employment.trainings.course"), Date(t.CompletedOn, "employment.trainings.completed_on"), t.Passed)).ToList(),
        MedicalInsuranceEnrolled = e.MedicalInsuranceEnrolled,
        MedicalInsuranceSince = Date(e.MedicalInsuranceSince, "employment.medical_insurance_since"),
    };

    private static DateOnly? Date(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1900 ? date
        : throw new PushFieldException("BAD_DATE", $"{field}: '{value}' is not a date YYYY-MM-DD");

    private static string Required(string value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new PushFieldException("MISSING_FIELD", $"{field}: required") : value.Trim();

    private static string? Empty(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private sealed class PushFieldException(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }
}
