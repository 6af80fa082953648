using System.Text;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Mapping one <c>&lt;person&gt;</c> to a source record (AGENCY-INTERFACES.md section 4); no server needed.</summary>
public sealed class HrRecordMapperTests
{
    private static readonly DateTimeOffset Fallback = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Map_CompletePerson_MapsEveryElement()
    {
        var person = HrPersons.Person(7) with
        {
            Pxjl = [new("叉车操作", "2026-02-10", "1"), new("电工", "2026-05-20", "0")],
        };

        var mapped = HrRecordMapper.Map(person.ToXml(), Fallback);

        var record = mapped.Record;
        Assert.Null(record.Problem);
        Assert.Equal("employment", record.Dataset);
        Assert.Equal(HrPersons.Id(7), record.SourceKey);
        Assert.True(record.SourceKeyIsResidentId);
        Assert.Equal(HrPersons.Id(7), record.ResidentId);
        Assert.Equal(HrPersons.Name(7), record.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 7, 0, TimeSpan.FromHours(8)), record.AgencyTime);
        Assert.Equal(TimeSpan.FromHours(8), record.AgencyTime.Offset);
        Assert.Equal(person.ToXml(), Encoding.UTF8.GetString(record.RawPayload.Span));
        Assert.False(record.Withdrawn);
        var fact = Assert.IsType<EmploymentFact>(record.Fact);
        Assert.Equal(EmploymentStatus.Employed, fact.Status);
        Assert.Equal("广州某物流有限公司", fact.Employer);
        Assert.Equal(new DateOnly(2026, 3, 1), fact.EmployedSince);
        Assert.True(fact.HardToEmploy);
        Assert.Equal(
            [new TrainingRecord("叉车操作", new DateOnly(2026, 2, 10), true), new TrainingRecord("电工", new DateOnly(2026, 5, 20), false)],
            fact.Trainings);
        Assert.True(fact.MedicalInsuranceEnrolled);
        Assert.Equal(new DateOnly(2026, 3, 1), fact.MedicalInsuranceSince);
        Assert.Equal(mapped.Record.AgencyTime, mapped.Gxsj);
    }

    [Theory]
    [InlineData("1", EmploymentStatus.Employed)]
    [InlineData("2", EmploymentStatus.RegisteredUnemployed)]
    [InlineData("3", EmploymentStatus.FlexibleEmployment)]
    [InlineData("4", EmploymentStatus.NotInLabourForce)]
    public void Map_JyztCode_MapsToEmploymentStatus(string code, EmploymentStatus expected) =>
        Assert.Equal(expected, Fact(HrPersons.Person(1) with { Jyzt = code }).Status);

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void Map_KnrdAndYlbxFlags_MapToBooleans(string code, bool expected)
    {
        var fact = Fact(HrPersons.Person(1) with { Knrd = code, Ylbx = code });

        Assert.Equal(expected, fact.HardToEmploy);
        Assert.Equal(expected, fact.MedicalInsuranceEnrolled);
    }

    [Fact]
    public void Map_UnemployedWithoutEmployerTrainingOrInsuranceDates_HasNullsAndNoTrainings()
    {
        var fact = Fact(HrPersons.Person(1) with { Jyzt = "2", Dwmc = null, Jyrq = "", Pxjl = null, Ylbx = "0", Cbrq = null });

        Assert.Equal(EmploymentStatus.RegisteredUnemployed, fact.Status);
        Assert.Null(fact.Employer);
        Assert.Null(fact.EmployedSince);
        Assert.Empty(fact.Trainings);
        Assert.False(fact.MedicalInsuranceEnrolled);
        Assert.Null(fact.MedicalInsuranceSince);
    }

    [Fact]
    public void Map_CourseWithoutEndDateOrResult_IsStillRunningSoNotPassed() =>
        Assert.Equal([new TrainingRecord("焊工", null, false)], Fact(HrPersons.Person(1) with { Pxjl = [new("焊工", null, null)] }).Trainings);

    [Fact]
    public void Map_EndedCourseWithoutResult_IsMissingFieldNamingThePath()
    {
        var problem = Problem(HrPersons.Person(1) with { Pxjl = [new("叉车操作", "2026-02-10", "1"), new("焊工", "2026-04-01", null)] });

        Assert.Equal("MISSING_FIELD", problem.Code);
        Assert.Contains("pxjl/px[2]/hgbz", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jyzt", "9", "UNKNOWN_CODE", "\"9\"")]
    [InlineData("knrd", "Y", "UNKNOWN_CODE", "\"Y\"")]
    [InlineData("ylbx", "2", "UNKNOWN_CODE", "\"2\"")]
    [InlineData("jyrq", "2026-02-30", "BAD_DATE", "\"2026-02-30\"")]
    [InlineData("cbrq", "20260301", "BAD_DATE", "\"20260301\"")]
    [InlineData("gxsj", "2026-11-28 09:15:02", "BAD_DATE", "\"2026-11-28 09:15:02\"")]
    // Regression (fuzz, issue 5): a gxsj before 0001-01-01 08:00 (+08:00) has no instant; it threw ArgumentOutOfRangeException out of the read.
    [InlineData("gxsj", "00010101000000", "BAD_DATE", "\"00010101000000\"")]
    [InlineData("gxsj", "20261128251502", "BAD_DATE", "\"20261128251502\"")]
    public void Map_BadValue_IsAProblemNamingTheElementAndShowingTheValue(string element, string value, string code, string shown)
    {
        var problem = Problem(With(HrPersons.Person(3), element, value));

        Assert.Equal(code, problem.Code);
        Assert.Contains(element, problem.Message, StringComparison.Ordinal);
        Assert.Contains(shown, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_BadCourseEndDate_IsBadDateNamingThePath()
    {
        var problem = Problem(HrPersons.Person(1) with { Pxjl = [new("叉车操作", "2026/02/10", "1")] });

        Assert.Equal("BAD_DATE", problem.Code);
        Assert.Contains("pxjl/px[1]/jsrq", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aac002")]
    [InlineData("aac003")]
    [InlineData("jyzt")]
    [InlineData("knrd")]
    [InlineData("ylbx")]
    [InlineData("gxsj")]
    public void Map_RequiredElementAbsentOrEmpty_IsMissingFieldNamingIt(string element)
    {
        var absent = Problem(With(HrPersons.Person(4), element, null));
        var empty = Problem(With(HrPersons.Person(4), element, ""));

        Assert.Equal("MISSING_FIELD", absent.Code);
        Assert.Equal("MISSING_FIELD", empty.Code);
        Assert.Contains(element + " is missing", absent.Message, StringComparison.Ordinal);
        Assert.Contains(element + " is empty", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_CourseWithoutName_IsMissingField() =>
        Assert.Equal("MISSING_FIELD", Problem(HrPersons.Person(1) with { Pxjl = [new(null, "2026-02-10", "1")] }).Code);

    [Fact]
    public void Map_ElementRepeated_IsBadRecord()
    {
        var xml = HrPersons.Person(1).ToXml().Replace("<jyzt>1</jyzt>", "<jyzt>1</jyzt><jyzt>2</jyzt>", StringComparison.Ordinal);

        var problem = HrRecordMapper.Map(xml, Fallback).Record.Problem!;

        Assert.Equal("BAD_RECORD", problem.Code);
        Assert.Contains("jyzt appears 2 times", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HrPageParser.MaxDepth - 1, null)]
    [InlineData(HrPageParser.MaxDepth, "BAD_RECORD")]
    [InlineData(1_000_000, "BAD_RECORD")]
    public void Remap_NestedDeeperThanThePageParserAllows_IsBadRecord(int levels, string? code)
    {
        // A replayed payload can be anything; the depth is refused before XElement.Load, whose time is quadratic in it.
        var xml = HrPersons.Person(1).ToXml().Replace(
            "</person>", string.Concat(Enumerable.Repeat("<a>", levels)) + string.Concat(Enumerable.Repeat("</a>", levels)) + "</person>", StringComparison.Ordinal);

        var problem = HrRecordMapper.Remap(System.Text.Encoding.UTF8.GetBytes(xml), Fallback).Problem;

        Assert.Equal(code, problem?.Code);
        if (code is not null)
        {
            Assert.Equal($"the person element nests elements deeper than {HrPageParser.MaxDepth} levels", problem!.Message);
        }
    }

    [Fact]
    public void Map_UnknownElements_AreIgnored()
    {
        var xml = HrPersons.Person(1).ToXml().Replace("</person>", "<bz>备注</bz><ext><a>1</a></ext></person>", StringComparison.Ordinal);

        Assert.Null(HrRecordMapper.Map(xml, Fallback).Record.Problem);
    }

    [Fact]
    public void Map_NoAac002_KeyedByContentHashAndNotAsAResidentId()
    {
        var xml = (HrPersons.Person(1) with { Aac002 = null }).ToXml();

        var first = HrRecordMapper.Map(xml, Fallback).Record;
        var second = HrRecordMapper.Map(xml, Fallback).Record;

        Assert.Matches("^no-aac002:[0-9a-f]{64}$", first.SourceKey);
        Assert.Equal(first.SourceKey, second.SourceKey);
        Assert.False(first.SourceKeyIsResidentId);
        Assert.Null(first.ResidentId);
        Assert.Null(first.Fact);
    }

    [Fact]
    public void Map_UnreadableGxsj_UsesTheFallbackTimeAndHasNoGxsj()
    {
        var mapped = HrRecordMapper.Map((HrPersons.Person(1) with { Gxsj = "yesterday" }).ToXml(), Fallback);

        Assert.Equal(Fallback, mapped.Record.AgencyTime);
        Assert.Null(mapped.Gxsj);
    }

    [Fact]
    public void Map_ProblemRecord_KeepsResidentIdAndNameForTheHubButNotInTheMessage()
    {
        var person = HrPersons.Person(5) with { Jyzt = "x", Jyrq = HrPersons.Id(5), Cbrq = HrPersons.Name(5), Gxsj = HrPersons.Id(5)[..14] };

        var record = HrRecordMapper.Map(person.ToXml(), Fallback).Record;

        Assert.Equal(HrPersons.Id(5), record.ResidentId);
        Assert.Equal(HrPersons.Name(5), record.Name);
        Assert.Contains("jyrq", record.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("cbrq", record.Problem.Message, StringComparison.Ordinal);
        Assert.Contains("gxsj", record.Problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HrPersons.Id(5)[..14], record.Problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(HrPersons.Name(5), record.Problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("440104850307123")]
    public void Map_BadValueLookingLikeAnotherPersonsResidentId_IsNotShown(string otherId)
    {
        var problem = Problem(HrPersons.Person(1) with { Jyrq = otherId });

        Assert.Equal("BAD_DATE", problem.Code);
        Assert.DoesNotContain(otherId, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Map_ResidentIdAndName_PassThroughExactlyAsSent()
    {
        var record = HrRecordMapper.Map((HrPersons.Person(1) with { Aac002 = " 44010419850307123x ", Aac003 = "阿依古丽•买买提" }).ToXml(), Fallback).Record;

        Assert.Equal(" 44010419850307123x ", record.ResidentId);
        Assert.Equal(" 44010419850307123x ", record.SourceKey);
        Assert.Equal("阿依古丽•买买提", record.Name);
    }

    [Fact]
    public void Map_SameVersionTwice_HasTheSameVersionKeyAndAnotherVersionAnother()
    {
        var person = HrPersons.Person(1);

        var once = HrRecordMapper.Map(person.ToXml(), Fallback).VersionKey;
        var again = HrRecordMapper.Map(person.ToXml(), Fallback).VersionKey;
        var changed = HrRecordMapper.Map((person with { Jyzt = "2" }).ToXml(), Fallback).VersionKey;

        Assert.Equal(once, again);
        Assert.NotEqual(once, changed);
    }

    [Theory]
    [InlineData("11010519491231002", 'X')]
    [InlineData("44010419850307123", '0')]
    public void SyntheticIds_CheckCharacter_MatchesGb11643Examples(string first17, char expected) =>
        Assert.Equal(expected, HrPersons.CheckCharacter(first17));

    private static HrPerson With(HrPerson person, string element, string? value) => element switch
    {
        "aac002" => person with { Aac002 = value },
        "aac003" => person with { Aac003 = value },
        "jyzt" => person with { Jyzt = value },
        "knrd" => person with { Knrd = value },
        "ylbx" => person with { Ylbx = value },
        "jyrq" => person with { Jyrq = value },
        "cbrq" => person with { Cbrq = value },
        "gxsj" => person with { Gxsj = value },
        _ => throw new ArgumentOutOfRangeException(nameof(element)),
    };

    private static EmploymentFact Fact(HrPerson person)
    {
        var record = HrRecordMapper.Map(person.ToXml(), Fallback).Record;
        Assert.Null(record.Problem);
        return Assert.IsType<EmploymentFact>(record.Fact);
    }

    private static MappingProblem Problem(HrPerson person)
    {
        var record = HrRecordMapper.Map(person.ToXml(), Fallback).Record;
        Assert.Null(record.Fact);
        return Assert.IsType<MappingProblem>(record.Problem);
    }
}
