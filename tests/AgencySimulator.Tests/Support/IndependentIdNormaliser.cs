using System.Globalization;
using System.Text;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>
/// A resident ID normaliser written for the tests alone, from GLOSSARY.md, so that the simulator's IDs are
/// checked by code that shares nothing with the code that made them.
/// </summary>
internal static class IndependentIdNormaliser
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private static readonly int[] Provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82];

    /// <summary>The valid 18-character ID, or null and the reason category of the shared conformance vectors.</summary>
    public static (string? Id, string? Reason) Normalise(string? input, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return (null, "MISSING");
        }

        var cleaned = new StringBuilder();
        foreach (var c in input)
        {
            if (c is ' ' or '-' or '\u3000')
            {
                continue;
            }

            cleaned.Append(c switch
            {
                >= '０' and <= '９' => (char)('0' + (c - '０')),
                'x' or 'Ｘ' or 'ｘ' => 'X',
                _ => c,
            });
        }

        var id = cleaned.ToString();
        if (id.Length is not (15 or 18))
        {
            return (null, "LENGTH");
        }

        var digits = id.Length == 18 ? id[..17] : id;
        if (!digits.All(char.IsAsciiDigit) || (id.Length == 18 && !(char.IsAsciiDigit(id[17]) || id[17] == 'X')))
        {
            return (null, "CHARACTERS");
        }

        var first17 = id.Length == 15 ? id[..6] + "19" + id[6..] : digits;
        if (!Provinces.Contains(int.Parse(first17[..2], CultureInfo.InvariantCulture)))
        {
            return (null, "REGION");
        }

        if (!DateOnly.TryParseExact(first17[6..14], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > today)
        {
            return (null, "BIRTH_DATE");
        }

        var check = Check(first17);
        if (id.Length == 18 && id[17] != check)
        {
            return (null, "CHECK_CHARACTER");
        }

        return (first17 + check, null);
    }

    private static char Check(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return "10X98765432"[sum % 11];
    }
}
