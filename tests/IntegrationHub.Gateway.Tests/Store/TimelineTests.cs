using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;

namespace IntegrationHub.Gateway.Tests.Store;

public sealed class TimelineTests : IDisposable
{
    private static readonly string Id = PoliceRecords.ResidentId("440104", new DateOnly(1985, 3, 7), 123);
    private readonly TestHub hub = new();

    [Fact]
    public void Timeline_ListsEveryAgencysChanges_InAgencyTimeOrder_WithFromAndTo()
    {
        var t0 = new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.FromHours(8));
        hub.Commit("R1", PoliceRecords.Create("GZ1", Id, grade: RiskGrade.Medium, at: t0));
        hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(Id, "测试甲", new DateOnly(2026, 11, 22)));
        hub.Commit("R2", PoliceRecords.Create("GZ1", Id, grade: RiskGrade.High, responsible: 5, at: t0.AddDays(5)));
        var personId = hub.Views.FindPersonId(Id)!;

        var timeline = new TimelineQueries(hub.Database, hub.Protector).Timeline(personId, "440104********1230");

        Assert.Equal(["police added", "civil-affairs added", "police changed"], timeline.Select(e => e.Agency + " " + e.Kind));
        var regrade = timeline[2].Changes.Single(c => c.Field == "Grade");
        Assert.Equal(("Medium", "High"), (regrade.From, regrade.To));
        Assert.Equal("440104********1230", timeline[1].SourceKey);
        Assert.DoesNotContain(timeline[2].Changes, c => c.Field == "Status");
    }

    public void Dispose() => hub.Dispose();
}
