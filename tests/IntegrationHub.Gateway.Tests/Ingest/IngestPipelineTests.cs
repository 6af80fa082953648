using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Ingest;

public sealed class IngestPipelineTests : IDisposable
{
    private static readonly string IdA = PoliceRecords.ResidentId("440104", new DateOnly(1985, 3, 7), 123);
    private static readonly string IdB = PoliceRecords.ResidentId("440105", new DateOnly(1972, 8, 15), 451);
    private readonly TestHub hub = new();

    [Fact]
    public void CommitBatch_NewRecord_InsertsPersonFactAndProjection()
    {
        var counts = hub.Commit("R1", PoliceRecords.Create("GZ1", IdA));

        Assert.Equal(1, counts.Inserted);
        Assert.Equal(1, counts.Read);
        var personId = hub.Views.FindPersonId(IdA);
        Assert.NotNull(personId);
        var person = hub.Views.GetPerson(personId!);
        Assert.Equal("测试甲", person!.Name);
        Assert.Equal("440104********1230".Length, person.MaskedResidentId.Length);
        Assert.Equal(RiskGrade.Medium, person.Police!.Fact.Grade);
        Assert.Equal("R1", person.Police.Provenance.RunId);
    }

    [Fact]
    public void CommitBatch_UnchangedResend_IsNoOp()
    {
        var record = PoliceRecords.Create("GZ1", IdA);
        hub.Commit("R1", record);

        var counts = hub.Commit("R2", record);

        Assert.Equal(1, counts.Unchanged);
        Assert.Equal(0, counts.Inserted + counts.Updated);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM facts"));
        Assert.Equal("R1", hub.Views.GetPerson(hub.Views.FindPersonId(IdA)!)!.Police!.Provenance.RunId);
    }

