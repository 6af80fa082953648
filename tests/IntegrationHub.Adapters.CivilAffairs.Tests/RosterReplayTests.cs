using System.Text;
using System.Text.Json;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using IntegrationHub.Adapters.Testing;
using static IntegrationHub.Adapters.CivilAffairs.Tests.CivilAffairsTestAdapters;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// Replaying roster rows from their stored payload alone (<see cref="CivilAffairsAdapter.Remap"/>): the payload carries
/// the file's header with the row's values, so a row from a file with another column order, extra columns or a broken
/// structure maps again to what the read produced, without the file or GBK.
/// </summary>
public sealed class RosterReplayTests : IDisposable
{
    private readonly RosterDropFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// The same problem, found elsewhere: equal codes, and equal messages once the location is set aside (a read names
    /// the file's line, a replay the day's file).
    /// </summary>
    internal static void AssertSameProblemElsewhere(MappingProblem read, MappingProblem remapped)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(remapped);
        Assert.Equal(read.Code, remapped.Code);
        Assert.StartsWith("line ", read.Message, StringComparison.Ordinal);
        Assert.StartsWith("a replayed row of MZ_JZ_", remapped.Message, StringComparison.Ordinal);
        Assert.Equal(AfterLocation(read.Message), AfterLocation(remapped.Message));
    }

    [Fact]
    public async Task Remap_RowsOfEveryKind_ReturnTheRecordsTheReadProduced()
    {
        var gbk = RosterDropFolder.Gbk;
        var bytes = new List<byte>();
        bytes.AddRange(gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header,
        [
            RosterRow.For(0).Fields,
            (RosterRow.For(1) with { Type = "低保户" }).Fields,
            (RosterRow.For(2) with { Amount = "1,120.00", Approved = "2024/05/01" }).Fields,
            (RosterRow.For(3) with { Id = "" }).Fields,
            (RosterRow.For(4) with { Status = RosterRow.For(4).Name }).Fields,
        ])));
        bytes.AddRange(gbk.GetBytes(string.Join(",", RosterRow.For(5).Fields) + ",extra,more\r\n"));
        bytes.AddRange(gbk.GetBytes(string.Join(",", RosterRow.For(6).Fields.Take(5)) + "\r\n"));
        bytes.AddRange(gbk.GetBytes(string.Join(",", RosterRow.For(7).Fields.Take(9)) + ",\"北京\"街道,440104\r\n"));
        bytes.AddRange(gbk.GetBytes(RosterRow.For(8).Id + ",张"));
        bytes.Add(0xFF);
        bytes.AddRange(gbk.GetBytes(string.Join(",", RosterRow.For(8).Fields.Skip(2).Prepend("")) + "\r\n"));
        _folder.WriteBytes(Today, [.. bytes]);
        var adapter = Create(_folder);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(
            [null, "UNKNOWN_CODE", "BAD_NUMBER", "MISSING_FIELD", "UNKNOWN_CODE", "BAD_RECORD", "BAD_RECORD", "BAD_RECORD", "BAD_ENCODING"],
            records.Select(r => r.Problem?.Code));
        foreach (var record in records)
        {
            RecordAssert.Equal(record, adapter.Remap("roster", record.RawPayload, record.AgencyTime), AssertSameProblemElsewhere);
        }
    }

    [Fact]
    public async Task Remap_FileWithItsOwnColumnOrderRepeatedAndEmptyHeaderNames_ReturnsTheRecordTheReadProduced()
    {
        // Columns in another order, an extra column named twice, and two empty header cells (trailing commas).
        string[] header = ["备注", "区划代码", "姓名", "保障状态", "身份证号", "救助类型", "备注", "月保障金额", "家庭人口", "批准日期", "停保日期", "所属街道", "户主身份证号", "", ""];
        var row = RosterRow.For(1);
        string[] fields = ["复核", "440105", row.Name, "审核中", row.Id, "低保边缘", "二次", "300.00", "2", "2025-01-02", "", "南华西街道", row.Id, "", ""];
        _folder.WriteDay(Today, header, [fields]);
        var adapter = Create(_folder);

        var record = Assert.Single(Records(await ReadAllAsync(adapter)));
        var remapped = adapter.Remap("roster", record.RawPayload, record.AgencyTime);

        Assert.NotNull(record.Fact);
        RecordAssert.Equal(record, remapped);
    }

    [Fact]
    public async Task Remap_AfterTheFileIsGone_NeedsNothingButThePayload()
    {
        _folder.WriteDay(Today, [RosterRow.For(1) with { Type = "低保户" }]);
        var record = Assert.Single(Records(await ReadAllAsync(Create(_folder))));
        using var elsewhere = new RosterDropFolder();

        var remapped = Create(elsewhere).Remap("roster", record.RawPayload, record.AgencyTime);

        RecordAssert.Equal(record, remapped, AssertSameProblemElsewhere);
        Assert.StartsWith("a replayed row of MZ_JZ_20261128.csv: 救助类型 has an unknown code", remapped.Problem!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "it has no column 身份证号, 姓名, 户主身份证号, 救助类型, 保障状态, 月保障金额, 家庭人口, 批准日期, 停保日期, 所属街道, 区划代码")]
    [InlineData("{\"身份证号\":1}", "a property is neither")]
    [InlineData("{\"身份证号\":null,\"姓名\":\"x\"}", "a column has a value after a column the row lacks")]
    [InlineData("{\"身份证号\":\"x\",\"#extra\":[1]}", "#extra holds a value that is not a string")]
    [InlineData("[\"身份证号\"]", "it is not a JSON object")]
    [InlineData("身份证号,姓名", "it is not JSON")]
    public void Remap_PayloadThatIsNotARosterRow_IsBadRecordSayingWhy(string payload, string why)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);

        var record = Create(_folder).Remap("roster", bytes, new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(8)));

        Assert.Equal("BAD_RECORD", record.Problem!.Code);
        Assert.Contains(why, record.Problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("no-id:", record.SourceKey, StringComparison.Ordinal);
        Assert.Null(record.ResidentId);
    }

    [Fact]
    public async Task Remap_PayloadOfAWellFormedRow_IsTheHeaderToValueObjectItWasBefore()
    {
        // Well-formed rows keep the payload (and so the content hash) they had before replay existed.
        var row = RosterRow.For(1);
        _folder.WriteDay(Today, [row]);

        var record = Assert.Single(Records(await ReadAllAsync(Create(_folder))));

        var expected = "{" + string.Join(",", RosterDropFolder.Header.Zip(row.Fields, (h, v) => $"\"{h}\":\"{v}\"")) + "}";
        Assert.Equal(expected, Encoding.UTF8.GetString(record.RawPayload.Span));
        using var payload = JsonDocument.Parse(record.RawPayload);
        Assert.All(payload.RootElement.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
    }

    private static string AfterLocation(string message) => message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..];
}
