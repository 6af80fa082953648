using IntegrationHub.Adapters.Justice.Tests.Support;
using static IntegrationHub.Adapters.Justice.Tests.Support.JusticeTestAdapters;

namespace IntegrationHub.Adapters.Justice.Tests;

/// <summary>
/// Reading the exchange table: paging, the cursor, the look-back window, the traps of AGENCY-INTERFACES.md
/// section 2, and mapping. Every test runs against SQLite and against PostgreSQL (the derived classes).
/// </summary>
public abstract class JusticeAdapterReadTests : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => Database = await CreateDatabaseAsync();

    public async Task DisposeAsync() => await Database.DisposeAsync();

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    [Fact]
    public async Task CheckAsync_TableWithEveryColumn_Succeeds()
    {
        var adapter = Create(Database);

        await adapter.CheckAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ReadAsync_EmptyTable_ReturnsNoBatch()
    {
        var adapter = Create(Database);

        Assert.Empty(await ReadAllAsync(adapter));
    }

    [Fact]
    public async Task ReadAsync_SeveralPages_ReturnsEveryRowInUpdateTimeThenAjbhOrderOneBatchPerPage()
    {
        var rows = CaseRows.Sequence(10, perSecond: 2);
        await Database.InsertAsync(rows.AsEnumerable().Reverse());
        var adapter = Create(Database, pageSize: 4);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal([4, 4, 2], batches.Select(b => b.Records.Count));
        Assert.Equal(CaseRows.InTableOrder(rows), Keys(batches));
        Assert.All(Records(batches), r => Assert.IsType<RehabCaseFact>(r.Fact));
    }

    [Fact]
    public async Task ReadAsync_EachBatch_CursorIsTheWatermarkOfItsLastRow()
    {
        await Database.InsertAsync(CaseRows.Sequence(6, perSecond: 2));
        var adapter = Create(Database, pageSize: 4);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal(
            ["""{"t":"2026-11-28 09:15:03","k":"AJ0000000004"}""", """{"t":"2026-11-28 09:15:04","k":"AJ0000000006"}"""],
            batches.Select(b => b.Cursor));
    }

    [Fact]
    public async Task ReadAsync_FiveThousandRowsInOneSecond_ReturnsEachRowOnceAcrossPages()
    {
        // Trap: update_time has second precision and thousands of rows share one second. Pages of 700 end inside it.
        var rows = CaseRows.Sequence(5000, perSecond: 5000).Concat(CaseRows.Sequence(3, first: 5001, startSeconds: 1)).ToList();
        await Database.InsertAsync(rows);
        var adapter = Create(Database, pageSize: 700);

        var batches = await ReadAllAsync(adapter);

        Assert.Equal(8, batches.Count);
        Assert.Equal(CaseRows.InTableOrder(rows), Keys(batches));
    }

    [Fact]
    public async Task ReadAsync_ResumeFromMidSecondCursor_EveryRowExactlyOnceAfterDeduplicationByContent()
    {
        var rows = CaseRows.Sequence(5000, perSecond: 5000).Concat(CaseRows.Sequence(3, first: 5001, startSeconds: 1)).ToList();
        await Database.InsertAsync(rows);
        var logger = new CapturingLogger<JusticeAdapter>();
        var adapter = Create(Database, pageSize: 700, logger: logger);

        // A first run commits three batches and dies: its cursor lies inside the shared second.
        var firstRun = new List<SourceBatch>();
        await foreach (var batch in adapter.ReadAsync(Dataset, null, CancellationToken.None))
        {
            firstRun.Add(batch);
            if (firstRun.Count == 3)
            {
                break;
            }
        }

        Assert.Equal("""{"t":"2026-11-28 09:15:02","k":"AJ0000002100"}""", firstRun[^1].Cursor);

        var resumed = Records(await ReadAllAsync(adapter, firstRun[^1].Cursor));

        var kept = Deduplicated(Records(firstRun).Concat(resumed));
        Assert.Equal(rows.Count, kept.Count);
        Assert.Equal(rows.Select(r => r.Ajbh).Order(StringComparer.Ordinal), kept.Select(k => k.Key).Order(StringComparer.Ordinal));

        // The look-back window re-read the whole shared second, and the log says so.
        Assert.Equal(rows.Count, resumed.Count);
        Assert.Contains(logger.Lines, l => l.Contains("2100 of them re-read inside the 90 s look-back window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_RowCommitted45SecondsLate_IsDeliveredByTheNextRead()
    {
        // Trap: a row is committed up to 60 s after the update_time it carries, i.e. after rows with a later time.
        await Database.InsertAsync(CaseRows.Sequence(6, secondsApart: 10));
        var adapter = Create(Database);
        var cursor = (await ReadAllAsync(adapter))[^1].Cursor;
        Assert.Equal("2026-11-28 09:15:52", Cursor(cursor).Time);

        await Database.InsertAsync(CaseRows.Row(100, secondsAfterBase: 50 - 45));
        var next = Records(await ReadAllAsync(adapter, cursor));

        var late = Assert.Single(next, r => r.SourceKey == CaseRows.Ajbh(100));
        Assert.IsType<RehabCaseFact>(late.Fact);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 9, 15, 7, TimeSpan.FromHours(8)), late.AgencyTime);
    }

    [Fact]
    public async Task ReadAsync_RowCommitted120SecondsLate_IsMissedByTheNextReadAndFoundFromTheBeginning()
    {
        // The limit of the look-back window (90 s by default): a row committed later than that behind the watermark is
        // only found by a read from the beginning (resetting the job's cursor).
        await Database.InsertAsync(CaseRows.Sequence(3, secondsApart: 100));
        var adapter = Create(Database);
        var cursor = (await ReadAllAsync(adapter))[^1].Cursor;

        await Database.InsertAsync(CaseRows.Row(100, secondsAfterBase: 200 - 120));
        var next = Keys(await ReadAllAsync(adapter, cursor));
        var fromBeginning = Keys(await ReadAllAsync(adapter));

        Assert.DoesNotContain(CaseRows.Ajbh(100), next);
        Assert.Contains(CaseRows.Ajbh(100), fromBeginning);
    }

    [Fact]
    public async Task ReadAsync_ResumeFromLastCursor_RedeliversExactlyTheLookBackWindowAndLogsTheCount()
    {
        // Rows 20 s apart; the watermark is at +180 s, so the window from +90 s holds the rows at +100 .. +180.
        await Database.InsertAsync(CaseRows.Sequence(10, secondsApart: 20));
        var logger = new CapturingLogger<JusticeAdapter>();
        var adapter = Create(Database, logger: logger);
        var first = await ReadAllAsync(adapter);

        var again = await ReadAllAsync(adapter, first[^1].Cursor);

        Assert.Equal(Enumerable.Range(6, 5).Select(CaseRows.Ajbh), Keys(again));
        Assert.All(again, b => Assert.Equal(first[^1].Cursor, b.Cursor));
        Assert.Contains(logger.Lines, l => l.Contains("5 of them re-read inside the 90 s look-back window", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_PagesInsideTheLookBackWindow_CursorNeverMovesBackwards()
    {
        await Database.InsertAsync(CaseRows.Sequence(6, secondsApart: 10));
        var adapter = Create(Database, pageSize: 2);
        var watermark = (await ReadAllAsync(adapter))[^1].Cursor;
        await Database.InsertAsync(CaseRows.Sequence(3, secondsApart: 10, first: 7, startSeconds: 60));

        var batches = await ReadAllAsync(adapter, watermark);

        // Three pages re-read the window (rows at +0 .. +50 s, all before the watermark), then the new rows.
        Assert.Equal(5, batches.Count);
        Assert.All(batches.Take(3), b => Assert.Equal(watermark, b.Cursor));
        var previous = watermark;
        foreach (var batch in batches)
        {
            Assert.True(CompareCursors(batch.Cursor, previous) >= 0, $"cursor {batch.Cursor} moved back from {previous}");
            previous = batch.Cursor;
        }

        Assert.Equal("""{"t":"2026-11-28 09:16:22","k":"AJ0000000009"}""", batches[^1].Cursor);
    }

    [Fact]
    public async Task ReadAsync_UpdatedRow_IsDeliveredAgainWithItsNewContent()
    {
        await Database.InsertAsync(CaseRows.Sequence(3, secondsApart: 200));
        var adapter = Create(Database);
        var cursor = (await ReadAllAsync(adapter))[^1].Cursor;

        await Database.InsertAsync(CaseRows.Row(1, secondsAfterBase: 600) with { Ajzt = "03" });
        var next = Records(await ReadAllAsync(adapter, cursor));

        var updated = Assert.Single(next, r => r.SourceKey == CaseRows.Ajbh(1));
        Assert.Equal(CaseStatus.Completed, Assert.IsType<RehabCaseFact>(updated.Fact).Status);
    }

    [Fact]
    public async Task ReadAsync_DeletedRow_IsWithdrawnAndStillMapped()
    {
        await Database.InsertAsync(CaseRows.Row(1, 0), CaseRows.Row(2, 1) with { IsDeleted = 1 });
        var adapter = Create(Database);

        var records = Records(await ReadAllAsync(adapter));

        Assert.False(records[0].Withdrawn);
        Assert.True(records[1].Withdrawn);
        Assert.All(records, r => Assert.IsType<RehabCaseFact>(r.Fact));
    }

    [Fact]
    public async Task ReadAsync_PersonWithDetoxThenIsolationThenRehab_GivesOneRecordPerCase()
    {
        // Trap: one person, several cases over the years; each case is its own record, keyed by ajbh.
        await Database.InsertAsync(
            new CaseRow { Ajbh = "AJ2021000007", Ajlx = "SQJD", Jdrq = "2021-04-02", Ajzt = "06", UpdateTime = CaseRows.Time(0) },
            new CaseRow { Ajbh = "AJ2021000311", Ajlx = "QZGL", Jdrq = "2021-09-15", Ajzt = "03", UpdateTime = CaseRows.Time(1) },
            new CaseRow { Ajbh = "AJ2023000102", Ajlx = "SQKF", Jdrq = "2023-09-20", Ajzt = "02", UpdateTime = CaseRows.Time(2) });
        var adapter = Create(Database);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(["AJ2021000007", "AJ2021000311", "AJ2023000102"], records.Select(r => r.SourceKey));
        Assert.All(records, r => Assert.Equal(CaseRow.ResidentId, r.ResidentId));
        Assert.Equal(
            [CaseType.CommunityDetox, CaseType.CompulsoryIsolation, CaseType.CommunityRehab],
            records.Select(r => Assert.IsType<RehabCaseFact>(r.Fact).Type));
        Assert.Equal(
            [CaseStatus.TransferredToIsolation, CaseStatus.Completed, CaseStatus.Executing],
            records.Select(r => ((RehabCaseFact)r.Fact!).Status));
    }

    [Fact]
    public async Task ReadAsync_RowsWithMappingProblems_DoNotStopThePage()
    {
        await Database.InsertAsync(
            CaseRows.Row(1, 0),
            CaseRows.Row(2, 1) with { Ajzt = "09" },
            CaseRows.Row(3, 2) with { Jdrq = CaseRow.ResidentId },
            CaseRows.Row(4, 3) with { Sfzh = "" },
            CaseRows.Row(5, 4) with { Ajlx = "XXXX", Bdrq = "2026-02-30" },
            CaseRows.Row(6, 5));
        var adapter = Create(Database, pageSize: 4);

        var records = Records(await ReadAllAsync(adapter));

        Assert.Equal(Enumerable.Range(1, 6).Select(CaseRows.Ajbh), records.Select(r => r.SourceKey));
        Assert.Equal(
            [null, JusticeProblemCodes.UnknownCode, JusticeProblemCodes.BadDate, JusticeProblemCodes.MissingField, JusticeProblemCodes.UnknownCode, null],
            records.Select(r => r.Problem?.Code));
        Assert.All(records, r => Assert.True(r.Fact is null != (r.Problem is null)));
        Assert.Contains("ajzt has unknown code \"09\"", records[1].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("jdrq is not a date", records[2].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("sfzh is empty", records[3].Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("bdrq is not a date of the form yyyy-MM-dd: \"2026-02-30\"", records[4].Problem!.Message, StringComparison.Ordinal);
        Assert.All(records.Where(r => r.Problem is not null), r =>
        {
            Assert.DoesNotContain(CaseRow.ResidentId, r.Problem!.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(CaseRow.PersonName, r.Problem!.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ReadAsync_UnreadableUpdateTime_IsAProblemRecordThatNeitherBreaksPagingNorMovesTheWatermark()
    {
        // "2026-11-28T09:15:05" sorts after every "2026-11-28 …" and before "2026-11-29 …"; "2026/…" sorts after all.
        await Database.InsertAsync(
            CaseRows.Row(1, 0),
            CaseRows.Row(2, 1),
            CaseRows.Row(3, 2),
            CaseRows.Row(4, 0) with { UpdateTime = "2026-11-28T09:15:05" },
            CaseRows.Row(5, 0) with { UpdateTime = "2026-11-29 08:00:00" },
            CaseRows.Row(6, 0) with { UpdateTime = "2026-11-29 08:00:01" },
            CaseRows.Row(7, 0) with { UpdateTime = "2026/11/29 08:00:02" });
        var adapter = Create(Database, pageSize: 4);

        var batches = await ReadAllAsync(adapter);

        // Page one ends with the unreadable row: paging goes on after it, the cursor stays on the last readable row.
        Assert.Equal(Enumerable.Range(1, 7).Select(CaseRows.Ajbh), Keys(batches));
        Assert.Equal(
            ["""{"t":"2026-11-28 09:15:04","k":"AJ0000000003"}""", """{"t":"2026-11-29 08:00:01","k":"AJ0000000006"}"""],
            batches.Select(b => b.Cursor));
        var records = Records(batches);
        foreach (var bad in (int[])[3, 6])
        {
            Assert.Equal(JusticeProblemCodes.BadDate, records[bad].Problem?.Code);
            Assert.Contains("update_time is not a time of the form yyyy-MM-dd HH:mm:ss", records[bad].Problem!.Message, StringComparison.Ordinal);
        }

        // Without a time of its own, the row carries the watermark's.
        Assert.Equal(records[2].AgencyTime, records[3].AgencyTime);
    }

    [Fact]
    public async Task ReadAsync_Row_RawPayloadIsItsColumnsAsJsonTextInTableOrder()
    {
        // The same bytes from SQLite and PostgreSQL: both derived classes expect this exact text.
        await Database.InsertAsync(new CaseRow
        {
            Ajbh = "AJ2026000123",
            Ajlx = "SQKF",
            Bdrq = null,
            Qsrq = null,
            Jzrq = null,
            Ajzt = "01",
            UpdateTime = "2026-11-28 09:15:02",
        });
        var adapter = Create(Database);

        var record = Assert.Single(Records(await ReadAllAsync(adapter)));

        Assert.Equal(
            """{"ajbh":"AJ2026000123","sfzh":"440104198503071230","xm":"张伟","ajlx":"SQKF","jdrq":"2026-03-01","bdrq":null,"qsrq":null,"jzrq":null,"zxdq":"440105","zxjd":"江南中街道","ajzt":"01","update_time":"2026-11-28 09:15:02","is_deleted":"0"}""",
            Payload(record));
    }

    [Fact]
    public async Task ReadAsync_Row_MapsEveryColumn()
    {
        await Database.InsertAsync(new CaseRow
        {
            Ajbh = "AJ2026000123",
            Sfzh = "44010419850307123x",
            Xm = "阿依古丽·买买提",
            Ajlx = "SQJD",
            Jdrq = "2026-03-01",
            Bdrq = "",
            Qsrq = null,
            Jzrq = "2029-03-09",
            Zxdq = "440105",
            Zxjd = null,
            Ajzt = "07",
            UpdateTime = "2026-11-28 23:59:59",
        });
        var adapter = Create(Database);

        var record = Assert.Single(Records(await ReadAllAsync(adapter)));

        Assert.Equal("sq_jdkf_case", record.Dataset);
        Assert.Equal("AJ2026000123", record.SourceKey);
        Assert.False(record.SourceKeyIsResidentId);
        Assert.Equal("44010419850307123x", record.ResidentId);
        Assert.Equal("阿依古丽·买买提", record.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 59, 59, TimeSpan.FromHours(8)), record.AgencyTime);
        Assert.False(record.Withdrawn);
        Assert.Null(record.Problem);
        Assert.Equal(
            new RehabCaseFact
            {
                Type = CaseType.CommunityDetox,
                DecidedOn = new DateOnly(2026, 3, 1),
                ReportedOn = null,
                TermStart = null,
                TermEnd = new DateOnly(2029, 3, 9),
                ExecutingDistrict = "440105",
                ExecutingStreet = null,
                Status = CaseStatus.Suspended,
            },
            record.Fact);
    }
}

public sealed class JusticeAdapterReadSqliteTests : JusticeAdapterReadTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await SqliteTestDatabase.CreateAsync();

    /// <summary>Regression (fuzz, issue 5): the next page started before this one, and the read went round forever.</summary>
    [Fact]
    public async Task ReadAsync_BlobUpdateTimeWhoseTextSortsFirst_FailsAsSystemInsteadOfPagingForever()
    {
        await Database.InsertAsync(CaseRows.Sequence(6));
        await Database.ExecuteAsync("UPDATE {table} SET update_time = x'02512D' WHERE ajbh = 'AJ0000000003'");
        var adapter = Create(Database, pageSize: 3);

        var failure = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(FailureKind.System, failure.Kind);
        Assert.Contains("paging would never end", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_WalDatabaseWithNoWriterOpen_ReadsEveryRow()
    {
        // The simulator keeps justice.db in WAL mode; a read-only reader may find it with no -wal or -shm file.
        await Database.ExecuteAsync("PRAGMA journal_mode = WAL");
        await Database.InsertAsync(CaseRows.Sequence(5));
        var adapter = Create(Database);

        Assert.Equal(Enumerable.Range(1, 5).Select(CaseRows.Ajbh), Keys(await ReadAllAsync(adapter)));
    }

    [Fact]
    public async Task ReadAsync_WalDatabaseWithAWriterInsideATransaction_ReadsTheCommittedRowsWithoutWaiting()
    {
        await Database.ExecuteAsync("PRAGMA journal_mode = WAL");
        await Database.InsertAsync(CaseRows.Sequence(5));
        await using var writer = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteTestDatabase)Database).FilePath};Pooling=False");
        await writer.OpenAsync();
        await using var transaction = await writer.BeginTransactionAsync();
        await using (var insert = writer.CreateCommand())
        {
            insert.CommandText = "INSERT INTO sq_jdkf_case (ajbh, sfzh, xm, ajlx, jdrq, ajzt, update_time) VALUES ('AJ9', 'x', 'y', 'SQJD', '2026-01-01', '01', '2026-11-28 09:15:09')";
            await insert.ExecuteNonQueryAsync();
        }

        var adapter = Create(Database);

        Assert.Equal(Enumerable.Range(1, 5).Select(CaseRows.Ajbh), Keys(await ReadAllAsync(adapter)));
    }
}

public sealed class JusticeAdapterReadServerTests : JusticeAdapterReadTests
{
    protected override async Task<TestDatabase> CreateDatabaseAsync() => await PostgresTestDatabase.CreateAsync();
}
