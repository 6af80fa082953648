using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>A Guangzhou district (GLOSSARY.md) with its share of the registry and a few of its streets.</summary>
internal sealed record District(string Code, double Weight, IReadOnlyList<string> Streets);

/// <summary>Where a person lives: district (jzdqh), street (jzjd) and grid code (wgbm, "" when not in a grid).</summary>
internal sealed record Residence(string District, string Street, string GridCode);

/// <summary>Region codes: the districts people live in, and the codes their IDs and household registrations carry.</summary>
internal static class Regions
{
    /// <summary>Weights follow the districts' population, with the inner suburbs over-represented.</summary>
    public static readonly IReadOnlyList<District> Guangzhou =
    [
        new("440103", 9, ["沙面街道", "逢源街道", "多宝街道", "昌华街道", "冲口街道"]),
        new("440104", 8, ["北京街道", "洪桥街道", "农林街道", "东山街道", "大塘街道"]),
        new("440105", 11, ["江南中街道", "昌岗街道", "沙园街道", "素社街道", "赤岗街道"]),
        new("440106", 11, ["五山街道", "石牌街道", "林和街道", "天园街道", "棠下街道"]),
        new("440111", 17, ["三元里街道", "景泰街道", "同和街道", "京溪街道", "太和镇"]),
        new("440112", 7, ["黄埔街道", "红山街道", "大沙街道", "萝岗街道", "长岭街道"]),
        new("440113", 13, ["市桥街道", "沙头街道", "大石街道", "洛浦街道", "石楼镇"]),
        new("440114", 8, ["新华街道", "秀全街道", "新雅街道", "狮岭镇", "炭步镇"]),
        new("440115", 4, ["南沙街道", "珠江街道", "黄阁镇", "横沥镇", "万顷沙镇"]),
        new("440117", 4, ["街口街道", "江埔街道", "城郊街道", "太平镇", "温泉镇"]),
        new("440118", 8, ["荔城街道", "增江街道", "新塘镇", "石滩镇", "中新镇"]),
    ];

    private static readonly double[] GuangzhouWeights = [.. Guangzhou.Select(d => d.Weight)];

    /// <summary>Household registrations outside Guangzhou: elsewhere in Guangdong and the provinces migrants come from.</summary>
    private static readonly string[] Elsewhere =
    [
        "440303", "440606", "441302", "441402", "441502", "445102", "440802",
        "450102", "430102", "360102", "510104", "522601", "530102", "420102", "350102", "460105", "500103", "411302",
    ];

    /// <summary>Household registrations of minority-name holders (Xinjiang, Tibet).</summary>
    private static readonly string[] MinorityHomes = ["650102", "650103", "650104", "540102"];

    /// <summary>Retired Guangzhou codes: an ID keeps the code it was issued with (东山, 芳村, 萝岗, and the former county-level cities).</summary>
    private static readonly string[] RetiredGuangzhou = ["440102", "440107", "440116", "440181", "440183", "440184"];

    public static District PickDistrict(Random random) => Guangzhou[random.PickWeighted(GuangzhouWeights)];

    public static bool IsGuangzhou(string code) => Guangzhou.Any(d => d.Code == code);

    /// <summary>hjdqh: three in four registered in Guangzhou.</summary>
    public static string PickHousehold(Random random, bool minorityName)
    {
        if (minorityName)
        {
            return random.Pick(MinorityHomes);
        }

        return random.Chance(0.75) ? PickDistrict(random).Code : random.Pick(Elsewhere);
    }

    /// <summary>The address code of the ID: usually the household's, sometimes a Guangzhou code retired since.</summary>
    public static string PickIdRegion(Random random, string household) =>
        IsGuangzhou(household) && random.Chance(0.15) ? random.Pick(RetiredGuangzhou) : household;

    /// <summary>Where the person lives now; Guangzhou-registered people mostly live in their own district.</summary>
    public static Residence PickResidence(Random random, string household)
    {
        var district = IsGuangzhou(household) && random.Chance(0.6)
            ? Guangzhou.First(d => d.Code == household)
            : PickDistrict(random);
        var street = random.Next(district.Streets.Count);
        // 99.3% are entered in a grid (GLOSSARY.md: grid-entry rate above 99%).
        var grid = random.Chance(0.993)
            ? FormattableString.Invariant($"{district.Code}{street + 1:D3}{random.Next(1, 13):D3}{random.Next(1, 26):D3}")
            : "";
        return new Residence(district.Code, district.Streets[street], grid);
    }
}
