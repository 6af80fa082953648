using System.Globalization;

namespace IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

/// <summary>Synthetic resident IDs with a valid GB 11643 check character. No real person's data.</summary>
public static class SyntheticIds
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";
    private static readonly DateOnly FirstBirthDate = new(1960, 1, 1);

    /// <summary>The check character of the first 17 digits: S = sum of digit times weight, S mod 11 to "10X98765432".</summary>
    public static char CheckCharacter(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>A distinct valid ID for each <paramref name="n"/> (0..~10 million): Yuexiu district, a birth date and a sequence.</summary>
    public static string Id(int n, string district = "440104")
    {
        var birth = FirstBirthDate.AddDays(n / 1000);
        var first17 = district + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (n % 1000).ToString("D3", CultureInfo.InvariantCulture);
        return first17 + CheckCharacter(first17);
    }

    /// <summary>A synthetic Han name (surname + given name, no space).</summary>
    public static string Name(int n)
    {
        string[] surnames = ["张", "王", "李", "赵", "陈", "刘", "黄", "周", "吴", "郑"];
        string[] given = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "艳", "勇", "杰", "娟", "涛"];
        return surnames[n % surnames.Length] + given[n / surnames.Length % given.Length] + given[n / 7 % given.Length];
    }
}
