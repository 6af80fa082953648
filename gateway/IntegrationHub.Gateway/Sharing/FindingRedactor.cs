using IntegrationHub.Contract.V1;

namespace IntegrationHub.Gateway.Sharing;

/// <summary>
/// A finding as one reader may see it: the keys of cited records from an agency whose records the reader may not see
/// (e.g. a justice case number shown to civil affairs) are withheld in the evidence, the explanation and the subject.
/// The facts the explanation states are those the rule's target agency needs to act on.
/// </summary>
public static class FindingRedactor
{
    public const string Withheld = "(withheld)";

    public static Finding Redact(Finding finding, Visibility visibility)
    {
        var withheld = finding.Evidence
            .Where(p => p.SourceKey.Length > 0 && !SeesRecordsOf(p.Agency, visibility))
            .Select(p => p.SourceKey)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(k => k.Length)
            .ToList();
        if (withheld.Count == 0)
        {
            return finding;
        }

        var view = finding.Clone();
        foreach (var evidence in view.Evidence.Where(p => withheld.Contains(p.SourceKey, StringComparer.Ordinal)))
        {
            evidence.SourceKey = "";
        }

        foreach (var key in withheld)
        {
            view.Explanation = view.Explanation.Replace(key, Withheld, StringComparison.Ordinal);
            if (view.Subject == key || view.Subject.EndsWith(":" + key, StringComparison.Ordinal))
            {
                view.Subject = Withheld;
            }
        }

        return view;
    }

    /// <summary>Whether the reader may see an agency's records themselves (their keys), not just a narrower view.</summary>
    private static bool SeesRecordsOf(Agency agency, Visibility visibility) => agency switch
    {
        Agency.Police => visibility.Items.Contains(DataItems.PoliceRegistration),
        Agency.Justice => visibility.Items.Contains(DataItems.Cases),
        Agency.CivilAffairs => visibility.Items.Contains(DataItems.Assistance),
        Agency.Hr => visibility.Items.Contains(DataItems.Employment) || visibility.Items.Contains(DataItems.Training) || visibility.Items.Contains(DataItems.Insurance),
        _ => false,
    };
}
