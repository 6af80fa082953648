using IntegrationHub.AgencySimulator.Tests.Support;

namespace IntegrationHub.AgencySimulator.Tests.Identity;

/// <summary>The tests judge the simulator's IDs with their own normaliser; first it must pass the shared vectors.</summary>
public sealed class IdNormaliserConformanceTests
{
    public static TheoryData<string, string, string, string> Vectors()
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
    [MemberData(nameof(Vectors))]
    public void Normalise_SharedVector_GivesExpectedIdOrReason(string input, string expected, string reason, string description)
    {
        var (id, actualReason) = IndependentIdNormaliser.Normalise(input, TestData.Today);

        Assert.True(
            (id ?? "") == expected && (actualReason ?? "") == reason,
            $"{description}: expected '{expected}'/'{reason}', got '{id}'/'{actualReason}'");
    }
}
