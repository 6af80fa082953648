using IntegrationHub.Gateway.Identity;

namespace IntegrationHub.Gateway.Tests.Identity;

public sealed class ResidentIdTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    public static TheoryData<string, string, string, string> ConformanceVectors()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "testdata", "resident-ids.tsv")))
        {
            if (line.StartsWith('#') || line.Length == 0)
            {
                continue;
            }

            var columns = line.Split('\t');
            data.Add(columns[0], columns[1], columns[2], columns[3]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ConformanceVectors))]
    public void TryNormalise_ConformanceVector_MatchesExpectation(string input, string expected, string reason, string description)
    {
        var ok = ResidentId.TryNormalise(input, Today, out var id, out var problem);

        if (expected.Length > 0)
        {
            Assert.True(ok, $"{description}: rejected as {problem}");
            Assert.Equal(expected, id!.Value);
        }
        else
        {
            Assert.False(ok, $"{description}: accepted");
            Assert.Equal("RESIDENT_ID_" + reason, ResidentId.Code(problem));
        }
    }

    [Fact]
    public void TryNormalise_ConformanceFile_HasAllCases()
    {
        Assert.True(ConformanceVectors().Count >= 26);
    }

    [Fact]
    public void TryNormalise_FifteenAndEighteenDigitForms_AreEqual()
    {
        Assert.True(ResidentId.TryNormalise("440105720815451", Today, out var old, out _));
        Assert.True(ResidentId.TryNormalise("440105197208154510", Today, out var current, out _));

        Assert.Equal(current, old);
    }

    [Fact]
    public void TryNormalise_BirthDateTomorrow_IsRejected()
    {
        var body = "440104" + Today.AddDays(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + "123";
        var id = body + ResidentId.ComputeCheckCharacter(body);

        Assert.False(ResidentId.TryNormalise(id, Today, out _, out var problem));
        Assert.Equal(ResidentIdProblem.BirthDate, problem);
    }

    [Fact]
    public void Masked_ShowsFirstSixAndLastFour()
    {
        Assert.True(ResidentId.TryNormalise("11010519491231002X", Today, out var id, out _));

        Assert.Equal("110105********002X", id.Masked);
        Assert.Equal("110105********002X", id.ToString());
    }
}
