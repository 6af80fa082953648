using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using static IntegrationHub.Adapters.HumanResources.Tests.HrTestAdapters;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>
/// The HR trap: paging by page number over a set ordered by gxsj that changes while it is read (a changed person
/// moves to the end). The fake service changes its data between page requests; no person may be lost, and each
/// person's latest version must arrive.
/// </summary>
public sealed class HumanResourcesAdapterShiftingPagesServerTests : IAsyncLifetime
{
    private const string Everything = "19700101000000";
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHrServer.StartAsync(_clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_FirstRowMovesToTheEndBeforeEveryPageRequestAndRowsAreInserted_LosesNoPersonAndDeliversLatestVersions()
    {
        _server.AddRange(HrPersons.Sequence(20));
        var requests = 0;
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request.Since != Everything)
            {
                return;
            }

            server.Change(server.Order()[0]);
            if (++requests % 2 == 0)
            {
                server.Insert(100 + requests);
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var records = Records(await ReadAllAsync(adapter));

        AssertEveryLatestVersionDelivered(records, _server.Snapshot());
        AssertNoVersionTwice(records);
        Assert.True(requests >= 5, "the data should have changed before every request of the first pass");
    }

    [Fact]
    public async Task ReadAsync_RowsOnPage2ShiftOntoPage1BeforePage2IsRead_AreStillDelivered()
    {
        _server.AddRange(HrPersons.Sequence(15));
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request is { Since: Everything, Page: "2" })
            {
                // Persons 1 and 2 change: persons 6 and 7, unread on page 2, shift onto page 1, which was read before.
                server.Change(HrPersons.Id(1));
                server.Change(HrPersons.Id(2));
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Contains(HrPersons.Id(6), records.Select(r => r.SourceKey));
        Assert.Contains(HrPersons.Id(7), records.Select(r => r.SourceKey));
        AssertEveryLatestVersionDelivered(records, _server.Snapshot());
    }

    [Fact]
    public async Task ReadAsync_PersonsChangedAfterTheirPageWasRead_AreDeliveredInTheirNewVersion()
    {
        _server.AddRange(HrPersons.Sequence(15));
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request is { Since: Everything, Page: "2" })
            {
                // Page 3 (persons 11-15) was read before; two of them change and move to its end.
                server.Change(HrPersons.Id(12));
                server.Change(HrPersons.Id(13));
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var records = Records(await ReadAllAsync(adapter));

        var latest12 = records.Last(r => r.SourceKey == HrPersons.Id(12));
        Assert.Equal(EmploymentStatus.FlexibleEmployment, Assert.IsType<EmploymentFact>(latest12.Fact).Status);
        AssertEveryLatestVersionDelivered(records, _server.Snapshot());
    }

    [Fact]
    public async Task ReadAsync_PersonsInsertedWhilePagesAreRead_AreDelivered()
    {
        _server.AddRange(HrPersons.Sequence(15));
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request is { Since: Everything, Page: "2" })
            {
                server.Insert(40);
                server.Insert(41);
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Contains(HrPersons.Id(40), keys);
        Assert.Contains(HrPersons.Id(41), keys);
        Assert.Equal(17, keys.Distinct().Count());
    }

    [Fact]
    public async Task ReadAsync_RowShiftsUpIntoThePageReadNext_IsDeliveredOnce()
    {
        _server.AddRange(HrPersons.Sequence(15));
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request is { Since: Everything, Page: "2" })
            {
                // Person 11, read on page 3, shifts onto page 2 and is read again.
                server.Change(HrPersons.Id(1));
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Single(records, r => r.SourceKey == HrPersons.Id(11));
        AssertNoVersionTwice(records);
        AssertEveryLatestVersionDelivered(records, _server.Snapshot());
    }

    [Fact]
    public async Task ReadAsync_ServiceClockTwoMinutesBehindOurs_FollowUpStillDeliversRowsChangedDuringThePass()
    {
        _server.AddRange(HrPersons.Sequence(15));
        _server.ClockSkew = TimeSpan.FromMinutes(-2);
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request is { Since: Everything, Page: "2" })
            {
                // Its new gxsj is 08:58:00 by the service's clock, before the pass began (09:00:00) by ours.
                server.Change(HrPersons.Id(14));
            }
        };
        var adapter = Create(_server, _clock, pageSize: 5);

