using System.Globalization;
using System.Security;
using System.Text;

namespace IntegrationHub.Adapters.HumanResources.Tests.Fakes;

/// <summary>One course of <c>pxjl</c>; null elements are left out.</summary>
public sealed record HrTraining(string? Xmmc, string? Jsrq, string? Hgbz);

/// <summary>
/// One <c>&lt;person&gt;</c> of the HR interface (AGENCY-INTERFACES.md section 4), synthetic. Null elements are left out;
/// <see cref="ToXml"/> writes it the way the fake HR service sends it.
/// </summary>
public sealed record HrPerson
{
    public required string? Aac002 { get; init; }

    public string? Aac003 { get; init; }

    public string? Jyzt { get; init; } = "1";

    public string? Dwmc { get; init; } = "广州某物流有限公司";

    public string? Jyrq { get; init; } = "2026-03-01";

    public string? Knrd { get; init; } = "1";

    public IReadOnlyList<HrTraining>? Pxjl { get; init; } = [new("叉车操作", "2026-02-10", "1")];

    public string? Ylbx { get; init; } = "1";

    public string? Cbrq { get; init; } = "2026-03-01";

    /// <summary><c>gxsj</c> as written; <see cref="HrPersons.Format"/> of a time.</summary>
    public required string? Gxsj { get; init; }

    public string ToXml()
    {
        var xml = new StringBuilder("<person>");
        Element(xml, "aac002", Aac002);
        Element(xml, "aac003", Aac003);
        Element(xml, "jyzt", Jyzt);
        Element(xml, "dwmc", Dwmc);
        Element(xml, "jyrq", Jyrq);
        Element(xml, "knrd", Knrd);
        if (Pxjl is not null)
        {
            xml.Append("<pxjl>");
            foreach (var px in Pxjl)
            {
                xml.Append("<px>");
                Element(xml, "xmmc", px.Xmmc);
                Element(xml, "jsrq", px.Jsrq);
                Element(xml, "hgbz", px.Hgbz);
                xml.Append("</px>");
            }

            xml.Append("</pxjl>");
        }

        Element(xml, "ylbx", Ylbx);
        Element(xml, "cbrq", Cbrq);
        Element(xml, "gxsj", Gxsj);
        return xml.Append("</person>").ToString();
    }

    private static void Element(StringBuilder xml, string name, string? value)
    {
        if (value is not null)
        {
            xml.Append('<').Append(name).Append('>').Append(SecurityElement.Escape(value)).Append("</").Append(name).Append('>');
        }
    }
}

/// <summary>Synthetic persons, resident IDs with valid GB 11643 check characters, times. No real personal data.</summary>
public static class HrPersons
{
    public static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    /// <summary>When the synthetic records last changed: a week before the tests' clock starts.</summary>
    public static readonly DateTimeOffset BaseTime = new(2026, 11, 21, 9, 0, 0, ChinaStandardTime);

    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>A complete, valid person, changed <paramref name="i"/> minutes after <see cref="BaseTime"/>.</summary>
    public static HrPerson Person(int i, DateTimeOffset? gxsj = null) => new()
    {
        Aac002 = Id(i),
        Aac003 = Name(i),
        Gxsj = Format(gxsj ?? BaseTime.AddMinutes(i)),
    };

    /// <summary>Persons 1..<paramref name="count"/>, in gxsj order.</summary>
    public static List<HrPerson> Sequence(int count, int first = 1) => [.. Enumerable.Range(first, count).Select(i => Person(i))];

    /// <summary>
    /// An 18-character resident ID with a valid check character: Yuexiu district (440104), a birth date from 1980 on,
    /// a sequence number, the check character.
    /// </summary>
    public static string Id(int i)
    {
        var birth = new DateOnly(1980, 1, 1).AddDays(i * 37 % 9000);
        var body = "440104" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (100 + (i % 900)).ToString("D3", CultureInfo.InvariantCulture);
        return body + CheckCharacter(body);
    }

    public static char CheckCharacter(string first17)
    {
        ArgumentNullException.ThrowIfNull(first17);
        var sum = 0;
        for (var k = 0; k < 17; k++)
        {
            sum += (first17[k] - '0') * Weights[k];
        }

        return CheckCharacters[sum % 11];
    }

    public static string Name(int i) => "测试" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "某" + i.ToString(CultureInfo.InvariantCulture);

    /// <summary>A time as the HR interface writes it: yyyyMMddHHmmss in +08:00.</summary>
    public static string Format(DateTimeOffset time) =>
        time.ToOffset(ChinaStandardTime).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string gxsj) =>
        new(DateTime.ParseExact(gxsj, "yyyyMMddHHmmss", CultureInfo.InvariantCulture), ChinaStandardTime);
}
