using System.Text;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Ingest;

/// <summary>DESIGN.md scope: whole-city rows about people outside the mechanism leave no trace; rosters are snapshots.</summary>
public sealed class ScopeAndSnapshotTests : IDisposable
{
    private static readonly string InScope = PoliceRecords.ResidentId("440104", new DateOnly(1985, 3, 7), 123);
    private static readonly string AlsoInScope = PoliceRecords.ResidentId("440105", new DateOnly(1979, 5, 2), 456);
    private static readonly string Outsider = PoliceRecords.ResidentId("440106", new DateOnly(1990, 1, 1), 789);
    private static readonly DateOnly Day1 = new(2026, 11, 27);
    private static readonly DateOnly Day2 = new(2026, 11, 28);
    private readonly TestHub hub = new();

    public ScopeAndSnapshotTests()
    {
        hub.Commit("R0", PoliceRecords.Create("GZ1", InScope, name: "张伟"));
        hub.CommitFor("justice", "sq_jdkf_case", "J0", null, AgencyRecords.Case("AJ1", AlsoInScope, name: "阿依·买买提"));
    }

    [Fact]
    public void JusticeCase_CreatesPersonInScope_WithCaseInView()
    {
        var person = hub.Views.GetPerson(hub.Views.FindPersonId(AlsoInScope)!);

        Assert.NotNull(person);
        Assert.Equal(CaseType.CommunityRehab, ((RehabCaseFact)Assert.Single(person.RehabCases).Fact).Type);
        Assert.Null(person.Police);
    }

