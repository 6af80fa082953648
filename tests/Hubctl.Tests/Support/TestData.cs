using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Support;

/// <summary>Contract messages with recognisable values.</summary>
public static class TestData
{
    /// <summary>2026-11-29 03:02:03 UTC, which is 11:02:03 in Asia/Shanghai.</summary>
    public static readonly Timestamp AgencyTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 3, 2, 3, TimeSpan.Zero));

    /// <summary>2026-11-29 03:05:00 UTC, 11:05:00 in Asia/Shanghai.</summary>
    public static readonly Timestamp HubTime = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 3, 5, 0, TimeSpan.Zero));

    public static Provenance Provenance(Agency agency, string dataset, string sourceKey, string runId) => new()
    {
        Agency = agency,
        Dataset = dataset,
        SourceKey = sourceKey,
        AgencyTime = AgencyTime,
        HubTime = HubTime,
        SyncRunId = runId,
    };

    public static ConsolidatedPerson Person() => new()
    {
        Identity = new PersonIdentity
        {
            PersonId = "HP000123",
            ResidentIdMasked = "440104********123X",
            Name = "张三丰",
            Sex = Sex.Male,
            BirthDate = "1985-03-07",
            Provenance = Provenance(Agency.Police, "xdry", "R4401040001", "run-identity"),
        },
        Police = new PoliceRegistration
        {
            PolicePersonNumber = "R4401040001",
            RegisteredDistrict = "440103",
            ResidenceDistrict = "440104",
            ResidenceStreet = "北京街",
            GridCode = "G-0042",
            Grade = RiskGrade.Medium,
            GradedOn = "2026-01-15",
            ControlStatus = ControlStatus.InCommunity,
            ResponsiblePeople =
            {
                new ResponsiblePerson { Name = "李警官", Role = ResponsibleRole.PoliceOfficer },
                new ResponsiblePerson { Name = "王网格", Role = ResponsibleRole.GridWorker },
            },
            RequiredResponsiblePeople = 3,
            LatestTest = new DrugTest { Date = "2026-11-01", Result = DrugTestResult.Negative },
            FirstRegisteredOn = "2019-06-30",
            Provenance = Provenance(Agency.Police, "xdry", "R4401040001", "run-police"),
        },
        RehabCases =
        {
            new RehabCase
            {
                CaseNumber = "AJ2026001",
                Type = CaseType.CommunityRehab,
                DecidedOn = "2026-03-01",
                ReportedOn = "2026-03-10",
                TermStart = "2026-03-10",
                TermEnd = "2029-03-09",
                ExecutingDistrict = "440104",
                ExecutingStreet = "北京街",
                Status = CaseStatus.Executing,
                Provenance = Provenance(Agency.Justice, "sq_jdkf_case", "AJ2026001", "run-justice"),
            },
        },
        Assistance =
        {
            new Assistance
            {
                Type = AssistanceType.MinimumLivingAllowance,
                Status = AssistanceStatus.Active,
                MonthlyAmountFen = 123450,
                HouseholdSize = 3,
                HeadOfHouseholdMasked = "440104********5678",
                ApprovedOn = "2025-07-01",
                Street = "北京街",
                District = "440104",
                Provenance = Provenance(Agency.CivilAffairs, "dibao_roster", "440104********123X", "run-civil"),
            },
        },
        Employment = new Employment
        {
            Status = EmploymentStatus.Flexible,
            Employer = "广州某物流有限公司",
            EmployedSince = "2024-05-01",
            HardToEmploy = true,
            Trainings = { new Training { Course = "叉车操作", CompletedOn = "2025-09-30", Passed = true } },
            MedicalInsuranceEnrolled = true,
            MedicalInsuranceSince = "2024-06-01",
            Provenance = Provenance(Agency.Hr, "jyxx", "440104********123X", "run-hr"),
        },
    };

    public static PersonSummary Summary(int n) => new()
    {
        PersonId = $"HP{n:000000}",
        ResidentIdMasked = "440104********123X",
        Name = $"测试{n}",
        PolicePersonNumber = $"R{n:0000}",
        ResidenceDistrict = "440104",
        ResidenceStreet = "北京街",
        Grade = RiskGrade.High,
        ControlStatus = ControlStatus.InCommunity,
        ResponsiblePeople = 4,
        RequiredResponsiblePeople = 5,
    };

    public static SyncRun Run(string runId, RunOutcome outcome, long read = 0, int batches = 0) => new()
    {
        RunId = runId,
        Job = "police",
        Outcome = outcome,
        Trigger = "manual",
        StartedAt = AgencyTime,
        EndedAt = outcome == RunOutcome.Running ? null : HubTime,
        Counts = new RunCounts { Read = read, Inserted = read / 2, Updated = read / 4, Unchanged = read - (read / 2) - (read / 4) },
        Batches = batches,
        DurationMs = 177_000,
    };

    /// <summary>A police run that failed transiently: "transient: police API answered 503".</summary>
    public static SyncRun FailedRun(string runId)
    {
        var run = Run(runId, RunOutcome.Failed, 5, 1);
        run.FailureKind = "transient";
        run.FailureMessage = "police API answered 503";
        return run;
    }

    /// <summary>
    /// A GetRun answer from a script: each call takes the next run (the last one repeats); null is a run not started
    /// yet, answered NOT_FOUND.
    /// </summary>
    public static GetRunResponse NextPoll(Queue<SyncRun?> script)
    {
        var run = script.Count > 1 ? script.Dequeue() : script.Peek();
        return run is null
            ? throw new RpcException(new Status(StatusCode.NotFound, "no run run-42 yet"))
            : new GetRunResponse { Run = run };
    }

    /// <summary>A police run in progress, reading <paramref name="dataset"/>.</summary>
    public static SyncRun Running(string runId, long read, int batches, string dataset = "xdry", int retries = 0)
    {
        var run = Run(runId, RunOutcome.Running, read, batches);
        run.CurrentDataset = dataset;
        run.Retries = retries;
        return run;
    }
}
