using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Store;
using IntegrationHub.Gateway.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace IntegrationHub.Gateway.Tests.Store;

public sealed class IdentityReviewTests : IDisposable
{
    private static readonly string PersonId = PoliceRecords.ResidentId("440104", new DateOnly(1985, 3, 7), 123);
    private static readonly string TypoId = PoliceRecords.ResidentId("440111", new DateOnly(1985, 3, 7), 555);
    private static readonly DateOnly Day = new(2026, 11, 28);
    private readonly TestHub hub = new();
    private readonly IdentityReviewStore reviews;

    public IdentityReviewTests()
    {
        hub.Commit("R0", PoliceRecords.Create("GZ1", PersonId, name: "张伟"));
        hub.CommitFor("civil-affairs", "roster", "C1", null, AgencyRecords.Roster(TypoId, "张伟", Day));
        reviews = new IdentityReviewStore(hub.Database, hub.Protector, hub.Pipeline, hub.Time);
    }

    [Fact]
    public void ListOpen_ShowsHeldRecord_WithCandidate_Masked()
    {
        var review = Assert.Single(reviews.ListOpen(null, 10).Page);

        Assert.Equal("440111********" + TypoId[^4..], review.MaskedResidentId);
        Assert.Equal(("张伟", "张伟"), (review.Name, review.CandidateName));
        Assert.Equal(hub.Views.FindPersonId(PersonId), review.CandidatePersonId);
    }

    [Fact]
    public void Merge_AppliesRecordToCandidate_AndTheIdMatchesFromThenOn()
    {
        var review = Assert.Single(reviews.ListOpen(null, 10).Page);

        var personId = reviews.Merge(review.ReviewId);
        var next = hub.CommitFor("civil-affairs", "roster", "C2", null, AgencyRecords.Roster(TypoId, "张伟", Day.AddDays(1), amount: 1300m));

        Assert.Equal(hub.Views.FindPersonId(PersonId), personId);
        Assert.Equal(1, next.Updated);
        Assert.Equal(1300m, ((AssistanceFact)Assert.Single(hub.Views.GetPerson(personId)!.Assistance).Fact).MonthlyAmount);
        Assert.Empty(reviews.ListOpen(null, 10).Page);
        Assert.Throws<InvalidOperationException>(() => reviews.Merge(review.ReviewId));
    }

    [Fact]
    public void Separate_ForgetsContent_AndTheIdStaysOutOfScope()
    {
        var review = Assert.Single(reviews.ListOpen(null, 10).Page);

        reviews.Separate(review.ReviewId);
        var next = hub.CommitFor("civil-affairs", "roster", "C2", null, AgencyRecords.Roster(TypoId, "张伟", Day.AddDays(1)));

        Assert.Equal(1, next.OutOfScope);
        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM identity_review WHERE resident_id_cipher IS NOT NULL OR name_cipher IS NOT NULL OR length(payload_cipher) > 0"));
        Assert.Empty(hub.Views.GetPerson(hub.Views.FindPersonId(PersonId)!)!.Assistance);
    }

    [Fact]
    public void PoliceRecord_BirthDateConflictsWithId_IsHeldNotMerged_UntilConfirmed()
    {
        var id = PoliceRecords.ResidentId("440106", new DateOnly(1990, 6, 1), 357);
        var conflicting = PoliceRecords.Create("GZ7", id, name: "李雷") with
        {
            Fact = (PoliceRecords.Create("GZ7", id).Fact as PoliceRegistrationFact)! with { BirthDate = new DateOnly(1985, 3, 7) },
        };

        var counts = hub.Commit("R7", conflicting);

        Assert.Equal(1, counts.HeldForReview);
        Assert.Null(hub.Views.FindPersonId(id));
        var review = Assert.Single(reviews.ListOpen(null, 10).Page, r => r.ReasonCode == "ID_CONFLICTS_WITH_FACTS");
        Assert.Equal("440106********" + id[^4..], review.MaskedResidentId);

        var personId = reviews.Merge(review.ReviewId);
        var resent = hub.Commit("R8", PoliceRecords.Create("GZ7", id, name: "李雷", grade: RiskGrade.High, responsible: 5) with
        {
            Fact = (PoliceRecords.Create("GZ7", id, grade: RiskGrade.High, responsible: 5).Fact as PoliceRegistrationFact)! with { BirthDate = new DateOnly(1985, 3, 7) },
        });

        Assert.Equal(personId, hub.Views.FindPersonId(id));
        Assert.Equal(1, resent.Updated);
        Assert.Equal(RiskGrade.High, hub.Views.GetPerson(personId)!.Police!.Fact.Grade);
    }

    [Fact]
    public void Retention_PurgesHeldAndQuarantinedWholeCityRows_NotPoliceQuarantine()
    {
        hub.CommitFor("civil-affairs", "roster", "C2", null, AgencyRecords.Roster("440104198503071231", "王五", Day));
        hub.Commit("R1", PoliceRecords.Create("GZ9", "440104198503071231"));
        var purger = new RetentionPurger(hub.Database, hub.Time, NullLogger<RetentionPurger>.Instance);

        Assert.Equal((0, 0), purger.PurgeExpired());
        hub.Time.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        var purged = purger.PurgeExpired();

        Assert.Equal((1, 1), purged);
        Assert.Equal(1, hub.Count("SELECT COUNT(*) FROM quarantine WHERE agency = 'police'"));
    }

    public void Dispose() => hub.Dispose();
}
