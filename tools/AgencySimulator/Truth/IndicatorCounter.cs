using IntegrationHub.AgencySimulator.Police;

namespace IntegrationHub.AgencySimulator.Truth;

/// <summary>Counts the indicators of one scope (the city or a district) record by record.</summary>
internal sealed class IndicatorCounter
{
    private readonly int[] _graded = new int[RiskGrade.Graded.Count];
    private readonly int[] _compliant = new int[RiskGrade.Graded.Count];
    private int _registered;
    private int _community;
    private int _gradedTotal;
    private int _gridEntered;

    public void Add(string status, string grade, string gridCode, int responsiblePeople)
    {
        _registered++;
        if (status != ControlStatus.Community)
        {
            return;
        }

        _community++;
        if (gridCode.Length > 0)
        {
            _gridEntered++;
        }

        var index = IndexOf(grade);
        if (index < 0)
        {
            return;
        }

        _gradedTotal++;
        _graded[index]++;
        if (responsiblePeople >= RiskGrade.RequiredPeople(grade))
        {
            _compliant[index]++;
        }
    }

    public IndicatorSet ToIndicatorSet() => new(
        _registered,
        _community,
        _gradedTotal,
        _gridEntered,
        RiskGrade.Graded
            .Select((grade, i) => (Name: RiskGrade.Name(grade), Ratio: new Ratio(_compliant[i], _graded[i])))
            .ToDictionary(x => x.Name, x => x.Ratio, StringComparer.Ordinal));

    /// <summary>Any fxdj other than "1".."4" counts as not graded.</summary>
    private static int IndexOf(string grade)
    {
        for (var i = 0; i < RiskGrade.Graded.Count; i++)
        {
            if (RiskGrade.Graded[i] == grade)
            {
                return i;
            }
        }

        return -1;
    }
}
