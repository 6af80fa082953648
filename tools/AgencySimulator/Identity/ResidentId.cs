using System.Globalization;

namespace IntegrationHub.AgencySimulator.Identity;

/// <summary>The resident ID number of GB 11643-1999 (GLOSSARY.md), implemented here rather than shared with
/// the hub so that the simulator is an independent check on the hub's normaliser.</summary>
internal static class ResidentId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Builds a valid 18-character ID. The sequence's parity carries the sex: odd male, even female.</summary>
    public static string Create(string region, DateOnly birth, int sequence)
    {
        var first17 = string.Concat(
            region,
            birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            sequence.ToString("D3", CultureInfo.InvariantCulture));
        return first17 + CheckCharacter(first17);
    }

    public static char CheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }
}
