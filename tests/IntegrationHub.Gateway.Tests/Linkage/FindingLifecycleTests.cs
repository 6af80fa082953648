using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Ingest;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Sharing;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Linkage;

/// <summary>Findings raised by the pipeline in the batch's transaction, and their lifecycle: open, acknowledge, resolve, closed by the data, reopened.</summary>
public sealed class FindingLifecycleTests : IDisposable
{
    private static readonly string IdA = PoliceRecords.ResidentId("440104", new DateOnly(1985, 3, 7), 123);
    private static readonly string IdB = PoliceRecords.ResidentId("440105", new DateOnly(1990, 1, 2), 246);
    private readonly TestHub hub = new(linkage: true);
    private int version;

    private FindingStore Store => hub.Findings!;

    private IReadOnlyList<FindingView> All(string? rule = null) =>
        Store.List(new FindingFilter(null, FindingStates.All, rule, null, null, null), null, 500).Page;

    /// <summary>A police record whose payload changes with every call, so that each is a new version.</summary>
    private SourceRecord Police(string rybh, string id, int responsible, RiskGrade grade = RiskGrade.High, ControlStatus status = ControlStatus.InCommunity)
    {
        var record = PoliceRecords.Create(rybh, id, grade: grade, responsible: responsible, status: status, at: hub.Time.GetUtcNow().AddMinutes(-1));
        return record with { RawPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record.RawPayload.Span) + "#" + version++) };
    }

    private SourceRecord AwaitingCase(string ajbh, string id, DateOnly decided)
    {
        var record = AgencyRecords.Case(ajbh, id, CaseType.CommunityDetox, CaseStatus.AwaitingReportIn, decided: decided);
        return record with { RawPayload = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record.RawPayload.Span) + "#" + version++) };
    }

    /// <summary>Takes the store back to what migration 10 left: findings and their events without explanation items.</summary>
    private void AsMigration10LeftIt()
    {
        using var connection = hub.Database.Open();
        Gateway.Store.HubDatabase.Execute(connection,
            """
            ALTER TABLE findings DROP COLUMN explanation_items; ALTER TABLE finding_events DROP COLUMN explanation_items;
            DELETE FROM schema_migrations WHERE version = 11;
            """);
    }

    [Fact]
    public void ARuleOpensAFindingTheDataClosesItAndReopensItWhenItRecurs()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 2));

        var opened = Assert.Single(All());
        Assert.Equal(("CONTROL_RATIO_GAP", "GZ1", "police", FindingStates.Open), (opened.Rule, opened.Subject, opened.TargetAgency, opened.State));
        Assert.Contains("with 2 responsible people where the grade requires 5 (police xdry GZ1", opened.Explanation, StringComparison.Ordinal);
        Assert.Equal("R1", Assert.Single(opened.Evidence).RunId);
        Assert.Equal(("440104", "北京街道"), (opened.District, opened.Street));

        hub.Time.Advance(TimeSpan.FromHours(1));
        hub.Commit("R2", Police("GZ1", IdA, responsible: 5));
        var closed = Assert.Single(All());
        Assert.Equal(FindingStates.Closed, closed.State);
        Assert.Equal(hub.Time.GetUtcNow(), closed.ClosedAt);

        hub.Time.Advance(TimeSpan.FromHours(1));
        hub.Commit("R3", Police("GZ1", IdA, responsible: 4));
        var reopened = Assert.Single(All());
        Assert.Equal((FindingStates.Open, 2, opened.FindingId), (reopened.State, reopened.TimesOpened, reopened.FindingId));
        Assert.Contains("with 4 responsible people", reopened.Explanation, StringComparison.Ordinal);

        var history = Store.Get(opened.FindingId, null)!.Value.History;
        Assert.Equal(["opened", "closed", "reopened"], history.Select(h => h.State));
        Assert.All(history, h => Assert.Equal(FindingStore.DataActor, h.Actor));
    }

    [Fact]
    public void AcknowledgeAndResolveNeedANoteAndFollowTheLifecycle()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 1));
        var id = Assert.Single(All()).FindingId;

        Assert.Throws<ArgumentException>(() => Store.Acknowledge(id, "police-system", "  ", null));
        var acknowledged = Store.Acknowledge(id, "police-system", "两名社工本周内指派", null);
        Assert.Equal(FindingStates.Acknowledged, acknowledged.State);
        Assert.Throws<FindingStateException>(() => Store.Acknowledge(id, "police-system", "again", null));

        var resolved = Store.Resolve(id, "police-system", "已指派五名责任人", null);
        Assert.Equal(FindingStates.Resolved, resolved.State);
        var history = Store.Get(id, null)!.Value.History;
        Assert.Equal(["opened", "acknowledged", "resolved"], history.Select(h => h.State));
        Assert.Equal(("police-system", "已指派五名责任人"), (history[2].Actor, history[2].Note));
        Assert.True(hub.Count("SELECT COUNT(*) FROM finding_events WHERE note_cipher IS NOT NULL") == 2, "notes are kept, encrypted");
        Assert.True(hub.AllBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes("已指派五名责任人")) < 0, "no note in clear text in the data folder");
    }

    [Fact]
    public void AResolvedFindingWhoseConditionStillHoldsAfterTheGracePeriodReopens()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 1));
        var id = Assert.Single(All()).FindingId;
        Store.Resolve(id, "police-system", "已处理", null);

        hub.Time.Advance(TimeSpan.FromDays(6));
        hub.Linkage!.Sweep(hub.Time.GetUtcNow());
        Assert.Equal(FindingStates.Resolved, Store.Get(id, null)!.Value.Finding.State);

        hub.Time.Advance(TimeSpan.FromDays(1));
        hub.Linkage.Sweep(hub.Time.GetUtcNow());
        var (finding, history) = Store.Get(id, null)!.Value;
        Assert.Equal(FindingStates.Open, finding.State);
        Assert.Equal("still holds 7 days after it was resolved", history[^1].Note);
    }

    [Fact]
    public void AResolvedFindingWhoseConditionClearedStaysResolved()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 1));
        var id = Assert.Single(All()).FindingId;
        Store.Resolve(id, "police-system", "已处理", null);
        hub.Commit("R2", Police("GZ1", IdA, responsible: 5));

        hub.Time.Advance(TimeSpan.FromDays(10));
        hub.Linkage!.Sweep(hub.Time.GetUtcNow());

        Assert.Equal(FindingStates.Resolved, Store.Get(id, null)!.Value.Finding.State);
    }

    [Fact]
    public void TheSweepOpensAReportInOverdueOnDay16NotOnDay15()
    {
        // 02:00 UTC is 10:00 in Shanghai: "today" is 2026-11-29; decided 15 days before.
        var decided = new DateOnly(2026, 11, 14);
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, AwaitingCase("SJ1", IdB, decided));
        Assert.Empty(All("REPORT_IN_OVERDUE"));
        Assert.Equal("2026-11-30", hub.Database.Query("SELECT due_on FROM linkage_due", r => r.GetString(0)).Single());

        hub.Time.Advance(TimeSpan.FromHours(13));
        Assert.Equal(0, hub.Linkage!.Sweep(hub.Time.GetUtcNow()));
        hub.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, hub.Linkage.Sweep(hub.Time.GetUtcNow()));

        var finding = Assert.Single(All("REPORT_IN_OVERDUE"));
        Assert.Equal(("SJ1", "justice", "440104"), (finding.Subject, finding.TargetAgency, finding.District));
        Assert.Contains("the 15-day period ended on 2026-11-29", finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void TheItemsAnExplanationStatesAreKeptWithIt_AndUnknownOnesReadAsEveryItem()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 2));
        var opened = Assert.Single(All());
        string[] stated = [DataItems.ControlStatus, DataItems.Grade, DataItems.ResponsiblePeople];
        Assert.Equal(stated, opened.ExplanationItems);
        Assert.Equal(stated, Assert.Single(Store.Get(opened.FindingId, null)!.Value.History).ExplanationItems);

        // A finding written before the hub kept them (migration 11) is treated as stating everything, until the data rewrites it.
        hub.Database.Execute("UPDATE findings SET explanation_items = NULL");
        hub.Database.Execute("UPDATE finding_events SET explanation_items = NULL");
        Assert.Equal(DataItems.All.Keys, Assert.Single(All()).ExplanationItems);
        Assert.Equal(DataItems.All.Keys, Assert.Single(Store.Get(opened.FindingId, null)!.Value.History).ExplanationItems);

        hub.Time.Advance(TimeSpan.FromHours(1));
        hub.Commit("R2", Police("GZ1", IdA, responsible: 3));
        Assert.Equal(stated, Assert.Single(All()).ExplanationItems);
    }

    [Fact]
    public void AnUpgradedHub_GetsEachRulesExplanationItems_AndItsActiveFindingsAreEvaluatedAgain()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 2));
        hub.Linkage!.Sweep(hub.Time.GetUtcNow());
        AsMigration10LeftIt();

        Assert.Empty(hub.Database.Query("SELECT person_id FROM linkage_due WHERE due_on = '0001-01-01'", r => r.GetString(0)));
        hub.Database.Migrate(hub.Time);

        // The rule's items at once, the finding's and its opening event's; and the person due, so the sweep writes them anew.
        string[] stated = [DataItems.ControlStatus, DataItems.Grade, DataItems.ResponsiblePeople];
        var finding = Assert.Single(All());
        Assert.Equal(stated, finding.ExplanationItems);
        Assert.Equal(stated, Assert.Single(Store.Get(finding.FindingId, null)!.Value.History).ExplanationItems);
        Assert.Equal(1, hub.Linkage.Sweep(hub.Time.GetUtcNow()));
        Assert.Equal(stated, Assert.Single(All()).ExplanationItems);
    }

    [Fact]
    public void AnUpgradedHub_GivesAHouseholdReviewFromJusticeTheCaseItem_AndOneFromPoliceTheIsolationItem()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 5), Police("GZ2", IdB, responsible: 5, status: ControlStatus.CompulsoryIsolation));
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, AgencyRecords.Case("QG1", IdA, CaseType.CompulsoryIsolation, decided: new DateOnly(2026, 10, 1)));
        var day = new DateOnly(2026, 11, 28);
        hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(IdA, "测试甲", day), AgencyRecords.Roster(IdB, "测试乙", day));
        var written = All("HOUSEHOLD_REVIEW").OrderBy(f => f.PersonId, StringComparer.Ordinal).Select(f => string.Join(",", f.ExplanationItems)).ToList();
        AsMigration10LeftIt();

        hub.Database.Migrate(hub.Time);

        var migrated = All("HOUSEHOLD_REVIEW").OrderBy(f => f.PersonId, StringComparer.Ordinal).Select(f => string.Join(",", f.ExplanationItems)).ToList();
        Assert.Equal(written, migrated);
        Assert.Equal(["civil_affairs.assistance,justice.cases", "civil_affairs.assistance,police.in_isolation"], migrated.Select(m => string.Join(",", m.Split(',').Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnUpgradedHub_GivesEachHouseholdReviewEventTheItemsOfItsOwnText()
    {
        // Opened on police's word; then police say in community while justice's isolation case still executes.
        hub.Commit("R1", Police("GZ1", IdA, responsible: 5, status: ControlStatus.CompulsoryIsolation));
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, AgencyRecords.Case("QG1", IdA, CaseType.CompulsoryIsolation, decided: new DateOnly(2026, 10, 1)));
        hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(IdA, "测试甲", new DateOnly(2026, 11, 28)));
        hub.Time.Advance(TimeSpan.FromHours(1));
        hub.Commit("R2", Police("GZ1", IdA, responsible: 5));
        hub.Time.Advance(TimeSpan.FromHours(1));
        hub.Commit("R3", Police("GZ1", IdA, responsible: 5, status: ControlStatus.CompulsoryIsolation));
        hub.Time.Advance(TimeSpan.FromHours(1));
        hub.Commit("R4", Police("GZ1", IdA, responsible: 5));
        var finding = Assert.Single(All("HOUSEHOLD_REVIEW"));
        Assert.Contains("compulsory isolation executing since 2026-10-01", finding.Explanation, StringComparison.Ordinal);
        AsMigration10LeftIt();

        hub.Database.Migrate(hub.Time);

        string[] byPolice = [DataItems.InIsolation, DataItems.Assistance];
        string[] byJustice = [DataItems.Cases, DataItems.Assistance];
        Assert.Equal(byJustice, Assert.Single(All("HOUSEHOLD_REVIEW")).ExplanationItems);
        var history = Store.Get(finding.FindingId, null)!.Value.History.Where(h => h.Explanation is not null).ToList();
        Assert.NotEmpty(history);
        Assert.All(history, h => Assert.Equal(
            h.State == FindingStates.Closed ? [] : h.Explanation!.Contains("(police control status", StringComparison.Ordinal) ? byPolice : byJustice,
            h.ExplanationItems));
        Assert.Contains(history, h => h.ExplanationItems.SequenceEqual(byPolice));
    }

    [Fact]
    public void FindingsCrossAgencies_IsolationAtPoliceWithAnActiveRosterEntryGoesToCivilAffairs()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 5, status: ControlStatus.CompulsoryIsolation));
        hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(IdA, "测试甲", new DateOnly(2026, 11, 28)));

        var finding = Assert.Single(All("HOUSEHOLD_REVIEW"));
        Assert.Equal(("civil-affairs", "civil-affairs"), (finding.Subject, finding.TargetAgency));
        Assert.Contains("police control status compulsory isolation (police xdry GZ1", finding.Explanation, StringComparison.Ordinal);
        Assert.Contains("MinimumLivingAllowance civil-affairs roster 440104********", finding.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain(IdA, finding.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAgencyTurningStaleOpensStalenessFindingsForItsPeopleAndFreshClosesThem()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 5), Police("GZ2", IdB, responsible: 5, status: ControlStatus.Detained));
        hub.Freshness.Agencies["police"] = new AgencyFreshness("police", Stale: true, hub.Time.GetUtcNow().AddHours(-3), TimeSpan.FromHours(1));

        hub.Linkage!.Sweep(hub.Time.GetUtcNow());
        var stale = Assert.Single(All("STALENESS"));
        Assert.Equal(("police", FindingStates.Open), (stale.TargetAgency, stale.State));
        Assert.Contains("beyond the freshness target of 1 h", stale.Explanation, StringComparison.Ordinal);

        hub.Freshness.Agencies["police"] = new AgencyFreshness("police", Stale: false, hub.Time.GetUtcNow(), TimeSpan.FromHours(1));
        hub.Linkage.Sweep(hub.Time.GetUtcNow());
        Assert.Equal(FindingStates.Closed, Assert.Single(All("STALENESS")).State);
    }

    [Fact]
    public void AnAgencySeesOnlyItsOwnFindings()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 1, status: ControlStatus.CompulsoryIsolation), Police("GZ2", IdB, responsible: 1));
        hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(IdA, "测试甲", new DateOnly(2026, 11, 28)));
        var forPolice = All().Single(f => f.TargetAgency == "police");
        var forCivil = All().Single(f => f.TargetAgency == "civil-affairs");

        Assert.Equal([forCivil.FindingId], Store.List(new FindingFilter("civil-affairs", FindingStates.All, null, null, null, null), null, 50).Page.Select(f => f.FindingId));
        Assert.Null(Store.Get(forPolice.FindingId, "civil-affairs"));
        Assert.Throws<FindingNotFoundException>(() => Store.Acknowledge(forPolice.FindingId, "civil-affairs-system", "not ours", "civil-affairs"));
        Assert.Equal(FindingStates.Acknowledged, Store.Acknowledge(forCivil.FindingId, "civil-affairs-system", "入户核查", "civil-affairs").State);
    }

    [Fact]
    public void EveryChangeIsOnTheChangeLogInTheSameTransaction()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 1));

        var events = hub.Database.Query("SELECT kind, agency, detail FROM change_events ORDER BY seq", r => (r.GetString(0), r.GetString(1), r.GetString(2)));
        Assert.Equal(("person", "police", """{"dataset":"xdry"}"""), events[0]);
        Assert.Equal(("finding", "police", """{"rule":"CONTROL_RATIO_GAP","subject":"GZ1","state":"opened"}"""), events[1]);
    }

    [Fact]
    public void APersonLeavingScopeClosesTheirFindings()
    {
        hub.Commit("R1", Police("GZ1", IdA, responsible: 1));
        var withdrawn = PoliceRecords.Create("GZ1", IdA, withdrawn: true, at: hub.Time.GetUtcNow());

        hub.Commit("R2", withdrawn);

        Assert.Equal(FindingStates.Closed, Assert.Single(All()).State);
    }

    [Fact]
    public async Task AFirstFullReadOpensNoFindingThatItsLaterBatchesWouldClose()
    {
        // The person's isolation ended a month ago (batch 1); the rehab case that picked them up comes in batch 2.
        var released = new DateOnly(2026, 10, 29);
        var isolation = AgencyRecords.Case("QG1", IdB, CaseType.CompulsoryIsolation, CaseStatus.Completed, decided: released.AddYears(-1));
        isolation = isolation with { Fact = ((RehabCaseFact)isolation.Fact!) with { TermEnd = released } };
        var rehab = AgencyRecords.Case("SK1", IdB, CaseType.CommunityRehab, CaseStatus.Executing, decided: released.AddDays(2));
        var adapter = new BatchesAgency("justice", "sq_jdkf_case", [[isolation], [rehab]]);
        var runner = hub.CreateRunner();

        var run = await runner.RunAsync(new SyncJobDefinition("justice", "0 0 0 1 1 ? 2099", adapter), "J1", "manual", CancellationToken.None);

        Assert.Equal(2, run.Counts.Inserted);
        Assert.Empty(All());
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM linkage_due WHERE due_on <= '2026-11-29'"));

        // Later runs (the cursor is there) evaluate in each batch's own transaction.
        adapter.Next = [[AwaitingCase("SJ9", IdB, new DateOnly(2026, 10, 1))]];
        await runner.RunAsync(new SyncJobDefinition("justice", "0 0 0 1 1 ? 2099", adapter), "J2", "manual", CancellationToken.None);
        Assert.Equal("SJ9", Assert.Single(All("REPORT_IN_OVERDUE")).Subject);
    }

    /// <summary>A justice-like agency that hands over fixed batches, the cursor counting them.</summary>
    private sealed class BatchesAgency(string agency, string dataset, List<List<SourceRecord>> batches) : ISourceAdapter
    {
        public List<List<SourceRecord>> Next { get; set; } = batches;

        public string Agency => agency;

        public IReadOnlyList<string> Datasets => [dataset];

        public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async IAsyncEnumerable<SourceBatch> ReadAsync(string name, string? cursor, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.CompletedTask;
            var start = cursor is null ? 0 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
            var served = Next;
            Next = [];
            for (var i = 0; i < served.Count; i++)
            {
                yield return new SourceBatch(served[i], (start + i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        public SourceRecord Remap(string name, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime) =>
            throw new NotSupportedException("no replay in this test");
    }

    public void Dispose() => hub.Dispose();
}
