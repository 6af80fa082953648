using System.Globalization;
using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Resilience;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Telemetry;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IntegrationHub.Gateway.Tests.Support;

/// <summary>A store in a temporary folder with the pipeline and queries over it; deleted on dispose.</summary>
public sealed class TestHub : IDisposable
{
    /// <param name="linkage">Run the linkage rules in the pipeline, as the gateway does.</param>
    public TestHub(bool linkage = false)
    {
        Folder = Path.Combine(Path.GetTempPath(), "ih-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        Database = new HubDatabase(Path.Combine(Folder, "hub.db"));
        Database.Migrate(Time);
        Protector = new PersonalDataProtector(KeyRing.CreateEphemeral());
        Runs = new SyncRunStore(Database, Time);
        if (linkage)
        {
            Findings = new FindingStore(Database, Protector, Time, LinkageOptions);
            Linkage = new LinkageEvaluator(Database, Protector, new LinkageRules(LinkageOptions), Findings, Freshness);
        }

        Pipeline = new IngestPipeline(Database, Protector, Time, linkage: Linkage);
        Views = new ViewQueries(Database, Protector);
        Indicators = new IndicatorQueries(Database);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 2, 0, 0, TimeSpan.Zero));

    /// <summary>The rules' parameters (read when the hub is created).</summary>
    public LinkageOptions LinkageOptions { get; } = new();

    /// <summary>What the rules are told about each agency's freshness; tests set it.</summary>
    public FakeFreshness Freshness { get; } = new();

    public LinkageEvaluator? Linkage { get; }
    public FindingStore? Findings { get; }
    public string Folder { get; }
    public HubDatabase Database { get; }
    public PersonalDataProtector Protector { get; }
    public SyncRunStore Runs { get; }
    public IngestPipeline Pipeline { get; }
    public ViewQueries Views { get; }
    public IndicatorQueries Indicators { get; }

    /// <summary>Retries, circuit and alert settings of the runners this hub creates; no retries unless a test asks.</summary>
    public ResilienceOptions Resilience { get; } = new() { MaxRetries = 0 };

    public SyncInstrumentation Instrumentation => instrumentation ??= new SyncInstrumentation(meters);

    /// <summary>The agencies' health, shared by every runner of this hub as in one process.</summary>
    public AgencyHealthMonitor Health => health ??= new AgencyHealthMonitor(Database, Time, Resilience, Instrumentation, NullLogger<AgencyHealthMonitor>.Instance);

    /// <summary>The agencies' retry and circuit pipelines, shared by every runner of this hub as in one process.</summary>
    public AgencyResilience AgencyPipelines => pipelines ??= new AgencyResilience(Resilience, Time);

    private readonly TestMeterFactory meters = new();
    /// <summary>Settings for outage tests: two retries 2 s apart, a circuit that opens after three calls for a minute, an alert after three minutes.</summary>
    public void UseOutageResilience()
    {
        Resilience.MaxRetries = 2;
        Resilience.RetryDelay = TimeSpan.FromSeconds(2);
        Resilience.CircuitMinimumCalls = 3;
        Resilience.BreakDuration = TimeSpan.FromMinutes(1);
        Resilience.AlertAfter = TimeSpan.FromMinutes(3);
    }

    private SyncInstrumentation? instrumentation;
    private AgencyHealthMonitor? health;
    private AgencyResilience? pipelines;

    public SyncRunner CreateRunner() =>
        new(Pipeline, Runs, Instrumentation, Time, NullLogger<SyncRunner>.Instance, AgencyPipelines, Health, Resilience,
            new QuarantineQueries(Database), Protector, linkage: Linkage);

    /// <summary>Starts a run and commits one batch in it.</summary>
    public RunCounts Commit(string runId, params SourceRecord[] records) => CommitFor("police", "xdry", runId, null, records);

    /// <summary>Commits one batch of an agency's dataset (job named after the agency), optionally part of a snapshot.</summary>
    public RunCounts CommitFor(string agency, string dataset, string runId, SnapshotPart? snapshot, params SourceRecord[] records)
    {
        if (Runs.Get(runId) is null)
        {
            Runs.Start(runId, agency, "manual");
        }

        return Pipeline.CommitBatch(
            new BatchContext(agency, agency, dataset, runId), new SourceBatch(records, "cursor-after-" + (records.LastOrDefault() is { SourceKeyIsResidentId: false } last ? last.SourceKey : records.Length.ToString(CultureInfo.InvariantCulture)), snapshot));
    }

    /// <summary>Every byte of the data folder's files (after a checkpoint), to look for clear text.</summary>
    public byte[] AllBytes()
    {
        using (var connection = Database.Open())
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return [.. Directory.GetFiles(Folder).SelectMany(File.ReadAllBytes)];
    }

