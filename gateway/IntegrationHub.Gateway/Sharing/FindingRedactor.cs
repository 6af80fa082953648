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
        var hidden = HiddenAgencies(visibility);
        var masked = MaskedIdWithheld(finding, visibility);
        var unseen = finding.ExplanationItems.Where(i => !visibility.Sees(i)).ToList();
        if (hidden.Count == 0 && masked is null && unseen.Count == 0)
        {
            return finding;
        }

        var view = finding.Clone();
        view.Explanation = unseen.Count > 0 ? WithheldExplanation : Cut(view.Explanation, hidden, masked);
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
            else if (evidence.SourceKey == masked)
            {
                evidence.SourceKey = "";
            }
        }

        var withheldKeys = finding.Evidence.Where(e => hidden.Contains(e.Agency)).Select(e => e.SourceKey).Append(masked ?? "").Where(k => k.Length > 0);
        foreach (var key in withheldKeys)
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
        return items.All(visibility.Sees) ? Cut(text, HiddenAgencies(visibility), MaskedIdWithheld(finding, visibility)) : WithheldExplanation;
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

    /// <summary>
    /// The agencies whose records the reader may not see: all of them, not only those the finding cites now, since its
    /// history may cite others (a household review that opened on police's word and now rests on justice's).
    /// </summary>
    private static HashSet<Agency> HiddenAgencies(Visibility visibility) =>
        [.. new[] { Agency.Police, Agency.Justice, Agency.CivilAffairs, Agency.Hr }.Where(a => !SeesRecordsOf(a, visibility))];

    /// <summary>The person's masked resident ID, when the reader may not see resident IDs.</summary>
    private static string? MaskedIdWithheld(Finding finding, Visibility visibility) =>
        finding.ResidentIdMasked.Length > 0 && !visibility.Sees(DataItems.ResidentId) ? finding.ResidentIdMasked : null;

    /// <summary>
    /// Cuts each citation of a hidden agency's record (<see cref="Linkage.Cite.Source(string, string, string, DateTimeOffset)"/>:
    /// <c>justice sq_jdkf_case SK1, agency time 2026-10-01 10:00</c>) down to <c>justice sq_jdkf_case (withheld)</c>, key
    /// and time both, whatever the key holds, in the current explanation and in older ones citing older versions alike;
    /// then the masked resident ID when withheld (it is long and distinctive; a short record key could match anything).
    /// </summary>
    private static string Cut(string text, HashSet<Agency> hidden, string? masked)
    {
        foreach (var agency in hidden)
        {
            var code = ContractMapping.FromContractAgency(agency, "evidence.agency");
            var cited = Regex.Escape($"{code} {Exchange.PushedRecordMapper.DatasetOf(code)} ");
            text = Regex.Replace(text, cited + @".*?, agency time \d{4}-\d{2}-\d{2} \d{2}:\d{2}", $"{code} {Exchange.PushedRecordMapper.DatasetOf(code)} {Withheld}");
        }

        return masked is null ? text : text.Replace(masked, Withheld, StringComparison.Ordinal);
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
