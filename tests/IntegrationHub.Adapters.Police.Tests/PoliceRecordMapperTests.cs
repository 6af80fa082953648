using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Adapters.Police.Tests.Fakes;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>Mapping one <c>xdry</c> item to a source record (AGENCY-INTERFACES.md section 1); no server needed.</summary>
public sealed class PoliceRecordMapperTests
{
    private static readonly DateTimeOffset Fallback = new(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Map_CompleteItem_MapsEveryField()
    {
        var item = PoliceItems.Item("GZ2017000123", PoliceItems.BaseTime, seed: 7);

        var mapped = Map(item);

        var record = mapped.Record;
        Assert.Null(record.Problem);
        Assert.Equal("xdry", record.Dataset);
        Assert.Equal("GZ2017000123", record.SourceKey);
        Assert.Equal(PoliceItems.BaseTime, record.AgencyTime);
        Assert.Equal(TimeSpan.FromHours(8), record.AgencyTime.Offset);
        Assert.False(record.Withdrawn);
        Assert.Equal(PoliceItems.SyntheticId(7), record.ResidentId);
        Assert.Equal(PoliceItems.SyntheticName(7), record.Name);
        var fact = Assert.IsType<PoliceRegistrationFact>(record.Fact);
        Assert.Equal(Sex.Male, fact.Sex);
        Assert.Equal(new DateOnly(1985, 3, 7), fact.BirthDate);
        Assert.Equal("440104", fact.RegisteredDistrict);
        Assert.Equal("440105", fact.ResidenceDistrict);
        Assert.Equal("江南中街道", fact.ResidenceStreet);
        Assert.Equal("440105003002011", fact.GridCode);
        Assert.Equal(RiskGrade.Medium, fact.Grade);
        Assert.Equal(new DateOnly(2026, 9, 30), fact.GradedOn);
        Assert.Equal(ControlStatus.InCommunity, fact.Status);
        Assert.Equal(
            [new ResponsiblePerson("李明7", ResponsibleRole.PoliceOfficer), new ResponsiblePerson("陈芳7", ResponsibleRole.SocialWorker), new ResponsiblePerson("王强7", ResponsibleRole.GridWorker)],
            fact.ResponsiblePeople);
        Assert.Equal(new DrugTest(new DateOnly(2026, 10, 12), DrugTestResult.Negative), fact.LatestTest);
        Assert.Equal(new DateOnly(2017, 3, 2), fact.FirstRegisteredOn);
        Assert.Equal(new PoliceWatermark(PoliceItems.BaseTime, "GZ2017000123"), mapped.Position);
    }

    [Theory]
    [InlineData("10", ControlStatus.InCommunity)]
    [InlineData("20", ControlStatus.CompulsoryIsolation)]
    [InlineData("30", ControlStatus.Detained)]
    [InlineData("40", ControlStatus.LostContact)]
    [InlineData("50", ControlStatus.Deceased)]
    [InlineData("60", ControlStatus.ReleasedFromControl)]
    public void Map_GkztCode_MapsToControlStatus(string code, ControlStatus expected) =>
        Assert.Equal(expected, Fact(With("gkzt", code)).Status);

    [Theory]
    [InlineData("1", RiskGrade.Extreme)]
    [InlineData("2", RiskGrade.High)]
    [InlineData("3", RiskGrade.Medium)]
    [InlineData("4", RiskGrade.Low)]
    [InlineData("", RiskGrade.None)]
    public void Map_FxdjCode_MapsToRiskGrade(string code, RiskGrade expected) =>
        Assert.Equal(expected, Fact(With("fxdj", code)).Grade);

    [Theory]
    [InlineData("1", Sex.Male)]
    [InlineData("2", Sex.Female)]
    [InlineData("9", Sex.Unknown)]
    public void Map_XbCode_MapsToSex(string code, Sex expected) =>
        Assert.Equal(expected, Fact(With("xb", code)).Sex);

    [Theory]
    [InlineData("MJ", ResponsibleRole.PoliceOfficer)]
    [InlineData("ZG", ResponsibleRole.AntiDrugWorker)]
    [InlineData("SG", ResponsibleRole.SocialWorker)]
    [InlineData("WGY", ResponsibleRole.GridWorker)]
    [InlineData("JS", ResponsibleRole.FamilyMember)]
    [InlineData("GB", ResponsibleRole.PairedCadre)]
    public void Map_GkryRole_MapsToResponsibleRole(string code, ResponsibleRole expected)
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        item["gkry"] = new JsonArray(new JsonObject { ["xm"] = "某人", ["js"] = code });

        Assert.Equal([new ResponsiblePerson("某人", expected)], Fact(item).ResponsiblePeople);
    }