    public long Count(string sql)
    {
        using var connection = Database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        // Meters are process-wide: one left behind would be the one a later gateway's /metrics exports.
        instrumentation?.Dispose();
        meters.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>Agency freshness as a test sets it.</summary>
public sealed class FakeFreshness : IAgencyFreshnessSource
{
    public Dictionary<string, AgencyFreshness> Agencies { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, AgencyFreshness> At(DateTimeOffset now) => new Dictionary<string, AgencyFreshness>(Agencies, StringComparer.Ordinal);
}

/// <summary>Synthetic justice, civil-affairs and HR records.</summary>
public static class AgencyRecords
{
    public static SourceRecord Case(string ajbh, string residentId, CaseType type = CaseType.CommunityRehab, CaseStatus status = CaseStatus.Executing, string name = "测试乙", DateTimeOffset? at = null, bool deleted = false, DateOnly? decided = null, string district = "440104") => new()
    {
        Dataset = "sq_jdkf_case",
        SourceKey = ajbh,
        RawPayload = Encoding.UTF8.GetBytes($$"""{"ajbh":"{{ajbh}}","sfzh":"{{residentId}}","ajlx":"{{type}}","ajzt":"{{status}}","d":{{deleted.ToString().ToLowerInvariant()}}}"""),
        AgencyTime = at ?? new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8)),
        Withdrawn = deleted,
        ResidentId = residentId,
        Name = name,
        Fact = new RehabCaseFact { Type = type, Status = status, DecidedOn = decided ?? new DateOnly(2026, 10, 1), ExecutingDistrict = district, ExecutingStreet = "北京街道" },
    };

    public static SourceRecord Roster(string residentId, string name, DateOnly day, AssistanceStatus status = AssistanceStatus.Active, decimal amount = 1120m) => new()
    {
        Dataset = "roster",
        SourceKey = residentId,
        SourceKeyIsResidentId = true,
        RawPayload = Encoding.UTF8.GetBytes($$"""{"身份证号":"{{residentId}}","姓名":"{{name}}","保障状态":"{{status}}","月保障金额":"{{amount}}"}"""),
        AgencyTime = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)),
        ResidentId = residentId,
        Name = name,
        Fact = new AssistanceFact { Type = AssistanceType.MinimumLivingAllowance, Status = status, MonthlyAmount = amount, District = "440104", Street = "北京街道" },
    };

    public static SourceRecord Employment(string residentId, string name, EmploymentStatus status = EmploymentStatus.RegisteredUnemployed) => new()
    {
        Dataset = "employment",
        SourceKey = residentId,
        SourceKeyIsResidentId = true,
        RawPayload = Encoding.UTF8.GetBytes($"<person><aac002>{residentId}</aac002><aac003>{name}</aac003><jyzt>{status}</jyzt></person>"),
        AgencyTime = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.FromHours(8)),
        ResidentId = residentId,
        Name = name,
        Fact = new EmploymentFact { Status = status, HardToEmploy = false, Trainings = [], MedicalInsuranceEnrolled = true },
    };
}

/// <summary>Synthetic police records with valid resident IDs.</summary>
public static class PoliceRecords
{
    public static string ResidentId(string district, DateOnly birth, int sequence)
    {
        var body = district + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("000", CultureInfo.InvariantCulture);
        return body + Gateway.Identity.ResidentId.ComputeCheckCharacter(body);
    }

    public static SourceRecord Create(
        string rybh, string residentId, string name = "测试甲", RiskGrade grade = RiskGrade.Medium, ControlStatus status = ControlStatus.InCommunity,
        int responsible = 3, string district = "440104", string street = "北京街道", bool withdrawn = false, DateTimeOffset? at = null, string? grid = "440104001001001")
    {
        var time = at ?? new DateTimeOffset(2026, 11, 28, 9, 15, 2, TimeSpan.FromHours(8));
        var people = Enumerable.Range(0, responsible).Select(i => new ResponsiblePerson("责任人" + i, ResponsibleRole.SocialWorker)).ToList();
        // The police's sex and birth date agree with the ID (a conflict would hold the record for review).
        var valid = Gateway.Identity.ResidentId.TryNormalise(residentId, new DateOnly(2026, 11, 29), out var id, out _);
        var fact = new PoliceRegistrationFact
        {
            Sex = !valid || (id!.Value[16] - '0') % 2 == 1 ? Sex.Male : Sex.Female,
            BirthDate = valid ? id!.BirthDate : new DateOnly(1985, 3, 7),
            ResidenceDistrict = district,
            ResidenceStreet = street,
            GridCode = grid,
            Grade = grade,
            GradedOn = grade == RiskGrade.None ? null : new DateOnly(2026, 6, 1),
            Status = status,
            ResponsiblePeople = people,
        };
        var payload = $$"""{"rybh":"{{rybh}}","sfzh":"{{residentId}}","xm":"{{name}}","fxdj":"{{grade}}","gkzt":"{{status}}","n":{{responsible}},"jzdqh":"{{district}}","scbz":"{{(withdrawn ? 1 : 0)}}","gxsj":"{{time:O}}"}""";
        return new SourceRecord
        {
            Dataset = "xdry",
            SourceKey = rybh,
            RawPayload = Encoding.UTF8.GetBytes(payload),
            AgencyTime = time,
            Withdrawn = withdrawn,
            ResidentId = residentId,
            Name = name,
            Fact = fact,
        };
    }
}

internal sealed class TestMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    private readonly List<System.Diagnostics.Metrics.Meter> meters = [];

    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
    {
        var meter = new System.Diagnostics.Metrics.Meter(options);
        meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in meters)
        {
            meter.Dispose();
        }
    }
}
