using System.Text;
using System.Text.Json;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using static IntegrationHub.Adapters.CivilAffairs.Tests.CivilAffairsTestAdapters;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// Mapping roster rows read from real GBK files: the Chinese header by name, quoting, each column, and the rows that
/// become problems while the rest of the file goes on. No message or log line may carry an ID or a name.
/// </summary>
public sealed class RosterMappingTests : IDisposable
{
    private readonly RosterDropFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_ValidRow_MapsEveryColumn()
    {
        var head = SyntheticIds.Id(900);
        var row = RosterRow.For(1) with
        {
            Head = head,
            Type = "特困",
            Status = "停保",
            Amount = "1120.50",
            Size = "4",
            Approved = "2024-05-01",
            Suspended = "2026-10-31",
            Street = "北京街道",
            District = "440104",
        };
        _folder.WriteDay(Today, [row]);

        var record = Assert.Single(Records(await ReadAllAsync(Create(_folder))));

        Assert.Equal("roster", record.Dataset);
        Assert.Equal(row.Id, record.SourceKey);
        Assert.True(record.SourceKeyIsResidentId);
        Assert.Equal(row.Id, record.ResidentId);
        Assert.Equal(row.Name, record.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(8)), record.AgencyTime);
        Assert.False(record.Withdrawn);
        Assert.Null(record.Problem);
        var fact = Assert.IsType<AssistanceFact>(record.Fact);
        Assert.Equal(
            new AssistanceFact
            {
                Type = AssistanceType.ExtremePoverty,
                Status = AssistanceStatus.Suspended,
                MonthlyAmount = 1120.50m,
                HouseholdSize = 4,
                HeadOfHouseholdResidentId = head,
                ApprovedOn = new DateOnly(2024, 5, 1),
                SuspendedOn = new DateOnly(2026, 10, 31),
                Street = "北京街道",
                District = "440104",
            },
            fact);
    }

    [Fact]
    public async Task ReadAsync_EmptyOptionalValues_MapToNull()
    {
        _folder.WriteDay(Today, [RosterRow.For(1) with { Head = "", Amount = "", Size = "", Approved = "", Suspended = "", Street = "", District = "" }]);

        var fact = (AssistanceFact)Assert.Single(Records(await ReadAllAsync(Create(_folder)))).Fact!;

        Assert.Null(fact.HeadOfHouseholdResidentId);
        Assert.Null(fact.MonthlyAmount);
        Assert.Null(fact.HouseholdSize);
        Assert.Null(fact.ApprovedOn);
        Assert.Null(fact.SuspendedOn);
        Assert.Null(fact.Street);
        Assert.Null(fact.District);
    }

    [Theory]
    [InlineData("低保", AssistanceType.MinimumLivingAllowance)]
    [InlineData("低保边缘", AssistanceType.NearPoverty)]
    [InlineData("特困", AssistanceType.ExtremePoverty)]
    [InlineData("临时救助", AssistanceType.TemporaryRelief)]
    public async Task ReadAsync_AssistanceTypeCode_MapsToItsType(string code, AssistanceType expected)
    {
        _folder.WriteDay(Today, [RosterRow.For(1) with { Type = code }]);

        var fact = (AssistanceFact)Assert.Single(Records(await ReadAllAsync(Create(_folder)))).Fact!;

        Assert.Equal(expected, fact.Type);
    }

    [Theory]
    [InlineData("在保", AssistanceStatus.Active)]
    [InlineData("停保", AssistanceStatus.Suspended)]
    [InlineData("审核中", AssistanceStatus.UnderReview)]
    public async Task ReadAsync_StatusCode_MapsToItsStatus(string code, AssistanceStatus expected)
    {
        _folder.WriteDay(Today, [RosterRow.For(1) with { Status = code }]);

        var fact = (AssistanceFact)Assert.Single(Records(await ReadAllAsync(Create(_folder)))).Fact!;

        Assert.Equal(expected, fact.Status);
    }

    [Theory]
    [InlineData("1120.00", 1120.00)]
    [InlineData("0.5", 0.5)]
    [InlineData("980", 980)]
    [InlineData("12.300", 12.3)]
    public async Task ReadAsync_Amount_ParsesAsExactYuan(string text, double expected)
    {
        _folder.WriteDay(Today, [RosterRow.For(1) with { Amount = text }]);

        var fact = (AssistanceFact)Assert.Single(Records(await ReadAllAsync(Create(_folder)))).Fact!;

        Assert.Equal((decimal)expected, fact.MonthlyAmount);
    }

    [Fact]
    public async Task ReadAsync_GbkChineseText_DecodesToTheSameCharacters()
    {
        // Two-byte GBK throughout, the minority-name middle dot, and rarer characters inside GBK.
        string[] names = ["欧阳娜娜", "买买提·艾力", "龚琰", "谢玥", "禤晓"];
        string[] streets = ["北京街道", "华林街道", "沙面街道", "龙洞街道", "鳌头镇"];
        var rows = names.Select((name, i) => RosterRow.For(i) with { Name = name, Street = streets[i] }).ToList();
        _folder.WriteDay(Today, rows);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal(names, records.Select(r => r.Name));
        Assert.Equal(streets, records.Select(r => ((AssistanceFact)r.Fact!).Street));
        Assert.All(records, r => Assert.Null(r.Problem));
    }

    [Fact]
    public async Task ReadAsync_RawPayload_IsUtf8JsonOfHeaderToValueInFileOrder()
    {
        var row = RosterRow.For(1) with { Street = "北京街道, \"一号\"" };
        _folder.WriteDay(Today, [row]);

        var record = Assert.Single(Records(await ReadAllAsync(Create(_folder))));

        using var payload = JsonDocument.Parse(record.RawPayload);
        Assert.Equal(RosterDropFolder.Header, payload.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(row.Fields, payload.RootElement.EnumerateObject().Select(p => p.Value.GetString()));
        // UTF-8 text, not \u escapes: the payload is readable without any decoder but UTF-8.
        Assert.Contains("北京街道", Encoding.UTF8.GetString(record.RawPayload.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_QuotedValuesInFile_KeepCommasQuotesAndLineBreaks()
    {
        var street = "北京街道,\"一\"号\r\n二楼";
        _folder.WriteDay(Today, [RosterRow.For(1) with { Street = street }, RosterRow.For(2), RosterRow.For(3) with { Size = "x" }]);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal(3, records.Count);
        Assert.Equal(street, ((AssistanceFact)records[0].Fact!).Street);
        Assert.Equal(RosterRow.For(2).Id, records[1].SourceKey);
        // Row 1 spans lines 2-3, so row 3 starts on line 5.
        Assert.StartsWith("line 5 of MZ_JZ_20261128.csv: ", records[2].Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ColumnsInAnotherOrderWithExtraColumns_MapsByHeaderName()
    {
        string[] header = ["备注", "区划代码", "姓名", "保障状态", "身份证号", "救助类型", "月保障金额", "家庭人口", "批准日期", "停保日期", "所属街道", "户主身份证号"];
        var row = RosterRow.For(1);
        var head = SyntheticIds.Id(900);
        string[] fields = ["复核", "440105", row.Name, "审核中", row.Id, "低保边缘", "300.00", "2", "2025-01-02", "", "南华西街道", head];
        _folder.WriteDay(Today, header, [fields]);

        var record = Assert.Single(Records(await ReadAllAsync(Create(_folder))));

        Assert.Equal(row.Id, record.SourceKey);
        Assert.Equal(row.Name, record.Name);
        var fact = (AssistanceFact)record.Fact!;
        Assert.Equal(AssistanceType.NearPoverty, fact.Type);
        Assert.Equal(AssistanceStatus.UnderReview, fact.Status);
        Assert.Equal(300.00m, fact.MonthlyAmount);
        Assert.Equal(2, fact.HouseholdSize);
        Assert.Equal(new DateOnly(2025, 1, 2), fact.ApprovedOn);
        Assert.Equal("南华西街道", fact.Street);
        Assert.Equal("440105", fact.District);
        Assert.Equal(head, fact.HeadOfHouseholdResidentId);
        using var payload = JsonDocument.Parse(record.RawPayload);
        Assert.Equal(header, payload.RootElement.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ReadAsync_HeaderMissingAColumn_ThrowsSystemNamingIt()
    {
        var header = RosterDropFolder.Header.Where(h => h != "家庭人口").ToList();
        var row = RosterRow.For(1).Fields.Where((_, i) => i != 6).ToList();
        _folder.WriteDay(Today, header, [row]);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(Create(_folder)));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("MZ_JZ_20261128.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("has no column 家庭人口", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoHeaderRow_ThrowsSystemWithoutShowingTheDataRow()
    {
        var row = RosterRow.For(1);
        _folder.WriteBytes(Today, RosterDropFolder.Gbk.GetBytes(RosterDropFolder.Line(row.Fields)));

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(Create(_folder)));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("身份证号", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(row.Id, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(row.Name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BadValues_BecomeProblemRecordsAndTheFileGoesOn()
    {
        RosterRow[] rows =
        [
            RosterRow.For(0),
            RosterRow.For(1) with { Type = "低保户" },
            RosterRow.For(2) with { Status = "99" },
            RosterRow.For(3) with { Amount = "1,120.00" },
            RosterRow.For(4) with { Amount = "12.345" },
            RosterRow.For(5) with { Amount = "-5.00" },
            RosterRow.For(6) with { Size = "三" },
            RosterRow.For(7) with { Size = "0" },
            RosterRow.For(8) with { Approved = "2024/05/01" },
            RosterRow.For(9) with { Suspended = "2024-02-30" },
            RosterRow.For(10) with { Status = "" },
            RosterRow.For(11),
        ];
        _folder.WriteDay(Today, rows);

        var records = Records(await ReadAllAsync(Create(_folder, batchSize: 5)));

        Assert.Equal(rows.Select(r => r.Id), records.Select(r => r.SourceKey));
        Assert.Equal(
            [null, "UNKNOWN_CODE", "UNKNOWN_CODE", "BAD_NUMBER", "BAD_NUMBER", "BAD_NUMBER", "BAD_NUMBER", "BAD_NUMBER", "BAD_DATE", "BAD_DATE", "MISSING_FIELD", null],
            records.Select(r => r.Problem?.Code));
        Assert.All(records, r => Assert.True(r.Fact is null != (r.Problem is null), "exactly one of Fact and Problem"));
        string[] columns = ["救助类型", "保障状态", "月保障金额", "月保障金额", "月保障金额", "家庭人口", "家庭人口", "批准日期", "停保日期", "保障状态"];
        for (var i = 1; i <= 10; i++)
        {
            var message = records[i].Problem!.Message;
            Assert.StartsWith($"line {i + 2} of MZ_JZ_20261128.csv: {columns[i - 1]} ", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReadAsync_BadValueThatCouldBePersonalData_IsNotShown()
    {
        var row = RosterRow.For(1);
        _folder.WriteDay(Today, [
            row with { Type = row.Name },
            row with { Amount = row.Id },
            RosterRow.For(2) with { Approved = "2024/05/01" },
        ]);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Contains("(a value of 3 characters, not shown)", records[0].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("(a value of 18 characters, not shown)", records[1].Problem!.Message, StringComparison.Ordinal);
        Assert.EndsWith("批准日期 is not a date of the form yyyy-MM-dd: \"2024/05/01\"", records[2].Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WrongNumberOfFields_IsBadRecordKeyedByItsIdWithoutName()
    {
        var row = RosterRow.For(1);
        var text = RosterDropFolder.Csv(RosterDropFolder.Header, [RosterRow.For(0).Fields])
            + string.Join(",", row.Fields) + ",extra\r\n"
            + string.Join(",", row.Fields.Take(5)) + "\r\n"
            + RosterDropFolder.Line(RosterRow.For(2).Fields);
        _folder.WriteBytes(Today, RosterDropFolder.Gbk.GetBytes(text));

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal(4, records.Count);
        Assert.Equal([null, "BAD_RECORD", "BAD_RECORD", null], records.Select(r => r.Problem?.Code));
        Assert.Equal(row.Id, records[1].SourceKey);
        Assert.True(records[1].SourceKeyIsResidentId);
        Assert.Null(records[1].Name);
        Assert.Null(records[1].Fact);
        Assert.Equal("line 3 of MZ_JZ_20261128.csv: the row has 12 fields where the header has 11 (an unquoted comma or line break in a value?)", records[1].Problem!.Message);
        Assert.Contains("the row has 5 fields where the header has 11", records[2].Problem!.Message, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(records[1].RawPayload);
        Assert.Equal(["extra"], payload.RootElement.GetProperty("#extra").EnumerateArray().Select(e => e.GetString()));
        using var shortPayload = JsonDocument.Parse(records[2].RawPayload);
        Assert.Equal(RosterDropFolder.Header, shortPayload.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(6, shortPayload.RootElement.EnumerateObject().Count(p => p.Value.ValueKind == JsonValueKind.Null));
    }

    [Fact]
    public async Task ReadAsync_TextAfterClosingQuote_IsBadRecord()
    {
        var fields = RosterRow.For(1).Fields.ToArray();
        var text = RosterDropFolder.Csv(RosterDropFolder.Header, [])
            + string.Join(",", fields.Take(9)) + ",\"北京\"街道," + fields[10] + "\r\n"
            + RosterDropFolder.Line(RosterRow.For(2).Fields);
        _folder.WriteBytes(Today, RosterDropFolder.Gbk.GetBytes(text));

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal(["BAD_RECORD", null], records.Select(r => r.Problem?.Code));
        Assert.Contains("text after its closing quote", records[0].Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyId_IsMissingFieldKeyedByContent()
    {
        _folder.WriteDay(Today, [RosterRow.For(1) with { Id = "" }, RosterRow.For(1) with { Id = "" }]);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.All(records, r => Assert.Equal("MISSING_FIELD", r.Problem!.Code));
        Assert.All(records, r => Assert.StartsWith("no-id:", r.SourceKey, StringComparison.Ordinal));
        Assert.All(records, r => Assert.False(r.SourceKeyIsResidentId));
        Assert.All(records, r => Assert.Null(r.ResidentId));
        // The same content gets the same key, so a repeated row stays one record in the hub.
        Assert.Equal(records[0].SourceKey, records[1].SourceKey);
    }

    [Fact]
    public async Task ReadAsync_UndecodableBytes_FlagTheRowAsBadEncodingAndTheFileGoesOn()
    {
        var gbk = RosterDropFolder.Gbk;
        var broken = RosterRow.For(1);
        var bytes = new List<byte>();
        bytes.AddRange(gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header, [RosterRow.For(0).Fields])));
        // Row 1: 0xFF is no GBK byte at all, inside the name.
        bytes.AddRange(gbk.GetBytes(broken.Id + ",张"));
        bytes.Add(0xFF);
        bytes.AddRange(gbk.GetBytes(string.Join(",", broken.Fields.Skip(2).Prepend("")) + "\r\n"));
        // Row 2: a GBK lead byte (0x81) with no valid trail byte, at the end of the street.
        var cut = RosterRow.For(2);
        bytes.AddRange(gbk.GetBytes(string.Join(",", cut.Fields.Take(9)) + ",北京"));
        bytes.Add(0x81);
        bytes.AddRange(gbk.GetBytes("," + cut.District + "\r\n"));
        bytes.AddRange(gbk.GetBytes(RosterDropFolder.Line(RosterRow.For(3).Fields)));
        _folder.WriteBytes(Today, [.. bytes]);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal([RosterRow.For(0).Id, broken.Id, cut.Id, RosterRow.For(3).Id], records.Select(r => r.SourceKey));
        Assert.Equal([null, "BAD_ENCODING", "BAD_ENCODING", null], records.Select(r => r.Problem?.Code));
        Assert.Equal("line 3 of MZ_JZ_20261128.csv: 姓名 holds bytes that are not GBK", records[1].Problem!.Message);
        Assert.Equal("line 4 of MZ_JZ_20261128.csv: 所属街道 holds bytes that are not GBK", records[2].Problem!.Message);
        Assert.Null(records[1].Name);
        Assert.Equal(cut.Name, records[2].Name);
        Assert.Equal(RosterRow.For(3).Name, records[3].Name);
    }

    [Fact]
    public async Task ReadAsync_BadLeadByteBeforeAClosingQuote_CostsOnlyThatRow()
    {
        var gbk = RosterDropFolder.Gbk;
        var row = RosterRow.For(1);
        var bytes = new List<byte>();
        bytes.AddRange(gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header, [])));
        bytes.AddRange(gbk.GetBytes(string.Join(",", row.Fields.Take(9)) + ",\"北京,"));
        bytes.Add(0x81);
        bytes.AddRange(gbk.GetBytes("\"," + row.District + "\r\n"));
        bytes.AddRange(gbk.GetBytes(RosterDropFolder.Csv([], RosterRow.Range(2, 3).Select(r => r.Fields))));
        _folder.WriteBytes(Today, [.. bytes]);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal([row.Id, .. RosterRow.Range(2, 3).Select(r => r.Id)], records.Select(r => r.SourceKey));
        Assert.Equal(["BAD_ENCODING", null, null, null], records.Select(r => r.Problem?.Code));
    }

    [Fact]
    public async Task ReadAsync_UndecodableBytesInTheId_KeysTheRowByContent()
    {
        var gbk = RosterDropFolder.Gbk;
        var row = RosterRow.For(1);
        var bytes = new List<byte>();
        bytes.AddRange(gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header, [])));
        bytes.AddRange(gbk.GetBytes(row.Id[..10]));
        bytes.Add(0xFF);
        bytes.AddRange(gbk.GetBytes(string.Join(",", row.Fields.Skip(1).Prepend("")) + "\r\n"));
        _folder.WriteBytes(Today, [.. bytes]);

        var record = Assert.Single(Records(await ReadAllAsync(Create(_folder))));

        Assert.Equal("BAD_ENCODING", record.Problem!.Code);
        Assert.StartsWith("no-id:", record.SourceKey, StringComparison.Ordinal);
        Assert.False(record.SourceKeyIsResidentId);
        Assert.Null(record.ResidentId);
    }

    [Fact]
    public async Task ReadAsync_ProblemMessagesAndLogs_NeverCarryAnIdOrAName()
    {
        var rows = new List<RosterRow>
        {
            RosterRow.For(0),
            RosterRow.For(1) with { Type = RosterRow.For(1).Name },
            RosterRow.For(2) with { Amount = RosterRow.For(2).Id, Size = RosterRow.For(2).Head },
            RosterRow.For(3) with { Approved = RosterRow.For(3).Name, Status = RosterRow.For(3).Id },
            RosterRow.For(4) with { Id = "" },
        };
        _folder.WriteDay(Today.AddDays(-1), rows);
        _folder.WriteDay(Today, rows.Take(2));
        var logger = new CapturingLogger<CivilAffairsAdapter>();

        var records = Records(await ReadAllAsync(Create(_folder, batchSize: 2, logger: logger)));

        var secrets = rows.SelectMany(r => new[] { r.Id, r.Name, r.Head }).Where(s => s.Length > 0).ToList();
        var texts = records.Where(r => r.Problem is not null).Select(r => r.Problem!.Message).Concat(logger.Lines).ToList();
        Assert.NotEmpty(logger.Lines);
        Assert.Equal(5, texts.Count - logger.Lines.Count);
        foreach (var text in texts)
        {
            Assert.DoesNotContain(secrets, text.Contains);
        }
    }
}
