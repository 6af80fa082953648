using System.Text;
using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Identity;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>Why a served ID cannot be normalised; the names are the ground truth's reason codes.</summary>
internal static class DefectReason
{
    public const string CheckCharacter = "CHECK_CHARACTER";
    public const string BirthDate = "BIRTH_DATE";
    public const string Region = "REGION";

    public static readonly IReadOnlyList<string> All = [CheckCharacter, BirthDate, Region];
}

/// <summary>The forms in which an ID is served: dirty but normalisable, or malformed with exactly one fault.</summary>
internal static class IdForms
{
    private enum DirtyKind
    {
        FifteenDigit,
        LowerCaseX,
        FullWidth,
        Spaces,
        Hyphens,
    }

    private static readonly string[] BadProvinces = ["00", "72", "99", "19", "28", "39", "80", "90"];
    private static readonly string[] ImpossibleMonthDays = ["0230", "0231", "0431", "0631", "0931", "1131", "1301", "1315", "0015", "0100"];

    /// <summary>A form of <paramref name="id"/> that an honest normaliser turns back into it.</summary>
    public static string Dirty(Random random, string id)
    {
        List<DirtyKind> kinds = [DirtyKind.FullWidth, DirtyKind.Spaces, DirtyKind.Hyphens];
        // The 1989 standard had no check character and no century: only 20th-century births had such numbers.
        if (id[6..8] == "19")
        {
            kinds.Add(DirtyKind.FifteenDigit);
        }

        if (id[17] == 'X')
        {
            kinds.Add(DirtyKind.LowerCaseX);
        }

        return random.Pick(kinds) switch
        {
            DirtyKind.FifteenDigit => string.Concat(id.AsSpan(0, 6), id.AsSpan(8, 9)),
            DirtyKind.LowerCaseX => id[..17] + "x",
            DirtyKind.FullWidth => FullWidth(id),
            DirtyKind.Spaces => random.Next(3) switch
            {
                0 => " " + id + " ",
                1 => $"{id[..6]} {id[6..14]} {id[14..]}",
                _ => id + "  ",
            },
            _ => $"{id[..6]}-{id[6..14]}-{id[14..]}",
        };
    }

    /// <summary>The old forms the justice, civil-affairs and HR systems still hold for some people: the 15-digit
    /// number of a 20th-century birth, or a lower-case x; null when neither applies to the ID.</summary>
    public static string? Legacy(Random random, string id)
    {
        if (id[6..8] == "19" && (id[17] != 'X' || random.Chance(0.7)))
        {
            return string.Concat(id.AsSpan(0, 6), id.AsSpan(8, 9));
        }

        return id[17] == 'X' ? id[..17] + "x" : null;
    }

    /// <summary>A form of <paramref name="id"/> with exactly the fault <paramref name="reason"/>: every other
    /// part stays valid, so any order of checks reports the same reason.</summary>
    public static string Malformed(Random random, string id, string reason)
    {
        switch (reason)
        {
            case DefectReason.CheckCharacter:
                var wrong = "0123456789X".Where(c => c != id[17]).ToArray();
                return id[..17] + wrong[random.Next(wrong.Length)];
            case DefectReason.BirthDate:
                return WithCheck(id[..10] + random.Pick(ImpossibleMonthDays) + id[14..17]);
            case DefectReason.Region:
                return WithCheck(random.Pick(BadProvinces) + id[2..17]);
            default:
                throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defect reason.");
        }
    }

    private static string WithCheck(string first17) => first17 + ResidentId.CheckCharacter(first17);

    private static string FullWidth(string id)
    {
        var builder = new StringBuilder(id.Length);
        foreach (var c in id)
        {
            builder.Append(c == 'X' ? 'Ｘ' : (char)('０' + (c - '0')));
        }

        return builder.ToString();
    }
}
