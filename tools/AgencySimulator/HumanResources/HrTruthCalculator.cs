using IntegrationHub.AgencySimulator.Identity;
using IntegrationHub.AgencySimulator.Population;
using IntegrationHub.AgencySimulator.Storage;
using IntegrationHub.AgencySimulator.Truth;

namespace IntegrationHub.AgencySimulator.HumanResources;

/// <summary>Splits the HR records by what the hub may keep of them.</summary>
internal static class HrTruthCalculator
{
    public static HrTruth Compute(SqlSession sql, Scope scope)
    {
        var (total, inScope, outOfScope) = (0, 0, 0);
        var unusable = new List<UnusableId>();
        var nameOnly = new List<string>();
        using var reader = sql.Query("SELECT aac002, aac003, person, defect FROM hr.hr_person ORDER BY gxsj, id");
        while (reader.Read())
        {
            total++;
            var (served, name, person) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            if (!reader.IsDBNull(3))
            {
                unusable.Add(new UnusableId(ResidentId.Mask(served), reader.GetString(3)));
            }
            else if (scope.Contains(person))
            {
                inScope++;
            }
            else if (scope.HasNamesake(name, ResidentId.BirthOf(person)))
            {
                nameOnly.Add(ResidentId.Mask(served));
            }
            else
            {
                outOfScope++;
            }
        }

        return new HrTruth(total, inScope, outOfScope, unusable.Count, nameOnly.Count, unusable, nameOnly);
    }
}
