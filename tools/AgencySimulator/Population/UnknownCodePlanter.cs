using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Storage;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>
/// Plants the fault <c>newcode=N</c>: N police records of people in the community (gkzt 10) are served with the
/// undocumented gkzt <see cref="UnknownCodes.ControlStatusValue"/> instead, which means the same. Each is otherwise
/// valid: not withdrawn, an ID served exactly as it is (neither dirty nor malformed). The records are drawn from a
/// stream of their own after every agency is generated, so the rest of the population is the one N = 0 gives; the
/// other agencies' histories were drawn from the status the code stands for. Evolution never changes them.
/// </summary>
internal static class UnknownCodePlanter
{
    /// <summary>A draw stream of its own, apart from the generation's and evolution's.</summary>
    private const long Stream = -6;

    /// <returns>The number of records planted.</returns>
    public static int Plant(SqlSession sql, GenerationPlan plan)
    {
        if (plan.NewCodes == 0)
        {
            return 0;
        }

        var candidates = sql.List(
            """
            SELECT id FROM xdry
            WHERE withdrawn = 0 AND defect IS NULL
              AND json_extract(json, '$.gkzt') = $community AND json_extract(json, '$.sfzh') = person
            ORDER BY id
            """,
            r => r.GetInt64(0),
            ("$community", UnknownCodes.ControlStatusMeaning));
        if (plan.NewCodes > candidates.Count)
        {
            throw new ArgumentException(
                $"newcode={plan.NewCodes} exceeds the {candidates.Count} records in the community with a clean ID at this scale.", nameof(plan));
        }

        // The first N places of a Fisher-Yates shuffle: N distinct records, the same ones for the same seed and scale.
        var random = RandomExtensions.ForStream(plan.Seed, Stream, (long)plan.Profile.Scale);
        for (var i = 0; i < plan.NewCodes; i++)
        {
            var j = random.Next(i, candidates.Count);
            (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
        }

        using var table = new PoliceTable(sql.Connection, sql.Transaction!);
        foreach (var id in candidates.Take(plan.NewCodes))
        {
            var record = PoliceJson.Deserialize(sql.Text("SELECT json FROM xdry WHERE id = $id", ("$id", id))!);
            // Only the code changes: the record keeps its gxsj, as if the agency had always sent it this way.
            record.Gkzt = UnknownCodes.ControlStatusValue;
            table.Update(id, record);
        }

        return plan.NewCodes;
    }
}
