using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Hubctl.Tests.Support;
using IntegrationHub.Contract.V1;

namespace Hubctl.Tests.Commands;

/// <summary>person get, persons search and indicators against the fake hub over a real socket.</summary>
public sealed class ViewCommandsServerTests : FakeHubTests
{
    [Fact]
    public async Task PersonGet_ResidentId_SentAsResidentId()
    {
        Hub.View.OnGetPerson = _ => new GetPersonResponse { Person = TestData.Person() };

        var result = await HubctlRunner.RunAsync(Env, "person", "get", "440104198503071230");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.View.Requests<GetPersonRequest>());
        Assert.Equal(GetPersonRequest.PersonOneofCase.ResidentId, request.PersonCase);
        Assert.Equal("440104198503071230", request.ResidentId);
    }

    [Fact]
    public async Task PersonGet_PersonIdFlag_SentAsPersonId()
    {
        Hub.View.OnGetPerson = _ => new GetPersonResponse { Person = TestData.Person() };

        var result = await HubctlRunner.RunAsync(Env, "person", "get", "HP000123", "--person-id");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.View.Requests<GetPersonRequest>());
        Assert.Equal(GetPersonRequest.PersonOneofCase.PersonId, request.PersonCase);
        Assert.Equal("HP000123", request.PersonId);
    }

    [Fact]
    public async Task PersonTimeline_ResidentId_ShowsEachChangeFromAndTo()
    {
        Hub.View.OnGetPersonTimeline = _ => new GetPersonTimelineResponse
        {
            PersonId = "P1",
            Entries =
            {
                new TimelineEntry
                {
                    Agency = Agency.Police, Dataset = "xdry", SourceKey = "GZ2017000123", Kind = "changed", SyncRunId = "R9",
                    AgencyTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 28, 1, 15, 2, TimeSpan.Zero)),
                    Changes = { new FieldChange { Field = "Grade", From = "Medium", To = "High" } },
                },
            },
        };

        var result = await HubctlRunner.RunAsync(Env, "person", "timeline", "440104198503071230");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("440104198503071230", Assert.Single(Hub.View.Requests<GetPersonTimelineRequest>()).ResidentId);
        var line = Assert.Single(result.Stdout.Split('\n'), l => l.Contains("Grade", StringComparison.Ordinal));
        Assert.Contains("Medium", line, StringComparison.Ordinal);
        Assert.Contains("High", line, StringComparison.Ordinal);
        Assert.Contains("2026-11-28 09:15:02", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonGet_FullPerson_GroupsInOrderEachFollowedByItsProvenance()
    {
        Hub.View.OnGetPerson = _ => new GetPersonResponse { Person = TestData.Person() };

        var result = await HubctlRunner.RunAsync(Env, "person", "get", "440104198503071230");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        var headings = new[] { "Identity", "Police registration (police)", "Rehabilitation cases (justice): 1", "Assistance (civil-affairs): 1", "Employment (hr)" };
        var runs = new[] { "run-identity", "run-police", "run-justice", "run-civil", "run-hr" };
        var previous = -1;
        for (var i = 0; i < headings.Length; i++)
        {
            var heading = Array.FindIndex(lines, l => l.Trim() == headings[i]);
            Assert.True(heading > previous, $"'{headings[i]}' missing or out of order:\n{result.Stdout}");
            var provenance = Array.FindIndex(lines, heading, l => l.TrimStart().StartsWith("provenance:", StringComparison.Ordinal));
            Assert.True(provenance > heading, $"no provenance after '{headings[i]}'");
            Assert.EndsWith($"run {runs[i]}", lines[provenance].TrimEnd(), StringComparison.Ordinal);
            previous = provenance;
        }
    }

    [Fact]
    public async Task PersonGet_FullPerson_ValuesReadable()
    {
        Hub.View.OnGetPerson = _ => new GetPersonResponse { Person = TestData.Person() };

        var result = await HubctlRunner.RunAsync(Env, "person", "get", "440104198503071230");

        Assert.Contains("张三丰", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("medium (graded 2026-01-15)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("in-community", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("440104 / 北京街", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("G-0042", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 of 3 required: 李警官 (police officer), 王网格 (grid worker)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("negative on 2026-11-01", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("2019-06-30", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("AJ2026001, community rehabilitation", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("¥1234.50", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("flexible employment", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(
            "provenance: police, dataset xdry, source key R4401040001, agency time 2026-11-29 11:02:03, hub time 2026-11-29 11:05:00, run run-police",
            result.Stdout,
            StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonGet_OnlyIdentity_AbsentGroupsSaidSo()
    {
        var person = TestData.Person();
        person.Police = null;
        person.RehabCases.Clear();
        person.Assistance.Clear();
        person.Employment = null;
        Hub.View.OnGetPerson = _ => new GetPersonResponse { Person = person };

        var result = await HubctlRunner.RunAsync(Env, "person", "get", "440104198503071230");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("not registered", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Rehabilitation cases (justice): 0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("no record", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonGet_Json_StdoutParsesBackToTheSameResponse()
    {
        var expected = new GetPersonResponse { Person = TestData.Person() };
        Hub.View.OnGetPerson = _ => expected;

        var result = await HubctlRunner.RunAsync(Env, "person", "get", "440104198503071230", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, JsonParser.Default.Parse<GetPersonResponse>(result.Stdout));
    }

    [Fact]
    public async Task PersonsSearch_Filters_SentInTheRequest()
    {
        Hub.View.OnSearchPersons = _ => new SearchPersonsResponse();

        var result = await HubctlRunner.RunAsync(
            Env, "persons", "search", "--district", "440104", "--street", "北京街", "--grade", "extreme", "--status", "lost-contact", "--page-size", "25", "--page-token", "abc");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.View.Requests<SearchPersonsRequest>());
        Assert.Equal("440104", request.District);
        Assert.Equal("北京街", request.Street);
        Assert.Equal(RiskGrade.Extreme, request.Grade);
        Assert.Equal(ControlStatus.LostContact, request.ControlStatus);
        Assert.Equal(25, request.PageSize);
        Assert.Equal("abc", request.PageToken);
    }

    [Fact]
    public async Task PersonsSearch_OnePage_TableAndFooterWithNextToken()
    {
        Hub.View.OnSearchPersons = _ => Page(next: "tok-2", total: 7, 1, 2);

        var result = await HubctlRunner.RunAsync(Env, "persons", "search", "--page-size", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("HP000001", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("测试2", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("4/5", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("in-community", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("showing 2 of 7; next page: --page-token tok-2", result.Stdout, StringComparison.Ordinal);
        Assert.Single(Hub.View.Calls);
    }

    [Fact]
    public async Task PersonsSearch_All_FollowsPageTokensToTheLastPage()
    {
        Hub.View.OnSearchPersons = request => request.PageToken switch
        {
            "" => Page(next: "tok-2", total: 5, 1, 2),
            "tok-2" => Page(next: "tok-3", total: 5, 3, 4),
            "tok-3" => Page(next: string.Empty, total: 5, 5),
            _ => throw new InvalidOperationException(request.PageToken),
        };

        var result = await HubctlRunner.RunAsync(Env, "persons", "search", "--all", "--grade", "high");

        Assert.Equal(0, result.ExitCode);
        var requests = Hub.View.Requests<SearchPersonsRequest>().ToList();
        Assert.Equal(["", "tok-2", "tok-3"], requests.Select(r => r.PageToken));
        Assert.All(requests, r => Assert.Equal(RiskGrade.High, r.Grade));
        for (var n = 1; n <= 5; n++)
        {
            Assert.Contains($"HP00000{n}", result.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains("showing 5 of 5", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("next page", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PersonsSearch_AllJson_OneMergedResponseThatParsesBack()
    {
        Hub.View.OnSearchPersons = request => request.PageToken == string.Empty
            ? Page(next: "tok-2", total: 3, 1, 2)
            : Page(next: string.Empty, total: 3, 3);

        var result = await HubctlRunner.RunAsync(Env, "persons", "search", "--all", "--json");

        Assert.Equal(0, result.ExitCode);
        var parsed = JsonParser.Default.Parse<SearchPersonsResponse>(result.Stdout);
        Assert.Equal(["HP000001", "HP000002", "HP000003"], parsed.Persons.Select(p => p.PersonId));
        Assert.Equal(3, parsed.TotalSize);
        Assert.Equal(string.Empty, parsed.NextPageToken);
    }

    [Fact]
    public async Task Indicators_Ratios_NumeratorOverDenominatorWithPercent()
    {
        Hub.View.OnGetIndicators = _ => Indicators();

        var result = await HubctlRunner.RunAsync(Env, "indicators");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("as of 2026-11-29 11:02:03", result.Stdout, StringComparison.Ordinal);
        // The indicators come first; the tables of help and findings after them name the areas again.
        var city = result.Stdout.Split('\n').First(l => l.Contains("city 440100", StringComparison.Ordinal));
        Assert.Contains("12/20 (60.0%)", city, StringComparison.Ordinal);
        Assert.Contains("1/3 (33.3%)", city, StringComparison.Ordinal);
        Assert.Contains("0/0 (n/a)", city, StringComparison.Ordinal);
        Assert.Contains(" 25 ", city, StringComparison.Ordinal);
        var street = result.Stdout.Split('\n').First(l => l.Contains("street 北京街 (440104)", StringComparison.Ordinal));
        Assert.Contains("2/2 (100.0%)", street, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicators_OutputNarrowerThanTheTable_OneBlockPerAreaNothingCut()
    {
        Hub.View.OnGetIndicators = _ => Indicators();
        Env.StandardOutput = new(IsTerminal: false, Width: 60);

        var result = await HubctlRunner.RunAsync(Env, "indicators");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.Contains("city 440100", lines);
        Assert.Contains(lines, l => l.Trim() == "grading rate     12/20 (60.0%)");
        Assert.Contains(lines, l => l.Trim() == "execution rate   0/0 (n/a)");
        Assert.All(lines, l => Assert.True(l.Length <= 60, $"line wider than the output: '{l}'"));
    }

    [Fact]
    public async Task PersonsSearch_RedirectedOutput_PlainLinesWithoutTrailingSpacesOrAnsi()
    {
        Hub.View.OnSearchPersons = _ => Page(next: string.Empty, total: 2, 1, 2);

        var result = await HubctlRunner.RunAsync(Env, "persons", "search");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("\u001b", result.Stdout, StringComparison.Ordinal);
        Assert.All(result.Stdout.Split('\n'), l => Assert.False(l.EndsWith(' '), $"trailing spaces: '{l}'"));
        var header = Assert.Single(result.Stdout.Split('\n'), l => l.Contains("person id", StringComparison.Ordinal));
        Assert.Matches(@"person id\s+resident id\s+name\s+rybh\s+district\s+street\s+grade\s+status\s+responsible$", header);
    }

    [Fact]
    public async Task Indicators_District_SentInTheRequest()
    {
        Hub.View.OnGetIndicators = _ => Indicators();

        await HubctlRunner.RunAsync(Env, "indicators", "--district", "440104");

        Assert.Equal("440104", Assert.Single(Hub.View.Requests<GetIndicatorsRequest>()).District);
    }

    [Fact]
    public async Task Indicators_Json_NothingButTheResponseOnStdout()
    {
        var expected = Indicators();
        Hub.View.OnGetIndicators = _ => expected;

        var result = await HubctlRunner.RunAsync(Env, "indicators", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, JsonParser.Default.Parse<GetIndicatorsResponse>(result.Stdout));
        Assert.Contains("\"executionRate\": {", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"numerator\": \"0\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicators_AsOfAndWindow_SentInTheRequest_HeaderSaysTheEndOfThatDay()
    {
        Hub.View.OnGetIndicators = r =>
        {
            var response = Indicators();
            response.AsOfDay = r.AsOf;
            return response;
        };

        var result = await HubctlRunner.RunAsync(Env, "indicators", "--as-of", "2026-11-28", "--from", "2026-11-01", "--to", "2026-11-20");

        Assert.Equal(0, result.ExitCode);
        var request = Assert.Single(Hub.View.Requests<GetIndicatorsRequest>());
        Assert.Equal(("2026-11-28", "2026-11-01", "2026-11-20"), (request.AsOf, request.WindowStart, request.WindowEnd));
        Assert.Contains("as of the end of 2026-11-28 (Asia/Shanghai)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Indicators_HelpedAndFindingsPerRule_AfterTheIndicators()
    {
        Hub.View.OnGetIndicators = _ => Indicators();

        var result = await HubctlRunner.RunAsync(Env, "indicators");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.Contains("persons helped, 2025-11-30 to 2026-11-29", lines);
        Assert.Matches(@"^\s*city 440100\s+7\s+3\s+11\s+2$", Assert.Single(lines, l => l.Contains("city 440100", StringComparison.Ordinal) && l.TrimEnd().EndsWith(" 2", StringComparison.Ordinal)));
        Assert.Contains("findings, 2025-11-30 to 2026-11-29", lines);
        Assert.Matches(@"city 440100\s+HANDOVER_GAP\s+4\s+1\s+2\s+1\s+6\.5$", Assert.Single(lines, l => l.Contains("HANDOVER_GAP", StringComparison.Ordinal)));
        Assert.Matches(@"REPORT_IN_OVERDUE\s+1\s+0\s+0\s+0\s+-$", Assert.Single(lines, l => l.Contains("REPORT_IN_OVERDUE", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--as-of", "28/11/2026")]
    [InlineData("--from", "2026-11-31")]
    public async Task Indicators_NotADay_UsageError(string option, string value)
    {
        var result = await HubctlRunner.RunAsync(Env, "indicators", option, value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{option} '{value}' is not a day in the form YYYY-MM-DD", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Hub.View.Requests<GetIndicatorsRequest>());
    }

    private static SearchPersonsResponse Page(string next, int total, params int[] persons)
    {
        var page = new SearchPersonsResponse { NextPageToken = next, TotalSize = total };
        page.Persons.AddRange(persons.Select(TestData.Summary));
        return page;
    }

    private static GetIndicatorsResponse Indicators() => new()
    {
        AsOf = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 29, 3, 2, 3, TimeSpan.Zero)),
        AsOfDay = "2026-11-29",
        WindowStart = "2025-11-30",
        WindowEnd = "2026-11-29",
        Sets =
        {
            new IndicatorSet
            {
                Scope = "city",
                Area = "440100",
                Registered = 25,
                UnderCommunityControl = 20,
                GradingRate = new Ratio { Numerator = 12, Denominator = 20 },
                GridEntryRate = new Ratio { Numerator = 20, Denominator = 20 },
                ControlRatioExtreme = new Ratio { Numerator = 1, Denominator = 3 },
                ControlRatioHigh = new Ratio { Numerator = 4, Denominator = 5 },
                ControlRatioMedium = new Ratio { Numerator = 2, Denominator = 2 },
                ControlRatioLow = new Ratio { Numerator = 2, Denominator = 2 },
                ExecutionRate = new Ratio(),
                Helped = new HelpedCounts { Assistance = 7, MedicalInsurance = 3, Jobs = 11, Training = 2 },
                Findings =
                {
                    new RuleFindingStats { Rule = "HANDOVER_GAP", Opened = 4, Reopened = 1, ClosedByData = 2, Resolved = 1, MedianDaysToClose = 6.5 },
                    new RuleFindingStats { Rule = "REPORT_IN_OVERDUE", Opened = 1 },
                },
            },
            new IndicatorSet
            {
                Scope = "street",
                Area = "北京街",
                District = "440104",
                Registered = 3,
                UnderCommunityControl = 2,
                GradingRate = new Ratio { Numerator = 2, Denominator = 2 },
                GridEntryRate = new Ratio { Numerator = 1, Denominator = 2 },
                ControlRatioExtreme = new Ratio(),
                ControlRatioHigh = new Ratio(),
                ControlRatioMedium = new Ratio(),
                ControlRatioLow = new Ratio(),
                ExecutionRate = new Ratio(),
            },
        },
    };
}
