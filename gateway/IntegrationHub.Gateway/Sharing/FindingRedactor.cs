using System.Text.RegularExpressions;
using IntegrationHub.Contract.V1;
using IntegrationHub.Gateway.Grpc;

namespace IntegrationHub.Gateway.Sharing;

/// <summary>
/// A finding as one reader may see it.
/// <list type="bullet">
/// <item>A cited record of an agency whose records the reader may not see (a justice case shown to civil affairs) is
/// named by agency and dataset only: its key and agency time are cut from the explanation (its history's too) and the
/// evidence, and its evidence loses its times and run; a subject that is its key reads <c>(withheld)</c>.</item>
/// <item>The person's masked resident ID is withheld from a reader who may not see resident IDs.</item>
/// <item>An explanation states facts of the data items it lists (<see cref="Finding.ExplanationItems"/>). A reader who
/// may not see every one gets a note in its place that names none of them, the list cut to the items it sees, and no
/// evidence of the agencies the unseen items belong to. Each rule's list is fixed, or depends only on what the reader
/// can see anyway, so whether an explanation is withheld says nothing more of the person.</item>
/// </list>
/// What the rule found stays routable; the facts behind it stay where the policy keeps them, whatever it is configured to.
/// </summary>
public static class FindingRedactor
{
    public const string Withheld = "(withheld)";

    public const string WithheldExplanation = "(withheld): the explanation states data you may not see for this purpose";

    public static Finding Redact(Finding finding, Visibility visibility)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(visibility);
        var hidden = HiddenAgencies(finding, visibility);
        var withheld = WithheldKeys(finding, hidden, visibility);
        var unseen = finding.ExplanationItems.Where(i => !visibility.Sees(i)).ToList();
        if (hidden.Count == 0 && withheld.Count == 0 && unseen.Count == 0)
        {
            return finding;
        }

        var view = finding.Clone();
        view.Explanation = unseen.Count > 0 ? WithheldExplanation : Cut(view.Explanation, hidden, withheld);
        view.ExplanationItems.Clear();
        view.ExplanationItems.AddRange(finding.ExplanationItems.Where(visibility.Sees));
        var unseenAgencies = unseen.Select(AgencyOfItem).ToHashSet();
        foreach (var evidence in view.Evidence.ToList())
        {
            if (unseenAgencies.Contains(evidence.Agency))
            {
                view.Evidence.Remove(evidence);
            }
            else if (hidden.Contains(evidence.Agency))
            {
                evidence.SourceKey = "";
                evidence.AgencyTime = null;
                evidence.HubTime = null;
                evidence.SyncRunId = "";
            }
            else if (withheld.Contains(evidence.SourceKey, StringComparer.Ordinal))
            {
                evidence.SourceKey = "";
            }
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
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(visibility);
        var hidden = HiddenAgencies(finding, visibility);
        return items.All(visibility.Sees) ? Cut(text, hidden, WithheldKeys(finding, hidden, visibility)) : WithheldExplanation;
    }

    /// <summary>The data items an item list shows a reader: those it may see (a withheld explanation's list names no other).</summary>
    public static IEnumerable<string> SeenItems(IEnumerable<string> items, Visibility visibility) => items.Where(visibility.Sees);

    private static Agency AgencyOfItem(string item) => item.Split('.')[0] switch
    {
        "police" => Agency.Police,
        "justice" => Agency.Justice,
        "civil_affairs" => Agency.CivilAffairs,
        "hr" => Agency.Hr,
        _ => Agency.Unspecified, // identity.*: every agency's records carry it; no evidence entry is one of its own
    };

    /// <summary>The agencies of the cited records whose records the reader may not see.</summary>
    private static HashSet<Agency> HiddenAgencies(Finding finding, Visibility visibility) =>
        [.. finding.Evidence.Select(e => e.Agency).Where(a => !SeesRecordsOf(a, visibility))];

    /// <summary>The keys of the hidden agencies' cited records, and the masked resident ID from a reader who may not see it; longest first.</summary>
    private static List<string> WithheldKeys(Finding finding, HashSet<Agency> hidden, Visibility visibility)
    {
        var keys = finding.Evidence.Where(e => e.SourceKey.Length > 0 && hidden.Contains(e.Agency)).Select(e => e.SourceKey).ToList();
        if (finding.ResidentIdMasked.Length > 0 && !visibility.Sees(DataItems.ResidentId))
        {
            keys.Add(finding.ResidentIdMasked);
        }

        return [.. keys.Distinct(StringComparer.Ordinal).OrderByDescending(k => k.Length)];
    }

    /// <summary>
    /// Cuts each citation of a hidden agency's record (<see cref="Linkage.Cite.Source(string, string, string, DateTimeOffset)"/>:
    /// <c>justice sq_jdkf_case SK1, agency time 2026-10-01 10:00</c>) down to <c>justice sq_jdkf_case (withheld)</c>, key
    /// and time both, in the current explanation and in older ones citing older versions alike; then any withheld key
    /// still in the text.
    /// </summary>
    private static string Cut(string text, HashSet<Agency> hidden, List<string> withheld)
    {
        foreach (var agency in hidden)
        {
            var code = ContractMapping.FromContractAgency(agency, "evidence.agency");
            text = Regex.Replace(text, $@"\b{Regex.Escape(code)} (\S+) [^,()]*, agency time \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}", $"{code} $1 {Withheld}");
        }

        return withheld.Aggregate(text, (cut, key) => cut.Replace(key, Withheld, StringComparison.Ordinal));
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