    [Fact]
    public void CommitBatch_ChangedRecord_UpdatesAndKeepsHistory()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdA, grade: RiskGrade.Medium));

        var counts = hub.Commit("R2", PoliceRecords.Create("GZ1", IdA, grade: RiskGrade.High, responsible: 5));

        Assert.Equal(1, counts.Updated);
        Assert.Equal(2, hub.Count("SELECT COUNT(*) FROM facts WHERE source_key = 'GZ1'"));
        Assert.Equal(RiskGrade.High, hub.Views.GetPerson(hub.Views.FindPersonId(IdA)!)!.Police!.Fact.Grade);
    }

    [Fact]
    public void CommitBatch_WithdrawnRecord_LeavesViewSearchAndIndicators()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdA), PoliceRecords.Create("GZ2", IdB));

        var counts = hub.Commit("R2", PoliceRecords.Create("GZ1", IdA, withdrawn: true, at: DateTimeOffset.Parse("2026-11-28T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(1, counts.Withdrawn);
        Assert.Null(hub.Views.GetPerson(hub.Views.FindPersonId(IdA)!));
        var (page, total) = hub.Views.Search(new PersonFilter(null, null, null, null), null, 10);
        Assert.Equal(1, total);
        Assert.Equal("GZ2", Assert.Single(page).PolicePersonNumber);
        Assert.Equal(1, hub.Indicators.Indicators(null, new DateOnly(2026, 11, 29), DayWindow.YearTo(new DateOnly(2026, 11, 29)))[0].Registered);
        Assert.Equal(2, hub.Count("SELECT COUNT(*) FROM facts WHERE source_key = 'GZ1'"));
    }

    [Theory]
    [InlineData("440104198503071231", "RESIDENT_ID_CHECK_CHARACTER")]
    [InlineData("440104198502301233", "RESIDENT_ID_BIRTH_DATE")]
    [InlineData("720104198503071238", "RESIDENT_ID_REGION")]
    [InlineData("", "RESIDENT_ID_MISSING")]
    public void CommitBatch_UnusableResidentId_QuarantinesWithReason_AndKeepsTheOthers(string badId, string reason)
    {
        var counts = hub.Commit("R1", PoliceRecords.Create("GZ1", badId), PoliceRecords.Create("GZ2", IdB));

        Assert.Equal(1, counts.Quarantined);
        Assert.Equal(1, counts.Inserted);
        Assert.Equal(1, hub.Count($"SELECT COUNT(*) FROM quarantine WHERE source_key = 'GZ1' AND reason_code = '{reason}'"));
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM persons"));
    }

    [Fact]
    public void CommitBatch_MappingProblem_QuarantinesWithAdapterReason()
    {
        var bad = PoliceRecords.Create("GZ1", IdA) with { Fact = null, Problem = new MappingProblem("UNKNOWN_CODE", "gkzt '99' is not a control status") };

        var counts = hub.Commit("R1", bad);

        Assert.Equal(1, counts.Quarantined);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM quarantine WHERE reason_code = 'UNKNOWN_CODE'"));
    }

    [Fact]
    public void CommitBatch_CorrectedAfterQuarantine_LeavesQuarantine()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", "440104198503071231"));

        var counts = hub.Commit("R2", PoliceRecords.Create("GZ1", IdA));

        Assert.Equal(1, counts.Inserted);
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM quarantine"));
    }

    [Fact]
    public void CommitBatch_FifteenAndEighteenDigitForms_AreOnePerson()
    {
        // 440105720815451 is the 1989 form of IdB.
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdB), PoliceRecords.Create("GZ2", " ４４０１０５７２０８１５４５１ "));

        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM persons"));
        Assert.Equal(2, hub.Count("SELECT COUNT(DISTINCT source_key) FROM police_registrations"));
    }

    [Fact]
    public void CommitBatch_Cursor_CommitsWithTheBatch()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdA));

        Assert.Equal("cursor-after-GZ1", hub.Runs.GetCursor("police", "xdry"));
        Assert.Equal(1, hub.Runs.Get("R1")!.Batches);
    }

    [Fact]
    public void CommitBatch_FailingRecord_RollsBackRecordsCursorAndCounts()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdA));
        var unsupported = PoliceRecords.Create("GZ3", IdB) with { Fact = new UnsupportedFact() };

        Assert.Throws<NotSupportedException>(() => hub.Commit("R1", PoliceRecords.Create("GZ2", IdB), unsupported));

        Assert.Equal("cursor-after-GZ1", hub.Runs.GetCursor("police", "xdry"));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM source_records WHERE source_key = 'GZ2'"));
        Assert.Equal(1, hub.Runs.Get("R1")!.Counts.Read);
    }

    [Fact]
    public void CommitBatch_StoresNoResidentIdOrNameInClearText()
    {
        var fifteen = "440105720815451";
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdA, name: "欧阳明哲"), PoliceRecords.Create("GZ2", fifteen), PoliceRecords.Create("GZ3", "440104198503071231"));
        using (var connection = hub.Database.Open())
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var bytes = Directory.GetFiles(hub.Folder).SelectMany(File.ReadAllBytes).ToArray();
        foreach (var secret in new[] { IdA, fifteen, IdB, "440104198503071231", "欧阳明哲" })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
        }
    }

    [Fact]
    public void CommitBatch_Counts_AddUpOverMixedBatch()
    {
        hub.Commit("R1", PoliceRecords.Create("GZ1", IdA));

        var counts = hub.Commit("R2",
            PoliceRecords.Create("GZ1", IdA),
            PoliceRecords.Create("GZ2", IdB),
            PoliceRecords.Create("GZ3", "990104198503071238"),
            PoliceRecords.Create("GZ4", IdA, withdrawn: true));
        var run = hub.Runs.Get("R2")!;

        Assert.Equal(4, run.Counts.Read);
        Assert.Equal((1, 1, 1, 1), (run.Counts.Unchanged, run.Counts.Inserted, run.Counts.Quarantined, run.Counts.Withdrawn));
        Assert.Equal(counts, run.Counts);
    }

    public void Dispose() => hub.Dispose();

    private sealed record UnsupportedFact : Fact;
}
