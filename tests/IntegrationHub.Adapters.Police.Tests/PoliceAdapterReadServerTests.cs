using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IntegrationHub.Adapters.Police.Tests.Fakes;
using static IntegrationHub.Adapters.Police.Tests.PoliceTestAdapters;

namespace IntegrationHub.Adapters.Police.Tests;

/// <summary>Reading the police registry over real HTTP from the fake police system: paging, cursors, traps, mapping.</summary>
public sealed class PoliceAdapterReadServerTests : IAsyncLifetime
{
    private FakePoliceServer _server = null!;

    public async Task InitializeAsync() => _server = await FakePoliceServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ReadAsync_SeveralPages_ReturnsEveryRecordInAgencyOrderOneBatchPerPage()
    {
        var items = PoliceItems.Sequence(10);
        _server.AddRange(items.AsEnumerable().Reverse());
        var adapter = Create(_server, pageSize: 4);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal([4, 4, 2], batches.Select(b => b.Records.Count));
        Assert.Equal(Enumerable.Range(1, 10).Select(PoliceItems.Rybh), Keys(batches));
        Assert.All(batches.SelectMany(b => b.Records), r => Assert.IsType<PoliceRegistrationFact>(r.Fact));
    }

    /// <summary>Regression (fuzz, issue 5): an item holding bytes that are not UTF-8 made the whole read throw InvalidOperationException.</summary>
    [Fact]
    public async Task ReadAsync_ItemWithBytesThatAreNotUtf8_IsAProblemRecordAndThePageGoesOn()
    {
        var items = PoliceItems.Sequence(3).Select(i => Encoding.UTF8.GetBytes(PoliceItems.ToJson(i))).ToList();
        var bad = Encoding.UTF8.GetString(items[1]).Replace("\"xm\":\"", "\"xm\":\"\u0001", StringComparison.Ordinal);
        items[1] = [.. Encoding.UTF8.GetBytes(bad).Select(b => b == 0x01 ? (byte)0xFF : b)];
        _server.EnqueueBody([.. "{\"code\":0,\"msg\":\""u8, 0xC3, .. "\",\"data\":{\"items\":["u8, .. items[0], (byte)',', .. items[1], (byte)',', .. items[2], .. "],\"next_cursor\":null}}"u8]);
        var adapter = Create(_server);

        var records = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).ToList();

