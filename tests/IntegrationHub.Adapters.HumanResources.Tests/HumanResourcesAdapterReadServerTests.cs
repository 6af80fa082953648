using IntegrationHub.Adapters.Testing;
using IntegrationHub.Adapters.HumanResources.Tests.Fakes;
using static IntegrationHub.Adapters.HumanResources.Tests.HrTestAdapters;

namespace IntegrationHub.Adapters.HumanResources.Tests;

/// <summary>Reading employment records over real HTTP from the fake HR service: paging, cursors, incremental and full runs, mapping.</summary>
public sealed class HumanResourcesAdapterReadServerTests : IAsyncLifetime
{
    private readonly VirtualTimeProvider _clock = new();
    private FakeHrServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeHrServer.StartAsync(_clock);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Identity_AgencyAndDataset_AreHrAndEmployment()
    {
        var adapter = Create(_server, _clock);

        Assert.Equal("hr", adapter.Agency);
        Assert.Equal(["employment"], adapter.Datasets);
    }

    [Fact]
    public async Task ReadAsync_SeveralPages_DeliversEveryRecordExactlyOnce()
    {
        _server.AddRange(HrPersons.Sequence(23));
        var adapter = Create(_server, _clock, pageSize: 5);

        var batches = await ReadAllAsync(adapter);

        var keys = Keys(batches);
        Assert.Equal(HrPersons.Sequence(23).Select(p => p.Aac002).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.True(batches.Count > 1, "several pages should make several batches");
        Assert.All(batches, b => Assert.NotEmpty(b.Records));
        Assert.All(Records(batches), r =>
        {
            Assert.Equal("employment", r.Dataset);
            Assert.True(r.SourceKeyIsResidentId);
            Assert.Equal(r.SourceKey, r.ResidentId);
            Assert.IsType<EmploymentFact>(r.Fact);
            Assert.Null(r.Problem);
        });
    }

    [Fact]
    public async Task ReadAsync_MultiPageSet_ReadsPage1ThenTheLastPageDownTo2ThenPage1AgainThenFollowsUp()
    {
        _server.AddRange(HrPersons.Sequence(12));
        var adapter = Create(_server, _clock, pageSize: 5);

        await ReadAllAsync(adapter);

        var requests = _server.PageRequests;
        Assert.Equal(["1", "3", "2", "1", "1"], requests.Select(r => r.Page));
        Assert.All(requests.Take(4), r => Assert.Equal("19700101000000", r.Since));

        // The follow-up pass asks from the first pass's start (09:00:00) less SinceOverlap (5 minutes).
        Assert.Equal("20261128085500", requests[4].Since);
        Assert.All(requests, r => Assert.Equal("5", r.Size));
        Assert.Single(_server.TokenRequests);
    }

    [Fact]
    public async Task ReadAsync_SetFitsOnePage_ReadsItWithOneRequestAndNoFollowUp()
    {
        _server.AddRange(HrPersons.Sequence(5));
        var adapter = Create(_server, _clock, pageSize: 5);

        var batches = await ReadAllAsync(adapter);

        var request = Assert.Single(_server.PageRequests);
        Assert.Equal("1", request.Page);
        Assert.Equal(5, Keys(batches).Count);
    }

    [Fact]
    public async Task ReadAsync_NullCursor_AsksSince1970()
    {
        _server.AddRange(HrPersons.Sequence(3));
        var adapter = Create(_server, _clock);

        await ReadAllAsync(adapter, cursor: null);

        Assert.Equal("19700101000000", _server.PageRequests[0].Since);
    }

    [Fact]
    public async Task ReadAsync_IncrementalCursor_AsksSinceTheCursorsTimeAndDeliversOnlyLaterChanges()
    {
        _server.AddRange(HrPersons.Sequence(10));
        var adapter = Create(_server, _clock);
        var cursor = $$"""{"since":"{{HrPersons.Format(HrPersons.BaseTime.AddMinutes(7))}}"}""";

        var keys = Keys(await ReadAllAsync(adapter, cursor));

        Assert.Equal("20261121090700", _server.PageRequests[0].Since);
        Assert.Equal([HrPersons.Id(7), HrPersons.Id(8), HrPersons.Id(9), HrPersons.Id(10)], keys);
    }

    [Fact]
    public async Task ReadAsync_FullReRead_Asks1970WhateverTheCursorAndStillLeavesACursor()
    {
        _server.AddRange(HrPersons.Sequence(10));
        var options = Options(_server);
        options.FullReRead = true;
        var adapter = Create(options, _clock);

        var batches = await ReadAllAsync(adapter, """{"since":"20261128080000"}""");

        Assert.Equal("19700101000000", _server.PageRequests[0].Since);
        Assert.Equal(10, Keys(batches).Count);
        Assert.Equal("20261128085500", Since(batches[^1].Cursor));
    }

    [Fact]
    public async Task ReadAsync_EveryBatchButTheLast_CarriesThePreviousRunsSinceAndTheLastTheNewOne()
    {
        _server.AddRange(HrPersons.Sequence(12));
        var adapter = Create(_server, _clock, pageSize: 5);
        const string previous = """{"since":"20261120000000"}""";

        var batches = await ReadAllAsync(adapter, previous);

        Assert.Equal([5, 2, 5], batches.Select(b => b.Records.Count));
        Assert.All(batches.SkipLast(1), b => Assert.Equal(previous, b.Cursor));

        // The last pass (the follow-up) began at 09:00:01, after four paced requests; less five minutes.
        Assert.Equal("""{"since":"20261128085501"}""", batches[^1].Cursor);
    }

    [Fact]
    public async Task ReadAsync_NothingChanged_YieldsOneEmptyBatchWithTheNewSince()
    {
        _server.AddRange(HrPersons.Sequence(3));
        var adapter = Create(_server, _clock);

        var batches = await ReadAllAsync(adapter, """{"since":"20261128080000"}""");

        var batch = Assert.Single(batches);
        Assert.Empty(batch.Records);
        Assert.Equal("""{"since":"20261128085500"}""", batch.Cursor);
        Assert.Single(_server.PageRequests);
    }

    [Fact]
    public async Task ReadAsync_RunDiesAfterItsFirstBatch_ResumeFromThatCursorDeliversEverything()
    {
        _server.AddRange(HrPersons.Sequence(17));
        var adapter = Create(_server, _clock, pageSize: 5);
        const string previous = """{"since":"20261101000000"}""";
        var delivered = new List<string>();
        string? committed = null;

        await foreach (var batch in adapter.ReadAsync("employment", previous, CancellationToken.None))
        {
            delivered.AddRange(batch.Records.Select(r => r.SourceKey));
            committed = batch.Cursor;
            break;
        }

        // Between the crash and the resume, two persons change: one already delivered, one not yet.
        _clock.Advance(TimeSpan.FromMinutes(30));
        _server.Change(delivered[0]);
        _server.Change(HrPersons.Id(9));
        var resumed = await ReadAllAsync(adapter, committed);

        Assert.Equal(previous, committed);
        Assert.Equal(
            HrPersons.Sequence(17).Select(p => p.Aac002!).Order(StringComparer.Ordinal),
            delivered.Concat(Keys(resumed)).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_ChangesAfterARun_TheNextIncrementalRunDeliversThemAndNothingOlder()
    {
        _server.AddRange(HrPersons.Sequence(12));
        var adapter = Create(_server, _clock);
        var first = await ReadAllAsync(adapter);

        _clock.Advance(TimeSpan.FromMinutes(15));
        var changed = _server.Change(HrPersons.Id(4));
        var inserted = _server.Insert(50);
        var second = await ReadAllAsync(adapter, first[^1].Cursor);

        var records = Records(second);
        Assert.Equal([HrPersons.Id(4), HrPersons.Id(50)], records.Select(r => r.SourceKey));
        Assert.Equal(changed.ToXml(), Raw(records[0]));
        Assert.Equal(inserted.ToXml(), Raw(records[1]));
        Assert.Equal(EmploymentStatus.FlexibleEmployment, Assert.IsType<EmploymentFact>(records[0].Fact).Status);
    }

    [Fact]
    public async Task ReadAsync_RawPayload_IsThePersonElementsOuterXmlInUtf8()
    {
        var persons = HrPersons.Sequence(3);
        _server.AddRange(persons);
        var adapter = Create(_server, _clock);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(persons.Select(p => p.ToXml()), records.Select(Raw));
    }

    [Fact]
    public async Task ReadAsync_PersonsWithMappingProblems_AreProblemRecordsAndTheOthersGoOn()
    {
        var persons = HrPersons.Sequence(6);
        persons[1] = persons[1] with { Jyzt = "9" };
        persons[2] = persons[2] with { Jyrq = "2026-02-30" };
        persons[3] = persons[3] with { Knrd = null };
        _server.AddRange(persons.Take(4));
        var person5 = persons[4] with { Aac002 = null };
        _server.AddRaw("no-id", person5.ToXml(), HrPersons.Parse(person5.Gxsj!));
        _server.AddRaw("nested", persons[5].ToXml().Replace("<aac003>", "<aac003><b>x</b>", StringComparison.Ordinal), HrPersons.BaseTime.AddMinutes(6));
        var adapter = Create(_server, _clock, pageSize: 10);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(6, records.Count);
        Assert.Equal(
            [null, "UNKNOWN_CODE", "BAD_DATE", "MISSING_FIELD", "MISSING_FIELD", "BAD_RECORD"],
            records.Select(r => r.Problem?.Code));
        Assert.IsType<EmploymentFact>(records[0].Fact);
        Assert.Contains("jyzt", records[1].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("jyrq", records[2].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("knrd", records[3].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("aac002", records[4].Problem!.Message, StringComparison.Ordinal);
        Assert.StartsWith("no-aac002:", records[4].SourceKey, StringComparison.Ordinal);
        Assert.False(records[4].SourceKeyIsResidentId);
        Assert.Contains("aac003", records[5].Problem!.Message, StringComparison.Ordinal);
        for (var i = 1; i <= 6; i++)
        {
            Assert.All(records, r => Assert.DoesNotContain(HrPersons.Id(i), r.Problem?.Message ?? "", StringComparison.Ordinal));
            Assert.All(records, r => Assert.DoesNotContain(HrPersons.Name(i), r.Problem?.Message ?? "", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ReadAsync_BaseUrlWithPathAndNoTrailingSlash_RequestsInsideThatPath()
    {
        _server.AddRange(HrPersons.Sequence(2));
        var options = Options(_server);
        options.BaseUrl = new Uri(_server.BaseUrl, "hr");
        var adapter = Create(options, _clock);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(2, keys.Count);
        Assert.Equal("/hr/hrss/token", _server.TokenRequests.Single().Path);
        Assert.Equal("/hr/hrss/employment", _server.PageRequests.Single().Path);
    }

    [Fact]
    public async Task ReadAsync_WithChangesProblemsAndRetries_LogsNoResidentIdNameSecretOrToken()
    {
        var persons = HrPersons.Sequence(12);
        persons[2] = persons[2] with { Jyzt = "7" };
        _server.AddRange(persons);
        _server.EnqueuePageStatus(System.Net.HttpStatusCode.ServiceUnavailable);
        var changedOnce = false;
        _server.BeforeEmploymentPage = (server, request) =>
        {
            if (request.Page == "2" && !changedOnce)
            {
                changedOnce = true;
                server.Change(HrPersons.Id(1));
                server.RevokeTokens();
            }
        };
        var logger = new CapturingLogger<HumanResourcesAdapter>();
        var adapter = Create(_server, _clock, logger: logger);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Distinct().Count());
        Assert.Contains(logger.Lines, l => l.Contains("retrying", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("401", StringComparison.Ordinal));
        var secrets = persons.SelectMany(p => new[] { p.Aac002!, p.Aac003! })
            .Append(FakeHrServer.ClientSecret)
            .Concat(_server.Requests.Select(r => r.Token).OfType<string>().Where(t => t.Length > 0));
        Assert.All(secrets, secret => Assert.DoesNotContain(logger.Lines, l => l.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public void ReadAsync_UnknownDataset_ThrowsArgumentException()
    {
        var adapter = Create(_server, _clock);

        Assert.Throws<ArgumentException>(() => adapter.ReadAsync("xdry", null, CancellationToken.None));
    }

    [Theory]
    [InlineData("20261128085500")]
    [InlineData("""{"since":"2026-11-28 08:55:00"}""")]
    [InlineData("""{"since":"20261399085500"}""")]
    [InlineData("""{"gxsj":"20261128085500"}""")]
    public void ReadAsync_CursorNotWrittenByThisAdapter_ThrowsSystem(string cursor)
    {
        var adapter = Create(_server, _clock);

        var error = Assert.Throws<AdapterException>(() => adapter.ReadAsync("employment", cursor, CancellationToken.None));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task CheckAsync_Healthy_ObtainsATokenAndReadsPage1WithSize1()
    {
        _server.AddRange(HrPersons.Sequence(3));
        var adapter = Create(_server, _clock);

        await adapter.CheckAsync(CancellationToken.None);

        Assert.Single(_server.TokenRequests);
        var request = Assert.Single(_server.PageRequests);
        Assert.Equal(("1", "1"), (request.Page, request.Size));
        Assert.Equal("20261128090000", request.Since);
        Assert.Equal("token-1", request.Token);
    }
}
