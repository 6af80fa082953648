using System.Globalization;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// The roster's Chinese header row, read by name: where each column the adapter needs is, and the name of every
/// column (extra ones included) for the raw payload. Column order is whatever the file says.
/// </summary>
internal sealed class RosterHeader
{
    public const string ResidentId = "身份证号";
    public const string Name = "姓名";
    public const string HeadOfHousehold = "户主身份证号";
    public const string AssistanceType = "救助类型";
    public const string Status = "保障状态";
    public const string MonthlyAmount = "月保障金额";
    public const string HouseholdSize = "家庭人口";
    public const string ApprovedOn = "批准日期";
    public const string SuspendedOn = "停保日期";
    public const string Street = "所属街道";
    public const string District = "区划代码";

    /// <summary>The columns of AGENCY-INTERFACES.md section 3, in the documented order.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
        [ResidentId, Name, HeadOfHousehold, AssistanceType, Status, MonthlyAmount, HouseholdSize, ApprovedOn, SuspendedOn, Street, District];

    private readonly Dictionary<string, int> _index;

    private RosterHeader(IReadOnlyList<string> keys, Dictionary<string, int> index)
    {
        Keys = keys;
        _index = index;
    }

    /// <summary>The raw payload's key of each column, in file order: the header name, made unique when repeated.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>The number of columns: every data row must have exactly this many fields.</summary>
    public int Count => Keys.Count;

    /// <summary>The position of a required column.</summary>
    public int this[string column] => _index[column];

    /// <summary>Reads the header row.</summary>
    /// <exception cref="AdapterException">Kind System naming every required column that is missing or repeated.</exception>
    public static RosterHeader Parse(IReadOnlyList<string> cells, string fileName)
    {
        var keys = new List<string>(cells.Count);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var name = cells[i].Trim().Trim('\uFEFF');
            var occurrence = seen[name] = seen.GetValueOrDefault(name) + 1;
            if (occurrence == 1)
            {
                keys.Add(name);
                index[name] = i;
            }
            else
            {
                // An extra column named twice keeps both values in the payload, the second under "name#2".
                keys.Add(string.Create(CultureInfo.InvariantCulture, $"{name}#{occurrence}"));
                if (occurrence == 2 && RequiredColumns.Contains(name))
                {
                    repeated.Add(name);
                }
            }
        }

        var missing = RequiredColumns.Where(c => !index.ContainsKey(c)).ToList();
        if (missing.Count > 0 || repeated.Count > 0)
        {
            // Only column names from our own list are named: a header row that is really a data row must not leak.
            var problems = new List<string>();
            if (missing.Count > 0)
            {
                problems.Add($"has no column {string.Join(", ", missing)}");
            }

            if (repeated.Count > 0)
            {
                problems.Add($"names column {string.Join(", ", repeated)} more than once");
            }

            throw new AdapterException(
                FailureKind.System,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The header row of {fileName} ({cells.Count} columns) {string.Join(" and ", problems)}; "
                    + $"the interface's columns are {string.Join(",", RequiredColumns)}. The file is not read."));
        }

        return new RosterHeader(keys, index);
    }
}
