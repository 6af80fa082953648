using IntegrationHub.AgencySimulator.Common;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>Synthetic Chinese names: Han surname + one or two given-name characters, or a minority name
/// with a middle dot. Any resemblance to a real person is chance.</summary>
internal static class Names
{
    private const string Surnames =
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈" +
        "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

    private const string MaleGiven = "伟强磊军勇杰涛明超辉华斌鹏飞刚平东文波宇浩俊峰建国志海林亮永健锋晨坤宏庆荣德成";
    private const string FemaleGiven = "芳娜敏静丽艳娟霞燕玲婷雪慧红梅琳洁颖萍兰倩秀凤莉丹琴欣怡婉佳月";
    private const string SharedGiven = "小子嘉俊思宇晓春秋立新金玉海文家志明";

    private static readonly string[] MinorityFirst = ["买买提", "阿不都", "艾力", "吐尔逊", "努尔", "热合曼", "伊力哈木", "扎西", "次仁", "阿依"];
    private static readonly string[] MinoritySecond = ["艾山", "买买提", "吐尔洪", "阿布拉", "热依木", "多吉", "旺堆", "库尔班", "斯迪克", "尼亚孜"];
    private static readonly string[] MinorityFemaleFirst = ["古丽", "帕提古丽", "阿依古丽", "卓玛", "米热古丽"];

    public static string Person(Random random, bool male, bool minority)
    {
        if (minority)
        {
            var first = male ? random.Pick(MinorityFirst) : random.Pick(MinorityFemaleFirst);
            return first + "·" + random.Pick(MinoritySecond);
        }

        var given = male ? MaleGiven : FemaleGiven;
        var name = Surnames[random.Next(Surnames.Length)].ToString();
        if (random.Chance(0.6))
        {
            name += SharedGiven[random.Next(SharedGiven.Length)];
        }

        return name + given[random.Next(given.Length)];
    }

    /// <summary>A responsible person (officer, worker, relative): sex does not matter here.</summary>
    public static string Staff(Random random) => Person(random, random.Chance(0.5), minority: false);

    /// <summary>Whether a name is a minority name written with a middle dot.</summary>
    public static bool HasDot(string name) => name.Contains('·', StringComparison.Ordinal);

    /// <summary>
    /// The same name as another agency types it: a minority name's middle dot becomes <c>•</c> or <c>.</c>.
    /// GBK has no <c>•</c>, so the civil-affairs files use <c>.</c> or the full-width <c>．</c> instead.
    /// Han names come back unchanged.
    /// </summary>
    public static string Variant(Random random, string name, bool gbk)
    {
        if (!HasDot(name))
        {
            return name;
        }

        var dot = gbk ? (random.Chance(0.5) ? "." : "．") : (random.Chance(0.5) ? "•" : ".");
        return name.Replace("·", dot, StringComparison.Ordinal);
    }

    /// <summary>One spelling for every variant of a name (GLOSSARY.md: treat the dot variants as one name).</summary>
    public static string Canonical(string name)
    {
        var trimmed = name.Trim();
        return trimmed.IndexOfAny(['•', '.', '．', '・']) < 0
            ? trimmed
            : trimmed.Replace('•', '·').Replace('.', '·').Replace('．', '·').Replace('・', '·');
    }
}