    [Fact]
    public void Map_NoResponsiblePeople_IsAnEmptyList() =>
        Assert.Empty(Fact(With("gkry", new JsonArray())).ResponsiblePeople);

    [Fact]
    public void Map_WgbmEmpty_IsNotAssignedToAGrid() =>
        Assert.Null(Fact(With("wgbm", "")).GridCode);

    [Fact]
    public void Map_OptionalFieldsEmptyOrAbsent_AreNull()
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        item["csrq"] = "";
        item["pgrq"] = null;
        item.Remove("hjdqh");
        item["jzjd"] = "";
        item.Remove("cclrrq");

        var fact = Fact(item);

        Assert.Null(fact.BirthDate);
        Assert.Null(fact.GradedOn);
        Assert.Null(fact.RegisteredDistrict);
        Assert.Null(fact.ResidenceStreet);
        Assert.Null(fact.FirstRegisteredOn);
    }

    [Fact]
    public void Map_DrugTestBothEmpty_HasNoLatestTest()
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        item["zjjcrq"] = "";
        item["zjjcjg"] = "";

        Assert.Null(Fact(item).LatestTest);
    }

    [Fact]
    public void Map_DrugTestPositive_IsPositive() =>
        Assert.Equal(DrugTestResult.Positive, Fact(With("zjjcjg", "阳性")).LatestTest?.Result);

    [Fact]
    public void Map_DrugTestResultWithoutDate_IsMissingFieldProblem()
    {
        var problem = Problem(With("zjjcrq", ""));

        Assert.Equal("MISSING_FIELD", problem.Code);
        Assert.Contains("zjjcrq", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-28T09:15:02.431+08:00", 431)]
    [InlineData("2026-11-28T09:15:02+08:00", 0)]
    [InlineData("2026-11-28T09:15:02.4+08:00", 400)]
    [InlineData("2026-11-28T01:15:02.431Z", 431)]
    public void Map_GxsjWithOrWithoutFraction_ParsesTheExactInstant(string gxsj, int milliseconds)
    {
        var record = Map(With("gxsj", gxsj)).Record;

        Assert.Null(record.Problem);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 15, 2, milliseconds, TimeSpan.Zero), record.AgencyTime);
    }

    [Theory]
    [InlineData("2026-11-28T09:15:02.431")]
    [InlineData("2026-11-28 09:15:02")]
    [InlineData("28/11/2026 09:15:02 +08:00")]
    [InlineData("2026-02-30T09:15:02.431+08:00")]
    public void Map_GxsjNotIsoWithOffset_IsBadDateAndHasNoPosition(string gxsj)
    {
        var mapped = Map(With("gxsj", gxsj));

        Assert.Equal("BAD_DATE", mapped.Record.Problem?.Code);
        Assert.Contains("gxsj", mapped.Record.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(Fallback, mapped.Record.AgencyTime);
        Assert.Null(mapped.Position);
        Assert.Equal("GZ1", mapped.Record.SourceKey);
    }

    [Fact]
    public void Map_UnknownGkzt_IsUnknownCodeNamingFieldAndValue()
    {
        var item = With("gkzt", "99");

        var record = Map(item).Record;

        Assert.Null(record.Fact);
        Assert.Equal("UNKNOWN_CODE", record.Problem?.Code);
        Assert.Contains("gkzt", record.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("\"99\"", record.Problem.Message, StringComparison.Ordinal);
        Assert.Equal(item["sfzh"]!.GetValue<string>(), record.ResidentId);
        Assert.Equal(item["xm"]!.GetValue<string>(), record.Name);
    }

    [Theory]
    [InlineData("19851345")]
    [InlineData("1985-03-07")]
    [InlineData("850307")]
    public void Map_BadCsrq_IsBadDateWithoutShowingTheBirthDate(string csrq)
    {
        var problem = Problem(With("csrq", csrq));

        Assert.Equal("BAD_DATE", problem.Code);
        Assert.Contains("csrq", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(csrq, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_BadPgrq_IsBadDateShowingTheValue()
    {
        var problem = Problem(With("pgrq", "2026-13-01"));

        Assert.Equal("BAD_DATE", problem.Code);
        Assert.Contains("pgrq", problem.Message, StringComparison.Ordinal);
        Assert.Contains("2026-13-01", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_MissingRybh_KeyIsAStableHashOfTheRawItem()
    {
        var item = PoliceItems.Item("x", PoliceItems.BaseTime);
        item.Remove("rybh");
        var other = PoliceItems.Item("x", PoliceItems.BaseTime, seed: 1);
        other.Remove("rybh");

        var first = Map(item);
        var again = Map(JsonNode.Parse(PoliceItems.ToJson(item))!.AsObject());
        var different = Map(other);

        Assert.Equal("MISSING_FIELD", first.Record.Problem?.Code);
        Assert.Contains("rybh", first.Record.Problem!.Message, StringComparison.Ordinal);
        Assert.Matches("^no-rybh:[0-9a-f]{64}$", first.Record.SourceKey);
        Assert.Equal(first.Record.SourceKey, again.Record.SourceKey);
        Assert.NotEqual(first.Record.SourceKey, different.Record.SourceKey);
        Assert.Null(first.Position);
    }

    [Theory]
    [InlineData("rybh")]
    [InlineData("gxsj")]
    [InlineData("scbz")]
    [InlineData("sfzh")]
    [InlineData("xm")]
    [InlineData("xb")]
    [InlineData("jzdqh")]
    [InlineData("wgbm")]
    [InlineData("fxdj")]
    [InlineData("gkzt")]
    [InlineData("gkry")]
    public void Map_RequiredFieldAbsent_IsMissingFieldNamingIt(string field)
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        item.Remove(field);

        var problem = Problem(item);

        Assert.Equal("MISSING_FIELD", problem.Code);
        Assert.Contains(field, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xb", "1")]
    [InlineData("gkzt", "true")]
    [InlineData("gkry", "\"MJ\"")]
    [InlineData("gkry", "[\"MJ\"]")]
    [InlineData("xm", "{}")]
    [InlineData("csrq", "19850307")]
    public void Map_FieldOfWrongJsonType_IsBadRecordNamingIt(string field, string json)
    {
        var problem = Problem(With(field, JsonNode.Parse(json)));

        Assert.Equal("BAD_RECORD", problem.Code);
        Assert.Contains(field, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"GZ1\"")]
    [InlineData("null")]
    public void Map_ItemNotAnObject_IsBadRecordWithHashKey(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(bytes);

        var mapped = PoliceRecordMapper.Map(document.RootElement, bytes, Fallback);

        Assert.Equal("BAD_RECORD", mapped.Record.Problem?.Code);
        Assert.StartsWith("no-rybh:", mapped.Record.SourceKey, StringComparison.Ordinal);
        Assert.Null(mapped.Position);
    }

    [Theory]
    [InlineData("44010619900101003x")]
    [InlineData("４４０１０４１９８５０３０７１２３０")]
    [InlineData(" 440104 19850307 1230 ")]
    [InlineData("440104850307123")]
    [InlineData("")]
    public void Map_DirtySfzh_PassesThroughUnchanged(string sfzh)
    {
        var record = Map(With("sfzh", sfzh)).Record;

        Assert.Equal(sfzh, record.ResidentId);
        Assert.Null(record.Problem);
    }

    [Fact]
    public void Map_SfzhAsBareNumber_KeepsTheDigitsAsWritten()
    {
        var json = PoliceItems.ToJson(PoliceItems.Item("GZ1", PoliceItems.BaseTime))
            .Replace($"\"sfzh\":\"{PoliceItems.SyntheticId(0)}\"", "\"sfzh\":440104850307123", StringComparison.Ordinal);

        var record = MapJson(json).Record;

        Assert.Equal("440104850307123", record.ResidentId);
        Assert.Null(record.Problem);
    }

    [Fact]
    public void Map_WithdrawnItem_IsWithdrawnAndStillMapped()
    {
        var record = Map(With("scbz", "1")).Record;

        Assert.True(record.Withdrawn);
        Assert.IsType<PoliceRegistrationFact>(record.Fact);
    }

    [Fact]
    public void Map_WithdrawnItemWithUnknownCode_StaysWithdrawnWithItsProblem()
    {
        var item = With("scbz", "1");
        item["gkzt"] = "99";

        var record = Map(item).Record;

        Assert.True(record.Withdrawn);
        Assert.Equal("UNKNOWN_CODE", record.Problem?.Code);
    }

    [Fact]
    public void Map_UnknownScbz_IsUnknownCodeAndNotWithdrawn()
    {
        var record = Map(With("scbz", "2")).Record;

        Assert.False(record.Withdrawn);
        Assert.Equal("UNKNOWN_CODE", record.Problem?.Code);
    }

    [Fact]
    public void Map_SeveralProblems_FirstCodeAndEveryFieldInTheMessage()
    {
        var item = With("gkzt", "99");
        item["xb"] = "0";
        item["pgrq"] = "yesterday";

        var problem = Problem(item);

        Assert.Equal("UNKNOWN_CODE", problem.Code);
        Assert.Contains("xb", problem.Message, StringComparison.Ordinal);
        Assert.Contains("gkzt", problem.Message, StringComparison.Ordinal);
        Assert.Contains("pgrq", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gkzt", "sfzh")]
    [InlineData("xb", "xm")]
    [InlineData("fxdj", "sfzh")]
    [InlineData("pgrq", "sfzh")]
    [InlineData("zjjcjg", "xm")]
    public void Map_PersonalDataTypedIntoACodeField_IsNotShownInTheMessage(string field, string copiedFrom)
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        var secret = item[copiedFrom]!.GetValue<string>();
        item[field] = secret;

        var problem = Problem(item);

        Assert.Contains(field, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_UnknownRoleWithOfficersName_NamesTheIndexNotThePerson()
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        item["gkry"] = new JsonArray(new JsonObject { ["xm"] = "李明", ["js"] = "MJ" }, new JsonObject { ["xm"] = "陈芳", ["js"] = "陈芳" });

        var problem = Problem(item);

        Assert.Equal("UNKNOWN_CODE", problem.Code);
        Assert.Contains("gkry[1].js", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("陈芳", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("李明", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>Regression (fuzz, issue 5): such a string made <c>GetString</c> throw out of the mapper and fail the whole read.</summary>
    [Theory]
    [InlineData("rybh")]
    [InlineData("sfzh")]
    [InlineData("xm")]
    [InlineData("gkzt")]
    [InlineData("csrq")]
    public void Map_StringThatIsNotText_IsBadRecordProblem(string field)
    {
        var json = PoliceItems.ToJson(PoliceItems.Item("GZ2017000123", PoliceItems.BaseTime, seed: 7));
        var prefix = $"\"{field}\":\"";
        var at = json.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length;
        byte[] invalidUtf8 = [.. Encoding.UTF8.GetBytes(json[..at]), 0xFF, 0xC3, .. Encoding.UTF8.GetBytes(json[at..])];
        var loneSurrogate = Encoding.UTF8.GetBytes(json[..at] + "\\ud800" + json[at..]);

        foreach (var bytes in (byte[][])[invalidUtf8, loneSurrogate])
        {
            using var document = JsonDocument.Parse(bytes);
            var record = PoliceRecordMapper.Map(document.RootElement, bytes, Fallback).Record;

            Assert.Null(record.Fact);
            Assert.Equal(PoliceProblemCodes.BadRecord, record.Problem?.Code);
            Assert.Contains($"{field} is not text", record.Problem!.Message, StringComparison.Ordinal);
        }
    }

    private static JsonObject With(string field, JsonNode? value)
    {
        var item = PoliceItems.Item("GZ1", PoliceItems.BaseTime);
        item[field] = value;
        return item;
    }

    private static PoliceRegistrationFact Fact(JsonObject item)
    {
        var record = Map(item).Record;
        Assert.Null(record.Problem);
        return Assert.IsType<PoliceRegistrationFact>(record.Fact);
    }

    private static MappingProblem Problem(JsonObject item)
    {
        var record = Map(item).Record;
        Assert.Null(record.Fact);
        Assert.NotNull(record.Problem);
        Assert.Matches("^[A-Z]+(_[A-Z]+)*$", record.Problem.Code);
        return record.Problem;
    }

    [Fact]
    public void Map_UndocumentedRoleAndTestResultMapped_ReadAsTheirDocumentedCodes()
    {
        var item = PoliceItems.Item("GZ2017000123", PoliceItems.BaseTime, seed: 7);
        ((JsonObject)item["gkry"]![2]!)["js"] = "wgy";
        item["zjjcjg"] = "阴";
        var codes = Codes(("js", "wgy", "WGY"), ("zjjcjg", "阴", "阴性"));

        var fact = Assert.IsType<PoliceRegistrationFact>(Map(item, codes).Record.Fact);

        Assert.Equal(ResponsibleRole.GridWorker, fact.ResponsiblePeople[2].Role);
        Assert.Equal(DrugTestResult.Negative, fact.LatestTest!.Result);
    }

    [Fact]
    public void Map_UndocumentedRoleAndTestResultNotMapped_NameTheSettingsThatMapThem()
    {
        var item = PoliceItems.Item("GZ2017000123", PoliceItems.BaseTime, seed: 7);
        ((JsonObject)item["gkry"]![2]!)["js"] = "wgy";
        item["zjjcjg"] = "阴";

        var problem = Map(item).Record.Problem!;

        Assert.Equal(
            "gkry[2].js has unknown code \"wgy\" (expected MJ, ZG, SG, WGY, JS or GB); map it with Adapters:Police:CodeMappings:js:wgy; "
            + "zjjcjg has unknown value \"阴\" (expected 阴性 or 阳性); map it with Adapters:Police:CodeMappings:zjjcjg:阴",
            problem.Message);
    }

    [Fact]
    public void Map_UnknownCodeThatCouldBePersonalData_HintsWithoutTheValue()
    {
        var item = PoliceItems.Item("GZ2017000123", PoliceItems.BaseTime, seed: 7);
        item["gkzt"] = PoliceItems.SyntheticId(7);

        var problem = Map(item).Record.Problem!;

        Assert.DoesNotContain(PoliceItems.SyntheticId(7), problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("map it with Adapters:Police:CodeMappings:gkzt:<value>", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Adapter_MappingOfADocumentedCode_IsLoggedAsIgnored()
    {
        var options = new PoliceAdapterOptions { BaseUrl = new Uri("http://127.0.0.1:5091/"), Token = "t" };
        options.CodeMappings["gkzt"] = new() { ["10"] = "20" };
        var logger = new CapturingLogger<PoliceAdapter>();

        _ = PoliceTestAdapters.Create(options, logger: logger);

        Assert.Contains(logger.Lines, l => l.Contains("Adapters:Police:CodeMappings:gkzt:10 maps a documented code and is ignored", StringComparison.Ordinal));
    }

    private static CodeMap Codes(params (string Field, string Value, string Target)[] mappings) =>
        CodeMap.Create(
            mappings.GroupBy(m => m.Field).ToDictionary(g => g.Key, g => g.ToDictionary(m => m.Value, m => m.Target)),
            PoliceRecordMapper.CodedFields,
            "Adapters:Police");

    private static MappedItem Map(JsonObject item, CodeMap codes)
    {
        var bytes = Encoding.UTF8.GetBytes(PoliceItems.ToJson(item));
        using var document = JsonDocument.Parse(bytes);
        return PoliceRecordMapper.Map(document.RootElement, bytes, Fallback, codes);
    }

    private static MappedItem Map(JsonObject item) => MapJson(PoliceItems.ToJson(item));

    private static MappedItem MapJson(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(bytes);
        var mapped = PoliceRecordMapper.Map(document.RootElement, bytes, Fallback);
        Assert.Equal(bytes, mapped.Record.RawPayload.ToArray());
        return mapped;
    }
}
