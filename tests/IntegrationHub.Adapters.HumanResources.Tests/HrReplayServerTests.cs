using System.Text;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using IntegrationHub.Adapters.Testing;
using static IntegrationHub.Adapters.HumanResources.Tests.HrTestAdapters;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>
/// Replaying persons from their stored payload alone (<see cref="HumanResourcesAdapter.Remap"/>): problem persons of
/// every kind, read from the fake HR service over HTTP, map again to what the read produced, without a request; a
/// payload that is not a person element is a problem record, and a DTD in one is refused, never expanded.
/// </summary>
public sealed class HrReplayServerTests : IAsyncLifetime
{
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHrServer.StartAsync(_clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Remap_ProblemPersonsOfEveryKind_ReturnTheRecordsTheReadProduced()
    {
        var persons = HrPersons.Sequence(7);
        persons[1] = persons[1] with { Jyzt = "9" };
        persons[2] = persons[2] with { Knrd = "Y", Cbrq = "2026/03/01" };
        persons[3] = persons[3] with { Pxjl = [new("电工", "2026-05-20", null)] };
        persons[4] = persons[4] with { Aac002 = "" };
        persons[5] = persons[5] with { Ylbx = persons[5].Aac002 };
        _server.AddRange(persons);
        var adapter = Create(_server, _clock, pageSize: 3);

        var records = Records(await ReadAllAsync(adapter));
        var requests = _server.Requests.Count;

        Assert.Equal(7, records.Count);
        Assert.Equal(5, records.Count(r => r.Problem is not null));
        foreach (var record in records)
        {
            RecordAssert.Equal(record, adapter.Remap("employment", record.RawPayload, record.AgencyTime));
        }

        Assert.Equal(requests, _server.Requests.Count);
    }

    [Theory]
    [InlineData("<person><aac002>1</aac002>")]
    [InlineData("<!DOCTYPE person [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><person><aac003>&b;</aac003></person>")]
    [InlineData("<person/><person/>")]
    public void Remap_PayloadThatIsNotOnePersonElement_IsBadRecordKeyedByContent(string payload)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);

        var record = Create(_server, _clock).Remap("employment", bytes, HrPersons.BaseTime);

        Assert.Equal(new MappingProblem("BAD_RECORD", "the person element is not well-formed XML"), record.Problem);
        Assert.Equal(HrRecordMapper.KeyFromContent(bytes), record.SourceKey);
        Assert.False(record.SourceKeyIsResidentId);
        Assert.Null(record.Name);
        Assert.Equal(HrPersons.BaseTime, record.AgencyTime);
    }
}