        var records = Records(await ReadAllAsync(adapter));

        var passStart = _clock.Start;
        Assert.InRange(records.Last(r => r.SourceKey == HrPersons.Id(14)).AgencyTime, passStart.AddMinutes(-3), passStart.AddSeconds(-1));
        AssertEveryLatestVersionDelivered(records, _server.Snapshot());
    }

    /// <summary>
    /// The guarantee in general: random persons change and new ones appear before every request of a run, in every
    /// pass. The run delivers the latest version of every person whose record did not change after its new cursor's
    /// since; the next incremental run from that cursor delivers the rest.
    /// </summary>
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 5)]
    [InlineData(3, 3)]
    [InlineData(4, 7)]
    [InlineData(5, 4)]
    [InlineData(6, 5)]
    [InlineData(7, 2)]
    [InlineData(8, 6)]
    public async Task ReadAsync_RandomChangesBeforeEveryRequest_RunAndNextRunDeliverEveryLatestVersion(int seed, int pageSize)
    {
        var random = new Random(seed);
        _server.AddRange(HrPersons.Sequence(30));
        var nextId = 200;
        var changing = true;
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (!changing)
            {
                return;
            }

            var order = server.Order();
            for (var op = random.Next(0, 4); op > 0; op--)
            {
                if (random.Next(4) == 0)
                {
                    server.Insert(nextId++);
                }
                else
                {
                    server.Change(order[random.Next(order.Count)]);
                }
            }
        };
        var options = Options(_server, pageSize);
        options.SinceOverlap = TimeSpan.FromSeconds(1);
        var adapter = Create(options, _clock);

        var run = await ReadAllAsync(adapter);
        changing = false;
        var final = _server.Snapshot();
        var since = Since(run[^1].Cursor);
        var settledBefore = final.Where(p => string.CompareOrdinal(Gxsj(p.Value), since) < 0).ToDictionary(p => p.Key, p => p.Value);
        var next = await ReadAllAsync(adapter, run[^1].Cursor);

        var delivered = Records(run);
        AssertNoVersionTwice(delivered);
        var latest = Latest(delivered);
        Assert.All(settledBefore, p => Assert.Equal(p.Value, latest.GetValueOrDefault(p.Key)));
        AssertEveryLatestVersionDelivered([.. delivered, .. Records(next)], final);
    }

    private static Dictionary<string, string> Latest(IEnumerable<SourceRecord> records)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            latest[record.SourceKey] = Raw(record);
        }

        return latest;
    }

    /// <summary>Every person the service holds was delivered, and the last version delivered is the one it holds.</summary>
    private static void AssertEveryLatestVersionDelivered(IReadOnlyList<SourceRecord> records, IReadOnlyDictionary<string, string> final)
    {
        var latest = Latest(records);
        Assert.Equal(final.Keys.Order(StringComparer.Ordinal), latest.Keys.Order(StringComparer.Ordinal));
        Assert.All(final, p => Assert.Equal(p.Value, latest[p.Key]));
    }

    private static void AssertNoVersionTwice(IReadOnlyList<SourceRecord> records) =>
        Assert.Empty(records.GroupBy(r => (r.SourceKey, r.AgencyTime, Raw(r))).Where(g => g.Count() > 1).Select(g => g.Key.SourceKey));

    private static string Gxsj(string personXml)
    {
        var start = personXml.IndexOf("<gxsj>", StringComparison.Ordinal) + "<gxsj>".Length;
        return personXml.Substring(start, 14);
    }
}
