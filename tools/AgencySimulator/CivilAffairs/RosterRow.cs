namespace IntegrationHub.AgencySimulator.CivilAffairs;

/// <summary>救助类型 and 保障状态 values (AGENCY-INTERFACES.md section 3).</summary>
internal static class Assistance
{
    public const string MinimumLiving = "低保";
    public const string NearPoverty = "低保边缘";
    public const string ExtremePoverty = "特困";
    public const string TemporaryRelief = "临时救助";

    public const string Active = "在保";
    public const string Suspended = "停保";
    public const string UnderReview = "审核中";

    public static readonly IReadOnlyList<string> Types = [MinimumLiving, NearPoverty, ExtremePoverty, TemporaryRelief];
    public static readonly IReadOnlyList<double> TypeWeights = [0.6, 0.15, 0.1, 0.15];
}

/// <summary>One person's line on the roster, every value as written ("" when empty).</summary>
internal sealed class RosterRow
{
    /// <summary>The header of every file.</summary>
    public const string Header = "身份证号,姓名,户主身份证号,救助类型,保障状态,月保障金额,家庭人口,批准日期,停保日期,所属街道,区划代码";

    public long Id { get; set; }
    public required string Person { get; init; }
    public string? Defect { get; set; }

    /// <summary>身份证号 as written.</summary>
    public required string Sfzh { get; set; }

    /// <summary>姓名 as written.</summary>
    public required string Xm { get; set; }

    /// <summary>户主身份证号.</summary>
    public required string Hzsfzh { get; set; }

    /// <summary>救助类型.</summary>
    public required string Jzlx { get; set; }

    /// <summary>保障状态.</summary>
    public required string Bzzt { get; set; }

    /// <summary>月保障金额, yuan with two decimals.</summary>
    public required string Amount { get; set; }

    /// <summary>家庭人口.</summary>
    public required string Members { get; set; }

    /// <summary>批准日期.</summary>
    public required string Approved { get; set; }

    /// <summary>停保日期.</summary>
    public required string Stopped { get; set; }

    /// <summary>所属街道; a few carry their community after a comma, which makes the field quoted.</summary>
    public required string Street { get; set; }

    /// <summary>区划代码.</summary>
    public required string District { get; set; }

    /// <summary>How many times the line is written: 2 for the repeated rows of the trap.</summary>
    public int Copies { get; set; } = 1;

    public string[] Fields() => [Sfzh, Xm, Hzsfzh, Jzlx, Bzzt, Amount, Members, Approved, Stopped, Street, District];
}
