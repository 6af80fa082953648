using System.Text;
using IntegrationHub.Adapters.Justice.Tests.Support;
using IntegrationHub.Adapters.Testing;
using static IntegrationHub.Adapters.Justice.Tests.Support.JusticeTestAdapters;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// Replaying rows from their stored payload alone (<see cref="JusticeAdapter.Remap"/>): problem rows of every kind map
/// again to what the read produced, and a payload that is not a row is a problem record, without touching a database.
/// </summary>
public sealed class JusticeReplayTests
{
    private static readonly DateTimeOffset Fallback = new(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Remap_ProblemRowsOfEveryKind_ReturnTheRecordsTheReadProduced()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        await database.InsertAsync(
            CaseRows.Row(1, 0),
            CaseRows.Row(2, 1) with { Ajlx = "XX", Ajzt = "09" },
            CaseRows.Row(3, 2) with { Jdrq = "2026/03/01", Bdrq = "" },
            CaseRows.Row(4, 3) with { IsDeleted = 1 },
            CaseRows.Row(5, 4) with { UpdateTime = "2026/11/28 09:15:06" },
            CaseRows.Row(6, 5) with { Ajzt = CaseRow.ResidentId });
        await database.ExecuteAsync("UPDATE {table} SET ajbh = NULL WHERE ajbh = 'AJ0000000003'");
        var adapter = Create(database);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(6, records.Count);
        Assert.Contains(records, r => r.Problem is null);
        Assert.Contains(records, r => r.Withdrawn);
        Assert.Contains(records, r => r.SourceKey.StartsWith("no-ajbh:", StringComparison.Ordinal));
        foreach (var record in records)
        {
            RecordAssert.Equal(record, adapter.Remap(Dataset, record.RawPayload, record.AgencyTime));
        }
    }

    [Fact]
    public async Task Remap_WithAnotherDatabaseConfigured_NeedsNothingButThePayload()
    {
        await using var database = await SqliteTestDatabase.CreateAsync();
        await database.InsertAsync(CaseRows.Row(1, 0) with { Ajzt = "09" });
        var record = Assert.Single(Records(await ReadAllAsync(Create(database))));
        var unreachable = database.Options();
        unreachable.ConnectionString = Path.Combine(Path.GetTempPath(), $"justice-missing-{Guid.NewGuid():N}.db");

        var remapped = Create(unreachable).Remap(Dataset, record.RawPayload, record.AgencyTime);

        RecordAssert.Equal(record, remapped);
    }

    [Theory]
    [InlineData("""{"ajbh":"AJ1"}""", "it has no column sfzh")]
    [InlineData("""{"ajbh":"AJ1","sfzh":1}""", "its column sfzh is neither text nor null")]
    [InlineData("""["AJ1"]""", "it is not a JSON object")]
    [InlineData("AJ1,440104198503071230", "it is not JSON")]
    public void Remap_PayloadThatIsNotARow_IsBadRecordSayingWhy(string payload, string why)
    {
        var record = JusticeRecordMapper.Remap(Encoding.UTF8.GetBytes(payload), Fallback);

        Assert.Equal("BAD_RECORD", record.Problem!.Code);
        Assert.Equal($"the stored payload is not a sq_jdkf_case row: {why}", record.Problem.Message);
        Assert.StartsWith("no-ajbh:", record.SourceKey, StringComparison.Ordinal);
        Assert.Equal(Fallback, record.AgencyTime);
    }

    [Fact]
    public void Remap_PayloadWithAPropertyThatIsNoColumn_IgnoresItAndKeepsTheStoredBytes()
    {
        var row = JusticeRecordMapper.Map(
            [.. new CaseRow { Ajbh = "AJ1", UpdateTime = "2026-11-28 09:15:02" }.Values().Select(v => v?.ToString())],
            Fallback).Record;
        var payload = Encoding.UTF8.GetString(row.RawPayload.Span).Replace("}", ",\"note\":\"x\"}", StringComparison.Ordinal);

        var record = JusticeRecordMapper.Remap(Encoding.UTF8.GetBytes(payload), Fallback);

        RecordAssert.FactEqual(row.Fact, record.Fact);
        Assert.Equal(payload, Encoding.UTF8.GetString(record.RawPayload.Span));
    }
}
