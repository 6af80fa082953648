using System.Text;
using IntegrationHub.Adapters.Justice.Tests.Support;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>Mapping one row of <c>sq_jdkf_case</c>, without a database: codes, dates, problems and what messages may show.</summary>
public sealed class JusticeRecordMapperTests
{
    private static readonly DateTimeOffset Fallback = new(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));

    private static string?[] Row(Func<CaseRow, CaseRow>? change = null)
    {
        var row = new CaseRow { Ajbh = "AJ2026000123", UpdateTime = "2026-11-28 09:15:02" };
        return [.. (change?.Invoke(row) ?? row).Values().Select(v => v is int i ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string?)v)];
    }

    [Theory]
    [InlineData("SQJD", CaseType.CommunityDetox)]
    [InlineData("SQKF", CaseType.CommunityRehab)]
    [InlineData("QZGL", CaseType.CompulsoryIsolation)]
    public void Map_Ajlx_GivesTheCaseType(string ajlx, CaseType expected)
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { Ajlx = ajlx }), Fallback);

        Assert.Equal(expected, Assert.IsType<RehabCaseFact>(mapped.Record.Fact).Type);
    }

    [Theory]
    [InlineData("01", CaseStatus.AwaitingReportIn)]
    [InlineData("02", CaseStatus.Executing)]
    [InlineData("03", CaseStatus.Completed)]
    [InlineData("04", CaseStatus.SeriousBreach)]
    [InlineData("05", CaseStatus.Absconded)]
    [InlineData("06", CaseStatus.TransferredToIsolation)]
    [InlineData("07", CaseStatus.Suspended)]
    [InlineData("08", CaseStatus.Terminated)]
    public void Map_Ajzt_GivesTheCaseStatus(string ajzt, CaseStatus expected)
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { Ajzt = ajzt }), Fallback);

        Assert.Equal(expected, Assert.IsType<RehabCaseFact>(mapped.Record.Fact).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Map_OptionalDatesNullOrEmpty_AreNull(string? value)
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { Bdrq = value, Qsrq = value, Jzrq = value, Zxdq = value, Zxjd = value }), Fallback);

        var fact = Assert.IsType<RehabCaseFact>(mapped.Record.Fact);
        Assert.Null(fact.ReportedOn);
        Assert.Null(fact.TermStart);
        Assert.Null(fact.TermEnd);
        Assert.Null(fact.ExecutingDistrict);
        Assert.Null(fact.ExecutingStreet);
    }

    [Theory]
    [InlineData("ajzt", "9", "UNKNOWN_CODE", "ajzt has unknown code \"9\" (expected 01, 02, 03, 04, 05, 06, 07 or 08); map it with Adapters:Justice:CodeMappings:ajzt:9")]
    [InlineData("ajlx", "sqjd", "UNKNOWN_CODE", "ajlx has unknown code \"sqjd\" (expected SQJD, SQKF or QZGL); map it with Adapters:Justice:CodeMappings:ajlx:sqjd")]
    [InlineData("jdrq", "2026-3-1", "BAD_DATE", "jdrq is not a date of the form yyyy-MM-dd: \"2026-3-1\"")]
    [InlineData("jzrq", "20290309", "BAD_DATE", "jzrq is not a date of the form yyyy-MM-dd: \"20290309\"")]
    [InlineData("jdrq", null, "MISSING_FIELD", "jdrq is missing (NULL)")]
    [InlineData("ajzt", "", "MISSING_FIELD", "ajzt is empty")]
    [InlineData("xm", null, "MISSING_FIELD", "xm is missing (NULL)")]
    [InlineData("update_time", "2026-11-28 9:15:02", "BAD_DATE", "update_time is not a time of the form yyyy-MM-dd HH:mm:ss: \"2026-11-28 9:15:02\"")]
    // Regression (fuzz, issue 5): an update_time before 0001-01-01 08:00 (+08:00) has no instant; it threw ArgumentOutOfRangeException out of the read and Remap.
    [InlineData("update_time", "0001-01-01 07:59:59", "BAD_DATE", "update_time is not a time of the form yyyy-MM-dd HH:mm:ss: \"0001-01-01 07:59:59\"")]
    [InlineData("is_deleted", "2", "UNKNOWN_CODE", "is_deleted has unknown code \"2\" (expected 0 or 1); map it with Adapters:Justice:CodeMappings:is_deleted:2")]
    public void Map_BadValue_IsAProblemNamingTheColumn(string column, string? value, string code, string message)
    {
        var row = Row();
        row[ColumnIndex(column)] = value;

        var mapped = JusticeRecordMapper.Map(row, Fallback);

        Assert.Null(mapped.Record.Fact);
        Assert.Equal(new MappingProblem(code, message), mapped.Record.Problem);
    }

    [Fact]
    public void Map_SeveralProblems_AreAllListedUnderTheFirstCode()
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { Ajlx = "XX", Jdrq = null, Ajzt = "99" }), Fallback);

        Assert.Equal(JusticeProblemCodes.UnknownCode, mapped.Record.Problem!.Code);
        Assert.Equal(
            "ajlx has unknown code \"XX\" (expected SQJD, SQKF or QZGL); map it with Adapters:Justice:CodeMappings:ajlx:XX; "
            + "jdrq is missing (NULL); ajzt has unknown code \"99\" (expected 01, 02, 03, 04, 05, 06, 07 or 08); map it with Adapters:Justice:CodeMappings:ajzt:99",
            mapped.Record.Problem.Message);
    }

    [Theory]
    [InlineData("440104198503071230")]
    [InlineData("张伟")]
    [InlineData("ID 440104198503071230")]
    [InlineData("440104850307123")]
    [InlineData("李明")]
    public void Map_PersonalDataInAWrongColumn_IsNeverShown(string value)
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { Jdrq = value, Ajzt = value, Ajlx = value }), Fallback);

        var message = mapped.Record.Problem!.Message;
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseRow.ResidentId, message, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseRow.PersonName, message, StringComparison.Ordinal);
        Assert.Contains("not shown", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_WithdrawnRow_IsWithdrawnAndKeepsItsFact()
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { IsDeleted = 1 }), Fallback);

        Assert.True(mapped.Record.Withdrawn);
        Assert.NotNull(mapped.Record.Fact);
    }

    [Fact]
    public void Map_IdentityColumns_AreKeptExactlyAsSent()
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { Sfzh = " ４４０１０４198503071230 ", Xm = "阿依古丽•买买提" }), Fallback);

        Assert.Equal(" ４４０１０４198503071230 ", mapped.Record.ResidentId);
        Assert.Equal("阿依古丽•买买提", mapped.Record.Name);
        Assert.Null(mapped.Record.Problem);
    }

    [Fact]
    public void Map_UnreadableUpdateTime_HasNoPositionAndTheFallbackTime()
    {
        var mapped = JusticeRecordMapper.Map(Row(r => r with { UpdateTime = "2026-11-28T09:15:02+08:00" }), Fallback);

        Assert.Null(mapped.Position);
        Assert.Equal(Fallback, mapped.Record.AgencyTime);
        Assert.Equal(JusticeProblemCodes.BadDate, mapped.Record.Problem!.Code);
    }

    [Fact]
    public void Map_ReadableUpdateTime_IsThePositionAndTheAgencyTimeAtPlusEight()
    {
        var mapped = JusticeRecordMapper.Map(Row(), Fallback);

        Assert.Equal(new JusticeWatermark(new DateTime(2026, 11, 28, 9, 15, 2), "AJ2026000123"), mapped.Position);
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T01:15:02Z", System.Globalization.CultureInfo.InvariantCulture), mapped.Record.AgencyTime);
    }

    [Fact]
    public void Map_MissingAjbh_KeysByContentAndIsAProblem()
    {
        var row = Row();
        row[0] = null;

        var first = JusticeRecordMapper.Map(row, Fallback);
        var again = JusticeRecordMapper.Map(row, Fallback);

        Assert.StartsWith(JusticeRecordMapper.MissingKeyPrefix, first.Record.SourceKey, StringComparison.Ordinal);
        Assert.Equal(first.Record.SourceKey, again.Record.SourceKey);
        Assert.Equal(JusticeProblemCodes.MissingField, first.Record.Problem!.Code);
    }

    [Fact]
    public void Payload_SameRow_GivesTheSameUtf8Bytes()
    {
        var first = JusticeRecordMapper.Payload(Row());
        var second = JusticeRecordMapper.Payload(Row());

        Assert.Equal(first.ToArray(), second.ToArray());
        Assert.StartsWith("{\"ajbh\":\"AJ2026000123\",\"sfzh\":\"440104198503071230\",\"xm\":\"张伟\",", Encoding.UTF8.GetString(first.Span), StringComparison.Ordinal);
    }

    private static int ColumnIndex(string column) => column switch
    {
        "ajbh" => 0,
        "sfzh" => 1,
        "xm" => 2,
        "ajlx" => 3,
        "jdrq" => 4,
        "jzrq" => 7,
        "ajzt" => 10,
        "update_time" => 11,
        "is_deleted" => 12,
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };
}
