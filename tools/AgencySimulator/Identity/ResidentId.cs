using System.Globalization;
using System.Text;

namespace IntegrationHub.AgencySimulator.Identity;

/// <summary>The resident ID number of GB 11643-1999 (GLOSSARY.md), implemented here rather than shared with
/// the hub so that the simulator is an independent check on the hub's normaliser.</summary>
internal static class ResidentId
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private static readonly HashSet<int> Provinces =
        [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82];

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

    /// <summary>The birth date a valid ID carries.</summary>
    public static DateOnly BirthOf(string id) =>
        DateOnly.ParseExact(id.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Odd sequence numbers are men's.</summary>
    public static bool IsMale(string id) => (id[16] - '0') % 2 == 1;

    /// <summary>
    /// The valid 18-character ID an agency's served form stands for, or null and the reason (the ground truth's
    /// codes: LENGTH, CHARACTERS, REGION, BIRTH_DATE, CHECK_CHARACTER). Used by the ground truth for what the
    /// simulator reads back from its own files; the forms it accepts are those <c>IdForms</c> produces.
    /// </summary>
    public static string? Normalise(string? served, DateOnly today, out string? reason)
    {
        reason = null;
        var cleaned = new StringBuilder(18);
        foreach (var c in served ?? "")
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
            reason = "LENGTH";
            return null;
        }

        var digits = id.Length == 18 ? id.AsSpan(0, 17) : id.AsSpan();
        if (digits.ContainsAnyExceptInRange('0', '9') || (id.Length == 18 && !(char.IsAsciiDigit(id[17]) || id[17] == 'X')))
        {
            reason = "CHARACTERS";
            return null;
        }

        var first17 = id.Length == 15 ? string.Concat(id.AsSpan(0, 6), "19", id.AsSpan(6)) : id[..17];
        if (!Provinces.Contains(int.Parse(first17.AsSpan(0, 2), CultureInfo.InvariantCulture)))
        {
            reason = "REGION";
            return null;
        }

        if (!DateOnly.TryParseExact(first17.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > today)
        {
            reason = "BIRTH_DATE";
            return null;
        }

        var check = CheckCharacter(first17);
        if (id.Length == 18 && id[17] != check)
        {
            reason = "CHECK_CHARACTER";
            return null;
        }

        return first17 + check;
    }

    /// <summary>An ID as the ground truth may show it: region code, eight stars, last four ("440104********123X").
    /// Served forms of other lengths keep their first six and last four characters likewise.</summary>
    public static string Mask(string served)
    {
        var text = served.Trim();
        if (text.Length <= 10)
        {
            return new string('*', text.Length);
        }

        return string.Concat(text.AsSpan(0, 6), new string('*', text.Length - 10), text.AsSpan(text.Length - 4));
    }
}