        Assert.Equal([PoliceItems.Rybh(1), PoliceItems.Rybh(2), PoliceItems.Rybh(3)], records.Select(r => r.SourceKey));
        Assert.NotNull(records[0].Fact);
        Assert.Equal("BAD_RECORD", records[1].Problem?.Code);
        Assert.Equal(items[1], records[1].RawPayload.ToArray());
        Assert.NotNull(records[2].Fact);
    }

    [Fact]
    public async Task ReadAsync_EachBatch_CursorIsTheWatermarkOfItsLastRecord()
    {
        _server.AddRange(PoliceItems.Sequence(6, perMillisecond: 2));
        var adapter = Create(_server, pageSize: 4);

        var batches = await ReadAllAsync(adapter);

        Assert.All(batches, batch =>
        {
            using var cursor = JsonDocument.Parse(batch.Cursor);
            var last = batch.Records[^1];
            Assert.Equal(PoliceItems.FormatTime(last.AgencyTime), cursor.RootElement.GetProperty("gxsj").GetString());
            Assert.Equal(last.SourceKey, cursor.RootElement.GetProperty("rybh").GetString());
        });
        Assert.Equal(
            """{"gxsj":"2026-11-28T09:15:02.433+08:00","rybh":"GZ2017000006"}""",
            batches[^1].Cursor);
    }

    [Fact]
    public async Task ReadAsync_Requests_CarryTokenHeaderEncodedGxsjFromPageSizeAndAgencyCursor()
    {
        _server.AddRange(PoliceItems.Sequence(5));
        var adapter = Create(_server, pageSize: 2);

        await ReadAllAsync(adapter);

        var requests = _server.Requests.ToArray();
        Assert.Equal(3, requests.Length);
        Assert.All(requests, r => Assert.Equal("test-token", r.Token));
        Assert.All(requests, r => Assert.Equal("1970-01-01T00:00:00.000+08:00", r.GxsjFrom));
        Assert.All(requests, r => Assert.Equal("2", r.PageSize));
        Assert.Contains("gxsj_from=1970-01-01T00%3A00%3A00.000%2B08%3A00", requests[0].RawQuery, StringComparison.Ordinal);
        Assert.Null(requests[0].Cursor);
        Assert.NotNull(requests[1].Cursor);
        Assert.NotEqual(requests[1].Cursor, requests[2].Cursor);
    }

    [Fact]
    public async Task ReadAsync_SharedMillisecondGroupSplitAcrossPages_ReturnsEachRecordOnce()
    {
        // Nine records in one millisecond, read four at a time: the group spans three pages.
        var items = PoliceItems.Sequence(9, perMillisecond: 9).Concat(PoliceItems.Sequence(3, start: PoliceItems.BaseTime.AddSeconds(1)).Select(Renumber(100)));
        _server.AddRange(items);
        var adapter = Create(_server, pageSize: 4);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(12, keys.Count);
        Assert.Equal(keys.Distinct().Count(), keys.Count);
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    [Fact]
    public async Task ReadAsync_ResumeFromMidGroupBatchCursor_ReturnsTheRemainderExactlyOnce()
    {
        // Six records share a millisecond; the first batch of four ends inside that group.
        _server.AddRange(PoliceItems.Sequence(6, perMillisecond: 6));
        _server.AddRange(PoliceItems.Sequence(2, start: PoliceItems.BaseTime.AddMilliseconds(5)).Select(Renumber(50)));
        var adapter = Create(_server, pageSize: 4);
        var firstRun = await ReadAllAsync(adapter);
        var midGroupCursor = firstRun[0].Cursor;
        Assert.Contains(PoliceItems.Rybh(4), midGroupCursor, StringComparison.Ordinal);

        var resumed = Keys(await ReadAllAsync(adapter, midGroupCursor));

        Assert.Equal([PoliceItems.Rybh(5), PoliceItems.Rybh(6), PoliceItems.Rybh(51), PoliceItems.Rybh(52)], resumed);
        Assert.Equal("2026-11-28T09:15:02.431+08:00", _server.Requests.Last(r => r.Cursor is null).GxsjFrom);
    }

    [Fact]
    public async Task ReadAsync_ResumeFromPersistedMidGroupWatermark_ReturnsRecordsAfterItOnly()
    {
        _server.AddRange(PoliceItems.Sequence(7, perMillisecond: 7));
        var adapter = Create(_server, pageSize: 2);
        const string persisted = """{"gxsj":"2026-11-28T09:15:02.431+08:00","rybh":"GZ2017000003"}""";

        var resumed = Keys(await ReadAllAsync(adapter, persisted));

        Assert.Equal(Enumerable.Range(4, 4).Select(PoliceItems.Rybh), resumed);
    }

    [Fact]
    public async Task ReadAsync_ResumeAfterNewAndUpdatedRecords_ReturnsOnlyThoseOnce()
    {
        _server.AddRange(PoliceItems.Sequence(5, perMillisecond: 5));
        var adapter = Create(_server, pageSize: 3);
        var lastCursor = (await ReadAllAsync(adapter))[^1].Cursor;

        // A late record in the same millisecond sorting after the watermark, and an update of an old record.
        _server.Add(PoliceItems.Item(PoliceItems.Rybh(9), PoliceItems.BaseTime));
        var updated = PoliceItems.Item(PoliceItems.Rybh(2), PoliceItems.BaseTime.AddMinutes(1));
        updated["gkzt"] = "20";
        _server.Update(updated);
        var resumed = (await ReadAllAsync(adapter, lastCursor)).SelectMany(b => b.Records).ToList();

        Assert.Equal([PoliceItems.Rybh(9), PoliceItems.Rybh(2)], resumed.Select(r => r.SourceKey));
        Assert.Equal(ControlStatus.CompulsoryIsolation, Assert.IsType<PoliceRegistrationFact>(resumed[1].Fact).Status);
    }

    [Fact]
    public async Task ReadAsync_CursorExpiresMidRead_ReturnsEveryRecordExactlyOnceInOrder()
    {
        _server.AddRange(PoliceItems.Sequence(14, perMillisecond: 3));
        _server.ExpireCursor = n => n == 2;
        var adapter = Create(_server, pageSize: 4);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal(Enumerable.Range(1, 14).Select(PoliceItems.Rybh), Keys(batches));
        var restart = _server.Requests.Where(r => r.Cursor is null).Skip(1).Single();

        // Page two ended at record 8 (millisecond .433): the restart asks from there, without a cursor.
        Assert.Equal("2026-11-28T09:15:02.433+08:00", restart.GxsjFrom);
    }

    [Fact]
    public async Task ReadAsync_CursorExpiresOnEverySecondPage_StillReturnsEveryRecordExactlyOnce()
    {
        _server.AddRange(PoliceItems.Sequence(20, perMillisecond: 4));
        _server.ExpireCursor = n => n % 2 == 0;
        var adapter = Create(_server, pageSize: 3);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(Enumerable.Range(1, 20).Select(PoliceItems.Rybh), keys);
    }

    [Fact]
    public async Task ReadAsync_CursorExpiresWithoutProgress_ThrowsTransientAfterBoundedRestarts()
    {
        // Six records in one millisecond, two per page: after a restart the first page is all old records,
        // and the cursor that would lead past them always expires.
        _server.AddRange(PoliceItems.Sequence(6, perMillisecond: 6));
        _server.ExpireCursor = _ => true;
        var adapter = Create(_server, pageSize: 2);
        var batches = new List<SourceBatch>();

        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var batch in adapter.ReadAsync("xdry", null, CancellationToken.None))
            {
                batches.Add(batch);
            }
        });

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("40001", error.Message, StringComparison.Ordinal);
        Assert.Equal([PoliceItems.Rybh(1), PoliceItems.Rybh(2)], Keys(batches));
        Assert.Equal(1 + PoliceAdapter.MaxRestartsWithoutProgress, _server.Requests.Count(r => r.Cursor is null));
    }

    [Fact]
    public async Task ReadAsync_ItemSortingBeforeRecordsAlreadyReadInThePass_IsStillHandedOverWithoutMovingTheWatermarkBack()
    {
        // A late commit: the agency lists it among newer records although its (gxsj, rybh) sorts before them.
        _server.AddRange(PoliceItems.Sequence(6));
        var late = PoliceItems.Item("GZ2017000000", PoliceItems.BaseTime, seed: 99);
        _server.Add(late, PoliceItems.BaseTime.AddMilliseconds(3), PoliceItems.Rybh(4) + "a");
        var adapter = Create(_server, pageSize: 3);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal(
            [PoliceItems.Rybh(1), PoliceItems.Rybh(2), PoliceItems.Rybh(3), PoliceItems.Rybh(4), "GZ2017000000", PoliceItems.Rybh(5), PoliceItems.Rybh(6)],
            Keys(batches));
        Assert.Contains(PoliceItems.Rybh(5), batches[1].Cursor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ServerPagesSmallerThanAsked_ReadsEverything()
    {
        _server.AddRange(PoliceItems.Sequence(10, perMillisecond: 2));
        _server.MaxPageSize = 3;
        var adapter = Create(_server, pageSize: 1000);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal(Enumerable.Range(1, 10).Select(PoliceItems.Rybh), Keys(batches));
        Assert.Equal(4, batches.Count);
    }

    [Fact]
    public async Task ReadAsync_WithdrawnRecord_IsMarkedWithdrawnAndStillMapped()
    {
        var items = PoliceItems.Sequence(3);
        items[1]["scbz"] = "1";
        _server.AddRange(items);
        var adapter = Create(_server);

        var records = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).ToList();

        Assert.Equal([false, true, false], records.Select(r => r.Withdrawn));
        Assert.IsType<PoliceRegistrationFact>(records[1].Fact);
        Assert.Null(records[1].Problem);
    }

    [Fact]
    public async Task ReadAsync_RawPayload_IsTheItemsExactJsonBytes()
    {
        // Unusual spacing and escapes: a re-serialisation would not reproduce them.
        var item = PoliceItems.Item("GZ2017000001", PoliceItems.BaseTime);
        item["xm"] = "\u5f20\u4f1f";
        var raw = PoliceItems.ToJson(item).Replace("{\"rybh\":", "{ \"rybh\" :  ", StringComparison.Ordinal)
            .Replace("\"jzjd\":\"江南中街道\"", "\"jzjd\":\"\\u6c5f\\u5357\\u4e2d\\u8857\\u9053\"", StringComparison.Ordinal);
        _server.AddRaw(raw, PoliceItems.BaseTime, "GZ2017000001");
        _server.Add(PoliceItems.Item("GZ2017000002", PoliceItems.BaseTime, seed: 2));
        var adapter = Create(_server);

        var records = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).ToList();

        Assert.Equal(Encoding.UTF8.GetBytes(raw), records[0].RawPayload.ToArray());
        Assert.Equal(Encoding.UTF8.GetBytes(PoliceItems.ToJson(PoliceItems.Item("GZ2017000002", PoliceItems.BaseTime, seed: 2))), records[1].RawPayload.ToArray());
        Assert.Equal("江南中街道", Assert.IsType<PoliceRegistrationFact>(records[0].Fact).ResidenceStreet);
    }

    [Fact]
    public async Task ReadAsync_PageWithProblemItems_MapsTheOthersAndKeepsPersonalDataOutOfMessages()
    {
        var items = PoliceItems.Sequence(6);
        items[1]["gkzt"] = "99";
        items[3]["csrq"] = "19851345";
        items[4].Remove("rybh");
        _server.AddRange(items.Where((_, i) => i != 4));
        _server.Add(items[4], PoliceItems.BaseTime.AddMilliseconds(4), sortRybh: "");
        var adapter = Create(_server, pageSize: 10);

        var records = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).ToList();

        Assert.Equal(6, records.Count);
        var byProblem = records.Where(r => r.Problem is not null).ToDictionary(r => r.Problem!.Code, StringComparer.Ordinal);
        Assert.Equal(["BAD_DATE", "MISSING_FIELD", "UNKNOWN_CODE"], byProblem.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("gkzt", byProblem["UNKNOWN_CODE"].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("\"99\"", byProblem["UNKNOWN_CODE"].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("csrq", byProblem["BAD_DATE"].Problem!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("19851345", byProblem["BAD_DATE"].Problem!.Message, StringComparison.Ordinal);
        Assert.StartsWith("no-rybh:", byProblem["MISSING_FIELD"].SourceKey, StringComparison.Ordinal);
        foreach (var (record, index) in records.Select((r, i) => (r, i)))
        {
            var item = items.Single(i => PoliceItems.ToJson(i) == Encoding.UTF8.GetString(record.RawPayload.Span));
            var message = record.Problem?.Message ?? "";
            Assert.DoesNotContain(item["sfzh"]!.GetValue<string>(), message, StringComparison.Ordinal);
            Assert.DoesNotContain(item["xm"]!.GetValue<string>(), message, StringComparison.Ordinal);
            Assert.True(record.Problem is null == record.Fact is not null, $"record {index}: exactly one of Fact and Problem");
        }

        Assert.Equal(3, records.Count(r => r.Fact is not null));
    }

    [Fact]
    public async Task ReadAsync_DirtyResidentIds_PassThroughUnchanged()
    {
        var dirty = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "resident-ids.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t')[0])
            .ToList();
        Assert.True(dirty.Count > 10, "the conformance vectors should be copied next to the tests");
        var items = PoliceItems.Sequence(dirty.Count);
        for (var i = 0; i < items.Count; i++)
        {
            items[i]["sfzh"] = dirty[i];
        }

        _server.AddRange(items);
        var adapter = Create(_server, pageSize: 7);

        var records = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).ToList();

        Assert.Equal(dirty, records.Select(r => r.ResidentId));
        Assert.All(records, r => Assert.Null(r.Problem));
    }

    [Fact]
    public async Task ReadAsync_UnparseableGxsj_IsBadDateProblemAndNeitherMovesWatermarkNorStopsPaging()
    {
        var items = PoliceItems.Sequence(5);
        items[1]["gxsj"] = "2026/11/28 09:15:02";
        _server.AddRange(items.Where((_, i) => i != 1));
        _server.Add(items[1], PoliceItems.BaseTime.AddMilliseconds(1), PoliceItems.Rybh(2));
        var adapter = Create(_server, pageSize: 2);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal(Enumerable.Range(1, 5).Select(PoliceItems.Rybh), Keys(batches));
        var bad = batches[0].Records[1];
        Assert.Equal("BAD_DATE", bad.Problem?.Code);
        Assert.Contains("gxsj", bad.Problem!.Message, StringComparison.Ordinal);
        Assert.Equal(PoliceItems.BaseTime, bad.AgencyTime);

        // The first page ends on the bad record: its cursor stays at the last good one.
        Assert.Equal("""{"gxsj":"2026-11-28T09:15:02.431+08:00","rybh":"GZ2017000001"}""", batches[0].Cursor);
    }

    [Fact]
    public async Task ReadAsync_ItemWithoutRybh_GetsTheSameHashKeyOnEveryRead()
    {
        var item = PoliceItems.Item("x", PoliceItems.BaseTime);
        item.Remove("rybh");
        _server.Add(item, PoliceItems.BaseTime, "");
        _server.Add(PoliceItems.Item(PoliceItems.Rybh(1), PoliceItems.BaseTime.AddMilliseconds(1)));
        var adapter = Create(_server);

        var first = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).First();
        var second = (await ReadAllAsync(adapter)).SelectMany(b => b.Records).First();

        Assert.Equal("MISSING_FIELD", first.Problem?.Code);
        Assert.Matches("^no-rybh:[0-9a-f]{64}$", first.SourceKey);
        Assert.Equal(first.SourceKey, second.SourceKey);
    }

    [Fact]
    public async Task ReadAsync_BaseUrlWithPathAndNoTrailingSlash_RequestsInsideThatPath()
    {
        _server.AddRange(PoliceItems.Sequence(2));
        var options = Options(_server);
        options.BaseUrl = new Uri(_server.BaseUrl, "police");
        var adapter = Create(options);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(2, keys.Count);
        Assert.Equal("/police/api/v2/xdry", _server.Requests.Single().Path);
    }

    [Fact]
    public void ReadAsync_UnknownDataset_ThrowsArgumentException()
    {
        var adapter = Create(_server);

        Assert.Throws<ArgumentException>(() => adapter.ReadAsync("cases", null, CancellationToken.None));
    }

    [Theory]
    [InlineData("eyJnIjoiMjAyNi0xMS0yOFQwOToxNTowMi40MzErMDg6MDAiLCJyIjoiR1oyMDE3MDAwMTIzIn0=")]
    [InlineData("""{"gxsj":"2026-11-28 09:15:02","rybh":"GZ2017000001"}""")]
    [InlineData("""{"rybh":"GZ2017000001"}""")]
    public void ReadAsync_CursorNotAWatermark_ThrowsSystem(string cursor)
    {
        var adapter = Create(_server);

        var error = Assert.Throws<AdapterException>(() => adapter.ReadAsync("xdry", cursor, CancellationToken.None));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ReadAsync_WithRetriesRestartsAndProblems_LogsNoResidentIdOrName()
    {
        var items = PoliceItems.Sequence(9, perMillisecond: 3);
        items[2]["gkzt"] = "99";
        items[5]["xb"] = "7";
        _server.AddRange(items);
        _server.EnqueueStatus(System.Net.HttpStatusCode.ServiceUnavailable);
        _server.ExpireCursor = n => n == 1;
        var logger = new CapturingLogger<PoliceAdapter>();
        var adapter = Create(_server, pageSize: 4, logger: logger);

        var keys = Keys(await ReadAllAsync(adapter));

        Assert.Equal(9, keys.Count);
        Assert.Contains(logger.Lines, l => l.Contains("retrying", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Contains("40001", StringComparison.Ordinal));
        foreach (var item in items)
        {
            var secrets = new[] { item["sfzh"]!.GetValue<string>(), item["xm"]!.GetValue<string>() }
                .Concat(item["gkry"]!.AsArray().Select(p => p!["xm"]!.GetValue<string>()));
            Assert.All(secrets, secret => Assert.DoesNotContain(logger.Lines, l => l.Contains(secret, StringComparison.Ordinal)));
        }
    }

    private static Func<JsonObject, JsonObject> Renumber(int offset) => item =>
    {
        var n = int.Parse(item["rybh"]!.GetValue<string>()[6..], System.Globalization.CultureInfo.InvariantCulture);
        item["rybh"] = PoliceItems.Rybh(n + offset);
        return item;
    };
}
