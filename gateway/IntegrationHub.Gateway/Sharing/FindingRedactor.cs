using IntegrationHub.Contract.V1;

namespace IntegrationHub.Gateway.Sharing;

/// <summary>
/// A finding as one reader may see it: the keys of cited records from an agency whose records the reader may not see
/// (e.g. a justice case number shown to civil affairs) are withheld in the evidence, the explanation and the subject;
/// so is the person's masked resident ID from a reader who may not see resident IDs. An explanation states facts of
/// the data items it lists (<see cref="Finding.ExplanationItems"/>); a reader who may not see each of them gets, in its
/// place, a note naming the items it lacks, and loses the evidence of the agencies those items belong to (a justice
/// record cited at all says the person has a case): what the rule found stays routable, the facts behind it stay where
/// the policy keeps them, whatever the policy is configured to.
/// </summary>
public static class FindingRedactor
{
    public const string Withheld = "(withheld)";

    public static Finding Redact(Finding finding, Visibility visibility)
    {
        var withheld = WithheldKeys(finding, visibility);
        var unseen = Unseen(finding.ExplanationItems, visibility);
        if (withheld.Count == 0 && unseen.Count == 0)
        {
            return finding;
        }

        var view = finding.Clone();
        foreach (var evidence in view.Evidence.Where(p => withheld.Contains(p.SourceKey, StringComparer.Ordinal)))
        {
            evidence.SourceKey = "";
        }

        view.Explanation = unseen.Count > 0 ? WithheldExplanation(unseen) : Cut(view.Explanation, withheld);
        var unseenAgencies = unseen.Select(AgencyOfItem).ToHashSet();
        foreach (var evidence in view.Evidence.Where(p => unseenAgencies.Contains(p.Agency)).ToList())
        {
            view.Evidence.Remove(evidence);
        }

        foreach (var key in withheld)
        {
            if (view.Subject == key || view.Subject.EndsWith(":" + key, StringComparison.Ordinal))
            {
                view.Subject = Withheld;
            }
        }

        if (!visibility.Sees(DataItems.ResidentId))
        {
            view.ResidentIdMasked = "";
        }

        return view;
    }

    /// <summary>Another explanation of the finding (one in its history), stating <paramref name="items"/>, cut as its explanation is.</summary>
    public static string RedactText(Finding finding, Visibility visibility, string text, IEnumerable<string> items)
    {
        var unseen = Unseen(items, visibility);
        return unseen.Count > 0 ? WithheldExplanation(unseen) : Cut(text, WithheldKeys(finding, visibility));
    }

    private static List<string> Unseen(IEnumerable<string> items, Visibility visibility) =>
        [.. items.Where(i => !visibility.Sees(i)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static Agency AgencyOfItem(string item) => item.Split('.')[0] switch
    {
        "police" => Agency.Police,
        "justice" => Agency.Justice,
        "civil_affairs" => Agency.CivilAffairs,
        "hr" => Agency.Hr,
        _ => Agency.Unspecified, // identity.*: every agency's records carry it; no evidence entry is one of its own
    };

    private static string WithheldExplanation(List<string> unseen) =>
        $"{Withheld}: the explanation states {string.Join(", ", unseen)}, which you may not see for this purpose";

    private static List<string> WithheldKeys(Finding finding, Visibility visibility)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(visibility);
        var keys = finding.Evidence.Where(p => p.SourceKey.Length > 0 && !SeesRecordsOf(p.Agency, visibility)).Select(p => p.SourceKey).ToList();
        if (finding.ResidentIdMasked.Length > 0 && !visibility.Sees(DataItems.ResidentId))
        {
            keys.Add(finding.ResidentIdMasked);
        }

        return [.. keys.Distinct(StringComparer.Ordinal).OrderByDescending(k => k.Length)];
    }

    private static string Cut(string text, List<string> withheld) =>
        withheld.Aggregate(text, (cut, key) => cut.Replace(key, Withheld, StringComparison.Ordinal));

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
