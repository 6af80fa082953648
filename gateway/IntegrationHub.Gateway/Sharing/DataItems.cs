namespace IntegrationHub.Gateway.Sharing;

/// <summary>
/// The data items the sharing policy decides on, one by one (数据共享 per item, GLOSSARY.md). A consolidated person is
/// cut along these lines for every reader; two items are derived, narrower views of a fuller one.
/// </summary>
public static class DataItems
{
    public const string Name = "identity.name";
    public const string ResidentId = "identity.resident_id";
    public const string PoliceRegistration = "police.registration";
    public const string ControlStatus = "police.control_status";
    public const string InIsolation = "police.in_isolation";
    public const string Grade = "police.grade";
    public const string ResponsiblePeople = "police.responsible_people";
    public const string DrugTest = "police.drug_test";
    public const string Cases = "justice.cases";
    public const string InCommunityTreatment = "justice.in_community_treatment";
    public const string Assistance = "civil_affairs.assistance";
    public const string Employment = "hr.employment";
    public const string Training = "hr.training";
    public const string Insurance = "hr.insurance";

    /// <summary>Every item with what it covers, in the order README's table lists them.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Name] = "the person's name",
        [ResidentId] = "the masked resident ID, sex and birth date",
        [PoliceRegistration] = "police registration: rybh, districts and street, grid, first registration",
        [ControlStatus] = "police control status (管控状态), every value",
        [InIsolation] = "only whether police say the person is in compulsory isolation (narrower than the control status)",
        [Grade] = "risk grade, grading date and the responsible people it requires",
        [ResponsiblePeople] = "the responsible people assigned (names and roles)",
        [DrugTest] = "the latest drug test",
        [Cases] = "justice cases: every field of every case",
        [InCommunityTreatment] = "only the type and status of open community detox or rehab cases (narrower than the cases)",
        [Assistance] = "civil-affairs assistance entries",
        [Employment] = "HR employment status, employer, start, hard-to-employ recognition",
        [Training] = "HR vocational training",
        [Insurance] = "HR medical insurance enrolment",
    };

    /// <summary>The item a timeline field (a fact property) of an agency belongs to.</summary>
    public static string ItemOfField(string agency, string field) => (agency, field) switch
    {
        ("police", "Sex" or "BirthDate") => ResidentId,
        ("police", "Grade" or "GradedOn") => Grade,
        ("police", "Status") => ControlStatus,
        ("police", "ResponsiblePeople") => ResponsiblePeople,
        ("police", "LatestTest") => DrugTest,
        ("police", _) => PoliceRegistration,
        ("justice", _) => Cases,
        ("civil-affairs", _) => Assistance,
        ("hr", "Trainings") => Training,
        ("hr", "MedicalInsuranceEnrolled" or "MedicalInsuranceSince") => Insurance,
        ("hr", _) => Employment,
        _ => throw new ArgumentOutOfRangeException(nameof(agency), agency, "unknown agency"),
    };

    /// <summary>The fuller item a derived one is a narrower view of.</summary>
    public static string? WiderOf(string item) => item switch
    {
        InIsolation => ControlStatus,
        InCommunityTreatment => Cases,
        _ => null,
    };
}