    [Fact]
    public void Identity_OlderPoliceRecordAfterNewerCase_StillGivesSex()
    {
        var early = DateTimeOffset.Parse("2020-01-01T00:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);

        hub.Commit("R1", PoliceRecords.Create("GZ2", AlsoInScope, name: "阿依·买买提", at: early));

        var person = hub.Views.GetPerson(hub.Views.FindPersonId(AlsoInScope)!)!;
        Assert.Equal(Sex.Female, person.Sex); // sequence 456: even, female
        Assert.Equal("justice", person.IdentityProvenance!.Agency);
    }

    [Fact]
    public void RosterRow_PersonInScope_IsKeptUnderBlindKey_NotTheId()
    {
        var counts = hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(InScope, "张伟", Day1));

        Assert.Equal(1, counts.Inserted);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM assistance"));
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM source_records WHERE agency = 'civil-affairs' AND source_key LIKE 'bi:%'"));
        Assert.Equal(-1, hub.AllBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(InScope)));
    }

    [Fact]
    public void RosterRow_PersonOutsideScope_IsCountedAndLeavesNoTrace()
    {
        var counts = hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(Outsider, "李四", Day1));

        Assert.Equal(1, counts.OutOfScope);
        Assert.Equal(1, counts.Read);
        foreach (var table in new[] { "source_records WHERE agency = 'civil-affairs'", "facts WHERE agency = 'civil-affairs'", "quarantine", "identity_review", "assistance" })
        {
            Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM " + table));
        }

        var bytes = hub.AllBytes();
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Outsider)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("李四")));
    }

    [Fact]
    public void RosterRow_NameAndBirthMatchOnly_IsHeldForReview_Encrypted_WithRetention()
    {
        // Same name (dot typed differently) and birth date as the justice person, another valid ID.
        var otherId = PoliceRecords.ResidentId("440111", new DateOnly(1979, 5, 2), 998);

        var counts = hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(otherId, "阿依•买买提", Day1));

        Assert.Equal(1, counts.HeldForReview);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM identity_review WHERE reason_code = 'NAME_BIRTH_ONLY' AND purge_after IS NOT NULL AND candidate_person_id IS NOT NULL"));
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM source_records WHERE agency = 'civil-affairs'"));
        Assert.Equal(-1, hub.AllBytes().AsSpan().IndexOf(Encoding.UTF8.GetBytes(otherId)));
    }

    [Fact]
    public void RosterRow_UnusableId_IsQuarantinedMasked_WithRetention()
    {
        var counts = hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster("440104198503071231", "王五", Day1));

        Assert.Equal(1, counts.Quarantined);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM quarantine WHERE display_key = '440104********1231' AND source_key LIKE 'raw:%' AND purge_after IS NOT NULL"));
    }

    [Fact]
    public void RosterRow_BadValueAboutOutsider_IsOutOfScope_ButAboutPersonInScope_IsQuarantined()
    {
        var problem = new IntegrationHub.Adapters.MappingProblem("UNKNOWN_CODE", "保障状态 is not a known status");
        var outsider = AgencyRecords.Roster(Outsider, "李四", Day1) with { Fact = null, Problem = problem };
        var ours = AgencyRecords.Roster(InScope, "张伟", Day1) with { Fact = null, Problem = problem };

        var counts = hub.CommitFor("civil-affairs", "roster", "C1", null, outsider, ours);

        Assert.Equal((1, 1), (counts.OutOfScope, counts.Quarantined));
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM quarantine WHERE display_key = '440104********" + InScope[^4..] + "'"));
    }

    [Fact]
    public void Snapshot_NewestDay_DerivesLeaves_ResentOlderDay_CorrectsHistoryOnly()
    {
        var day1 = new SnapshotPart("MZ_JZ_20261127.csv#a", Day1.ToDateTime(TimeOnly.MinValue), IsLast: true, DefinesCurrentRoster: true);
        hub.CommitFor("civil-affairs", "roster", "C1", day1, AgencyRecords.Roster(InScope, "张伟", Day1), AgencyRecords.Roster(AlsoInScope, "阿依·买买提", Day1));

        var day2 = new SnapshotPart("MZ_JZ_20261128.csv#b", Day2.ToDateTime(TimeOnly.MinValue), IsLast: true, DefinesCurrentRoster: true);
        var second = hub.CommitFor("civil-affairs", "roster", "C2", day2, AgencyRecords.Roster(InScope, "张伟", Day2, amount: 1200m));

        Assert.Equal(1, second.Left);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM assistance"));
        Assert.Empty(hub.Views.GetPerson(hub.Views.FindPersonId(AlsoInScope)!)!.Assistance);

        var resent = new SnapshotPart("MZ_JZ_20261127.csv#c", Day1.ToDateTime(TimeOnly.MinValue), IsLast: true, DefinesCurrentRoster: false);
        var third = hub.CommitFor("civil-affairs", "roster", "C3", resent, AgencyRecords.Roster(InScope, "张伟", Day1, amount: 1150m));

        Assert.Equal(0, third.Left);
        var current = Assert.Single(hub.Views.GetPerson(hub.Views.FindPersonId(InScope)!)!.Assistance);
        Assert.Equal(1200m, ((AssistanceFact)current.Fact).MonthlyAmount);
        Assert.Equal(3, hub.Count("SELECT COUNT(*) FROM facts WHERE agency = 'civil-affairs' AND kind = 'assistance' AND person_id = (SELECT person_id FROM police_registrations)"));
    }

    [Fact]
    public void Employment_PersonInScope_IsKept_AndShownInView()
    {
        var counts = hub.CommitFor("hr", "employment", "H1", null, AgencyRecords.Employment(InScope, "张伟"), AgencyRecords.Employment(Outsider, "李四"));

        Assert.Equal((1, 1), (counts.Inserted, counts.OutOfScope));
        Assert.Equal(EmploymentStatus.RegisteredUnemployed, ((EmploymentFact)hub.Views.GetPerson(hub.Views.FindPersonId(InScope)!)!.Employment!.Fact).Status);
    }

    [Fact]
    public void DeletedCase_LeavesTheView_AndTheOnlyScopeWithIt()
    {
        hub.CommitFor("justice", "sq_jdkf_case", "J1", null, AgencyRecords.Case("AJ1", AlsoInScope, deleted: true, at: DateTimeOffset.Parse("2026-11-28T10:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture)));

        var counts = hub.CommitFor("hr", "employment", "H1", null, AgencyRecords.Employment(AlsoInScope, "阿依·买买提"));

        Assert.Null(hub.Views.GetPerson(hub.Views.FindPersonId(AlsoInScope)!));
        Assert.Equal(1, counts.OutOfScope);
    }

    public void Dispose() => hub.Dispose();
}
