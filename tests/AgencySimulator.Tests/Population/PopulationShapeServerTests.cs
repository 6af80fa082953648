using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Population;

/// <summary>The district population against the shape of the city report (GLOSSARY.md), scaled to 3,000.</summary>
public sealed partial class PopulationShapeServerTests(DistrictPopulationFixture population) : IClassFixture<DistrictPopulationFixture>
{
    private static readonly string[] GuangzhouDistricts =
        ["440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115", "440117", "440118"];

    private List<JsonElement> Registered()
    {
        var malformed = population.Truth.Police.Malformed.Select(m => m.Rybh).ToHashSet(StringComparer.Ordinal);
        return [.. population.Records.Where(r => !r.IsWithdrawn() && !malformed.Contains(r.Text("rybh")))];
    }

    private List<JsonElement> InCommunity() => [.. Registered().Where(r => r.Text("gkzt") == "10")];

    [Fact]
    public void Generate_DistrictScale_HasThreeThousandPeopleAndNineMalformedSplitEvenly()
    {
        Assert.Equal(3_003, population.Records.Count);
        Assert.Equal(3, population.Records.Count(r => r.IsWithdrawn()));
        Assert.Equal(9, population.Truth.Police.Malformed.Count);
        Assert.All(
            population.Truth.Police.Malformed.GroupBy(m => m.Reason),
            group => Assert.Equal(3, group.Count()));
        Assert.Equal(
            ["BIRTH_DATE", "CHECK_CHARACTER", "REGION"],
            population.Truth.Police.Malformed.Select(m => m.Reason).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Generate_DistrictScale_StatusAndGradeMixFollowsReport()
    {
        var registered = Registered();
        var community = InCommunity();
        var grades = community.GroupBy(r => r.Text("fxdj")).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        Assert.InRange((double)community.Count / registered.Count, 0.82, 0.85);
        Assert.Equal(["10", "20", "30", "40", "50", "60"], registered.Select(r => r.Text("gkzt")).Distinct().Order(StringComparer.Ordinal));
        // City 48 : 211 : 14,022 : 14,634, times 3,000 / 34,755.
        Assert.InRange(grades.GetValueOrDefault("1"), 2, 6);
        Assert.InRange(grades.GetValueOrDefault("2"), 14, 22);
        Assert.InRange(grades.GetValueOrDefault("3"), 1_150, 1_270);
        Assert.InRange(grades.GetValueOrDefault("4"), 1_200, 1_320);
        Assert.InRange(grades.GetValueOrDefault(""), 1, community.Count / 100);
    }

    [Fact]
    public void Generate_DistrictScale_GridEntryAndControlRatiosNearReport()
    {
        var community = InCommunity();
        var graded = community.Where(r => r.Text("fxdj") != "").ToList();
        var compliant = graded.Count(r => r.GetProperty("gkry").GetArrayLength() >= Required(r.Text("fxdj")));

        Assert.InRange((double)community.Count(r => r.Text("wgbm") != "") / community.Count, 0.985, 0.999);
        Assert.InRange((double)compliant / graded.Count, 0.95, 0.99);
    }

    [Fact]
    public void Generate_DistrictScale_LivesInAllElevenDistrictsOnGridsOfTheirStreet()
    {
        var records = population.Records;

        Assert.Equal(GuangzhouDistricts, records.Select(r => r.Text("jzdqh")).Distinct().Order(StringComparer.Ordinal));
        Assert.All(records, r =>
        {
            Assert.Matches("^[\\p{IsCJKUnifiedIdeographs}]+(街道|镇)$", r.Text("jzjd"));
            var grid = r.Text("wgbm");
            Assert.True(grid.Length == 0 || (grid.Length == 15 && grid.StartsWith(r.Text("jzdqh"), StringComparison.Ordinal)), grid);
        });
        Assert.InRange(records.Select(r => r.Text("jzjd")).Distinct().Count(), 30, 80);
    }

    [Fact]
    public void Generate_DistrictScale_PeopleAndDatesArePlausible()
    {
        var records = population.Records;
        var created = TestData.Start;

        Assert.Equal(records.Count, records.Select(r => r.Text("rybh")).Distinct().Count());
        Assert.All(records, r =>
        {
            var rybh = r.Text("rybh");
            Assert.Matches(RybhPattern(), rybh);
            var birth = DateOnly.ParseExact(r.Text("csrq"), "yyyyMMdd", CultureInfo.InvariantCulture);
            Assert.InRange(birth.Year, 1955, 2006);
            Assert.Matches("^[12]$", r.Text("xb"));
            Assert.Matches("^[\\p{IsCJKUnifiedIdeographs}·]{2,12}$", r.Text("xm"));
            var registered = DateOnly.ParseExact(r.Text("cclrrq"), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(rybh.Substring(2, 4), registered.Year.ToString(CultureInfo.InvariantCulture));
            var updated = r.Gxsj();
            Assert.InRange(updated, created.AddYears(-3), created);
            Assert.True(registered < DateOnly.FromDateTime(updated.DateTime), $"{rybh} registered after its last update");
            Assert.Equal("+08:00", r.Text("gxsj")[^6..]);
        });
        Assert.InRange(records.Count(r => r.Text("xm").Contains('·', StringComparison.Ordinal)), 10, 60);
    }

    [Fact]
    public void Generate_DistrictScale_BulkImportsShareOneMillisecond()
    {
        var groups = population.Records.GroupBy(r => r.Text("gxsj")).Select(g => g.Count()).ToList();

        Assert.True(groups.Count(size => size >= 20) >= 2, "expected several bulk imports of 20 or more records");
        Assert.InRange(groups.Max(), 20, 500);
    }

    private static int Required(string grade) => grade switch { "1" or "2" => 5, "3" => 3, _ => 2 };

    [GeneratedRegex("^GZ(200[5-9]|201[0-9]|202[0-6])[0-9]{6}$")]
    private static partial Regex RybhPattern();
}
