using System.Text;
using System.Text.Json.Nodes;
using IntegrationHub.Adapters.Police.Tests.Fakes;
using IntegrationHub.Adapters.Testing;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>
/// Replaying items from their stored payload alone (<see cref="PoliceAdapter.Remap"/>): problem items of every kind,
/// read from the fake police system over HTTP, map again to what the read produced, without a request.
/// </summary>
public sealed class PoliceReplayServerTests : IAsyncLifetime
{
    private FakePoliceServer _server = null!;

    public async Task InitializeAsync() => _server = await FakePoliceServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Remap_ProblemItemsOfEveryKind_ReturnTheRecordsTheReadProduced()
    {
        var items = PoliceItems.Sequence(8);
        items[1]["gkzt"] = "70";
        items[2]["fxdj"] = "5";
        items[2]["pgrq"] = "2026/09/30";
        ((JsonObject)items[3]["gkry"]![0]!)["js"] = "XX";
        items[4]["zjjcjg"] = "未检";
        items[5]["scbz"] = "1";
        items[6].Remove("rybh");
        var lastTime = PoliceItems.BaseTime.AddMilliseconds(7);
        items[7]["gxsj"] = "yesterday";
        _server.AddRange(items.Take(7));
        _server.Add(items[7], lastTime, PoliceItems.Rybh(8));
        _server.AddRaw("[1,2]", PoliceItems.BaseTime, "GZ2017000099");
        var adapter = PoliceTestAdapters.Create(_server);

        var records = (await PoliceTestAdapters.ReadAllAsync(adapter)).SelectMany(b => b.Records).ToList();
        var requests = _server.Requests.Count;

        Assert.Equal(9, records.Count);
        Assert.Equal(7, records.Count(r => r.Problem is not null));
        Assert.Contains(records, r => r.Withdrawn);
        foreach (var record in records)
        {
            RecordAssert.Equal(record, adapter.Remap("xdry", record.RawPayload, record.AgencyTime));
        }

        Assert.Equal(requests, _server.Requests.Count);
    }

    [Fact]
    public void Remap_BytesThatAreNotJson_IsBadRecordKeyedByContent()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"rybh\":\"GZ2017000001\",");
        var time = PoliceItems.BaseTime;

        var record = PoliceTestAdapters.Create(_server).Remap("xdry", bytes, time);

        Assert.Equal(new MappingProblem("BAD_RECORD", "the stored payload is not a JSON item"), record.Problem);
        Assert.Equal(PoliceRecordMapper.KeyFromContent(bytes), record.SourceKey);
        Assert.Equal(time, record.AgencyTime);
    }
}
