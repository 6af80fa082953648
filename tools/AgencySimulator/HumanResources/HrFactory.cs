using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Population;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>
/// Builds a person's HR record: employment, hard-to-employ recognition, trainings, medical insurance. People in
/// the anti-drug mechanism are out of work, recognised as hard to employ and in training far more often than the
/// city's insured workers at large.
/// </summary>
internal static class HrFactory
{
    private static readonly string[] TradeNames =
        ["恒信", "华通", "金穗", "粤海", "宏达", "新景", "联创", "安顺", "明辉", "天禾", "骏业", "广利", "嘉诚", "富源", "和盛", "南方", "珠江", "荔湾", "云山", "东升"];

    private static readonly string[] Industries =
        ["物流", "建筑工程", "餐饮管理", "物业管理", "电子科技", "服装", "贸易", "运输", "家政服务", "汽车维修", "印刷", "食品", "保安服务", "装饰工程", "网络科技"];

    private static readonly string[] Suffixes = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"];

    private static readonly string[] Courses =
        ["叉车操作", "电工", "焊工", "中式烹调", "家政服务", "育婴员", "电子商务", "汽车维修", "美容美发", "保安员", "网约车驾驶", "快递员", "中式面点"];

    private static readonly double[] OutsiderStatus = [0.78, 0.07, 0.12, 0.03];
    private static readonly double[] InScopeStatus = [0.45, 0.25, 0.20, 0.10];
    private static readonly string[] Statuses =
        [EmploymentStatus.Employed, EmploymentStatus.Unemployed, EmploymentStatus.Flexible, EmploymentStatus.NotInLabourForce];

    /// <param name="served">aac002 as served: the person's ID, or a dirty or malformed form of it.</param>
    /// <param name="gxsj">The record's last change; every date in it lies on or before that day.</param>
    public static HrRecord Create(Random random, Person person, string served, bool inScope, DateTimeOffset gxsj)
    {
        var today = ChinaTime.DateOf(gxsj);
        var adult = person.Birth.AddYears(18);
        var record = new HrRecord
        {
            Person = person.Id,
            Aac002 = served,
            Aac003 = random.Chance(0.4) ? Names.Variant(random, person.Name, gbk: false) : person.Name,
            Jyzt = Statuses[random.PickWeighted(inScope ? InScopeStatus : OutsiderStatus)],
            Dwmc = "",
            Jyrq = "",
            Knrd = "0",
            Pxjl = [],
            Ylbx = "0",
            Cbrq = "",
            Gxsj = ChinaTime.FormatCompactSecond(gxsj),
        };

        if (record.Jyzt is EmploymentStatus.Employed or EmploymentStatus.Flexible)
        {
            record.Dwmc = record.Jyzt == EmploymentStatus.Employed ? Employer(random) : "";
            record.Jyrq = Date(random, adult, today, 3_650);
        }

        var hardToEmploy = inScope ? 0.3 : record.Jyzt == EmploymentStatus.Unemployed ? 0.3 : 0.02;
        record.Knrd = random.Chance(hardToEmploy) ? "1" : "0";
        var trainings = random.NextDouble() switch
        {
            var r when r < (inScope ? 0.08 : 0.02) => 2,
            var r when r < (inScope ? 0.33 : 0.10) => 1,
            _ => 0,
        };
        for (var i = 0; i < trainings; i++)
        {
            record.Pxjl.Add(NewTraining(random, Date(random, adult, today, 1_825)));
        }

        if (random.Chance(inScope ? 0.75 : 0.93))
        {
            record.Ylbx = "1";
            record.Cbrq = Date(random, adult, today, 4_380);
        }

        return record;
    }

    public static string Employer(Random random) =>
        string.Concat("广州", random.Chance(0.3) ? "市" : "", random.Pick(TradeNames), random.Pick(Industries), random.Pick(Suffixes));

    public static Training NewTraining(Random random, string endDate) =>
        new(random.Pick(Courses), endDate, random.Chance(0.85) ? "1" : "0");

    /// <summary>A date within <paramref name="withinDays"/> before <paramref name="today"/>, not before <paramref name="earliest"/>.</summary>
    private static string Date(Random random, DateOnly earliest, DateOnly today, int withinDays)
    {
        var first = today.AddDays(-withinDays);
        return ChinaTime.FormatDate(random.NextDate(first < earliest ? earliest : first, today));
    }
}
