using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Tests.Linkage;

/// <summary>Hand-written facts for rule tests: one person, built up agency by agency, independent of any simulator.</summary>
internal sealed class PersonFactsBuilder
{
    public static readonly DateOnly Today = new(2026, 11, 29);
    private static readonly DateTimeOffset At = new(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private Cited<PoliceRegistrationFact>? police;
    private readonly List<Cited<RehabCaseFact>> cases = [];
    private readonly List<Cited<AssistanceFact>> assistance = [];
    private Cited<EmploymentFact>? employment;

    public static PersonFactsBuilder Person() => new();

    public PersonFactsBuilder Police(
        ControlStatus status = ControlStatus.InCommunity, RiskGrade grade = RiskGrade.Medium, DateOnly? gradedOn = null, int responsible = 3,
        DrugTest? test = null, bool noGradingDate = false)
    {
        police = new("GZ0001", new PoliceRegistrationFact
        {
            Sex = Sex.Male,
            ResidenceDistrict = "440104",
            ResidenceStreet = "北京街道",
            GridCode = "G1",
            Grade = grade,
            GradedOn = noGradingDate ? null : gradedOn ?? Today.AddDays(-30),
            Status = status,
            ResponsiblePeople = Enumerable.Range(0, responsible).Select(i => new ResponsiblePerson("责任人" + i, ResponsibleRole.GridWorker)).ToList(),
            LatestTest = test,
        }, Provenance("police", "xdry", "GZ0001"));
        return this;
    }

    public PersonFactsBuilder Case(
        string ajbh, CaseType type, CaseStatus status, DateOnly decided, DateOnly? reported = null, DateOnly? termEnd = null)
    {
        cases.Add(new(ajbh, new RehabCaseFact
        {
            Type = type,
            Status = status,
            DecidedOn = decided,
            ReportedOn = reported,
            TermEnd = termEnd,
            ExecutingDistrict = "440105",
            ExecutingStreet = "滨江街道",
        }, Provenance("justice", "sq_jdkf_case", ajbh)));
        return this;
    }

    public PersonFactsBuilder Assistance(AssistanceStatus status, AssistanceType type = AssistanceType.MinimumLivingAllowance)
    {
        assistance.Add(new("440104********1230", new AssistanceFact { Type = type, Status = status }, Provenance("civil-affairs", "roster", "440104********1230")));
        return this;
    }

    public PersonFactsBuilder Employment(
        EmploymentStatus status, bool hardToEmploy = false, bool insured = true, DateOnly? employedSince = null, params DateOnly?[] trainings)
    {
        employment = new("440104********1230", new EmploymentFact
        {
            Status = status,
            HardToEmploy = hardToEmploy,
            MedicalInsuranceEnrolled = insured,
            EmployedSince = employedSince,
            Trainings = trainings.Select(t => new TrainingRecord("焊工", t, true)).ToList(),
        }, Provenance("hr", "employment", "440104********1230"));
        return this;
    }

    public PersonFacts Build() => new("P1", police, cases, assistance, employment);

    private static ProvenanceView Provenance(string agency, string dataset, string key) => new(agency, dataset, key, At, At.AddMinutes(5), "R1");
}
