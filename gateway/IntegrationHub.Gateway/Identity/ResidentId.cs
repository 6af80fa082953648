using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace IntegrationHub.Gateway.Identity;

/// <summary>Why a resident ID could not be normalised; the codes are what quarantine and errors show.</summary>
public enum ResidentIdProblem
{
    Missing,
    Characters,
    Length,
    Region,
    BirthDate,
    CheckCharacter,
}

/// <summary>
/// A normalised 18-character resident ID (GB 11643-1999). Construct only through <see cref="TryNormalise"/>,
/// which accepts the unambiguous dirt agencies send (lower-case x, full-width characters, spaces and
/// hyphens, the 15-digit 1989 form) and rejects everything else with a reason.
/// </summary>
public sealed class ResidentId : IEquatable<ResidentId>
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    private ResidentId(string value) => Value = value;

    /// <summary>The 18 characters, upper-case X. Personal data: never log it; use <see cref="Masked"/>.</summary>
    public string Value { get; }

    /// <summary>First six and last four characters, the rest hidden: <c>440104********123X</c>.</summary>
    public string Masked => Mask(Value);

    public DateOnly BirthDate => DateOnly.ParseExact(Value.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryNormalise(
        string? input, DateOnly today, [NotNullWhen(true)] out ResidentId? id, out ResidentIdProblem problem)
    {
        id = null;
        problem = ResidentIdProblem.Missing;
        if (string.IsNullOrWhiteSpace(input))
        {
            return false;
        }

        var folded = new StringBuilder(18);
        foreach (var c in input.Normalize(NormalizationForm.FormKC))
        {
            // NFKC folds full-width digits, letters and the ideographic space to ASCII.
            if (c is ' ' or '-' or '\t')
            {
                continue;
            }

            folded.Append(char.ToUpperInvariant(c));
        }

        var s = folded.ToString();
        if (s.Length is not (15 or 18))
        {
            problem = s.All(IsIdCharacter) ? ResidentIdProblem.Length : ResidentIdProblem.Characters;
            return false;
        }

        var digitCount = s.Length == 18 ? 17 : 15;
        if (s.AsSpan(0, digitCount).ContainsAnyExceptInRange('0', '9') || (s.Length == 18 && !IsIdCharacter(s[17])))
        {
            problem = ResidentIdProblem.Characters;
            return false;
        }

        var body = s.Length == 15 ? string.Concat(s.AsSpan(0, 6), "19", s.AsSpan(6)) : s[..17];
        if (!IsProvince(int.Parse(body.AsSpan(0, 2), CultureInfo.InvariantCulture)))
        {
            problem = ResidentIdProblem.Region;
            return false;
        }

        if (!DateOnly.TryParseExact(body.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth)
            || birth.Year < 1900 || birth > today)
        {
            problem = ResidentIdProblem.BirthDate;
            return false;
        }

        var check = ComputeCheckCharacter(body);
        if (s.Length == 18 && s[17] != check)
        {
            problem = ResidentIdProblem.CheckCharacter;
            return false;
        }

        id = new ResidentId(body + check);
        return true;
    }

    /// <summary>The GB 11643 check character of 17 digits.</summary>
    public static char ComputeCheckCharacter(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Masks anything ID-shaped the same way, so that a log line never needs a parsed ID to be safe.</summary>
    public static string Mask(string value) =>
        value.Length <= 10 ? new string('*', value.Length) : string.Concat(value.AsSpan(0, 6), new string('*', value.Length - 10), value.AsSpan(value.Length - 4));

    /// <summary>Stable, upper-snake code of a problem (quarantine reason, error detail).</summary>
    public static string Code(ResidentIdProblem problem) => problem switch
    {
        ResidentIdProblem.Missing => "RESIDENT_ID_MISSING",
        ResidentIdProblem.Characters => "RESIDENT_ID_CHARACTERS",
        ResidentIdProblem.Length => "RESIDENT_ID_LENGTH",
        ResidentIdProblem.Region => "RESIDENT_ID_REGION",
        ResidentIdProblem.BirthDate => "RESIDENT_ID_BIRTH_DATE",
        ResidentIdProblem.CheckCharacter => "RESIDENT_ID_CHECK_CHARACTER",
        _ => throw new ArgumentOutOfRangeException(nameof(problem)),
    };

    /// <summary>A sentence for operators; never includes the value.</summary>
    public static string Describe(ResidentIdProblem problem) => problem switch
    {
        ResidentIdProblem.Missing => "the resident ID is empty",
        ResidentIdProblem.Characters => "the resident ID contains characters other than digits and a final X",
        ResidentIdProblem.Length => "the resident ID has neither 15 nor 18 digits",
        ResidentIdProblem.Region => "the resident ID does not start with a province code",
        ResidentIdProblem.BirthDate => "the resident ID's birth date is not a real date between 1900 and today",
        ResidentIdProblem.CheckCharacter => "the resident ID's check character does not match its digits",
        _ => throw new ArgumentOutOfRangeException(nameof(problem)),
    };

    private static bool IsIdCharacter(char c) => char.IsAsciiDigit(c) || c == 'X';

    private static bool IsProvince(int code) => code is (>= 11 and <= 15) or (>= 21 and <= 23) or (>= 31 and <= 37)
        or (>= 41 and <= 46) or (>= 50 and <= 54) or (>= 61 and <= 65) or 71 or 81 or 82;

    public bool Equals(ResidentId? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as ResidentId);

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <summary>Masked, so that an accidental interpolation into a log line leaks nothing.</summary>
    public override string ToString() => Masked;
}
