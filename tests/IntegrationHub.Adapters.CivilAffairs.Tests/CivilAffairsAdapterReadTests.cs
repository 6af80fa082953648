using System.Security.Cryptography;
using System.Text.Json;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using static IntegrationHub.Adapters.CivilAffairs.Tests.CivilAffairsTestAdapters;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// Reading the drop folder: the marker, snapshot parts, missing and doubled days, re-sent days, interrupted reads,
/// the horizon and the cursor (AGENCY-INTERFACES.md section 3, traps).
/// </summary>
public sealed class CivilAffairsAdapterReadTests : IDisposable
{
    private static readonly DateOnly Day1 = Today.AddDays(-2);
    private static readonly DateOnly Day2 = Today.AddDays(-1);
    private static readonly DateOnly Day3 = Today;

    private readonly RosterDropFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // ---- the .ok marker ----

    [Fact]
    public async Task ReadAsync_FileWithoutMarker_IsNeverOpenedUntilTheMarkerAppears()
    {
        _folder.WriteDay(Day3, RosterRow.Range(0, 4), marked: false);
        var files = new CountingFileAccess();
        var adapter = Create(_folder, openRead: files.Open);

        var before = await ReadAllAsync(adapter);
        _folder.Mark(Day3);
        var after = await ReadAllAsync(adapter);

        Assert.Empty(before);
        Assert.Equal(RosterRow.Range(0, 4).Select(r => r.Id), Keys(after));
        Assert.True(after[^1].Snapshot!.IsLast);
    }

    [Fact]
    public async Task ReadAsync_FileWithoutMarker_IsNotOpenedAtAll()
    {
        _folder.WriteDay(Day3, RosterRow.Range(0, 4), marked: false);
        var files = new CountingFileAccess();

        await ReadAllAsync(Create(_folder, openRead: files.Open));

        Assert.Equal(0, files.Opens(RosterDropFolder.FileName(Day3)));
    }

    [Fact]
    public async Task ReadAsync_NewerDayWithoutMarker_DoesNotTakeTheRosterFromTheNewestMarkedDay()
    {
        _folder.WriteDay(Day2, RosterRow.Range(0, 2));
        _folder.WriteDay(Day3, RosterRow.Range(0, 3), marked: false);

        var batches = await ReadAllAsync(Create(_folder));

        var part = Assert.Single(batches).Snapshot!;
        Assert.StartsWith(RosterDropFolder.FileName(Day2) + "@", part.SnapshotId, StringComparison.Ordinal);
        Assert.True(part.DefinesCurrentRoster);
    }

    [Fact]
    public async Task ReadAsync_MarkerWithoutFile_ReadsNothing()
    {
        _folder.Mark(Day3);

        Assert.Empty(await ReadAllAsync(Create(_folder)));
    }

    // ---- snapshot parts ----

    [Fact]
    public async Task ReadAsync_OneFileInSeveralBatches_PartsShareIdAndDayAndOnlyTheLastIsLast()
    {
        var path = _folder.WriteDay(Day3, RosterRow.Range(0, 7));

        var batches = await ReadAllAsync(Create(_folder, batchSize: 3));

        Assert.Equal([3, 3, 1], batches.Select(b => b.Records.Count));
        var expectedId = RosterDropFolder.FileName(Day3) + "@" + Sha256(path);
        var asOf = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.All(batches, b => Assert.Equal(expectedId, b.Snapshot!.SnapshotId));
        Assert.All(batches, b => Assert.Equal(asOf, b.Snapshot!.AsOf));
        Assert.All(batches, b => Assert.True(b.Snapshot!.DefinesCurrentRoster));
        Assert.Equal([false, false, true], batches.Select(b => b.Snapshot!.IsLast));
        Assert.All(Records(batches), r => Assert.Equal(asOf, r.AgencyTime));
    }

    [Fact]
    public async Task ReadAsync_RowCountAMultipleOfBatchSize_TheLastFullBatchIsLast()
    {
        _folder.WriteDay(Day3, RosterRow.Range(0, 6));

        var batches = await ReadAllAsync(Create(_folder, batchSize: 3));

        Assert.Equal([3, 3], batches.Select(b => b.Records.Count));
        Assert.Equal([false, true], batches.Select(b => b.Snapshot!.IsLast));
    }

    [Fact]
    public async Task ReadAsync_HeaderOnlyFile_YieldsOneEmptyLastBatch()
    {
        _folder.WriteDay(Day3, []);

        var batch = Assert.Single(await ReadAllAsync(Create(_folder)));

        Assert.Empty(batch.Records);
        Assert.True(batch.Snapshot!.IsLast);
        Assert.True(batch.Snapshot.DefinesCurrentRoster);
    }

    [Fact]
    public async Task ReadAsync_ZeroByteFile_ThrowsSystemRatherThanAnEmptyRoster()
    {
        _folder.WriteBytes(Day3, []);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(Create(_folder)));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("MZ_JZ_20261128.csv is empty", error.Message, StringComparison.Ordinal);
    }

    // ---- missing days, two days at once ----

    [Fact]
    public async Task ReadAsync_TwoNewDays_ReadsBothInDateOrderAndOnlyTheNewestDefinesTheRoster()
    {
        // Written newest first, so directory order is not date order.
        _folder.WriteDay(Day3, RosterRow.Range(300, 2));
        _folder.WriteDay(Day2, RosterRow.Range(200, 2));

        var batches = await ReadAllAsync(Create(_folder));

        Assert.Equal(
            [.. RosterRow.Range(200, 2).Select(r => r.Id), .. RosterRow.Range(300, 2).Select(r => r.Id)],
            Keys(batches));
        Assert.Equal([false, true], batches.Select(b => b.Snapshot!.DefinesCurrentRoster));
        Assert.All(batches, b => Assert.True(b.Snapshot!.IsLast));
    }

    [Fact]
    public async Task ReadAsync_ManyDaysAtOnce_AreReadInDateOrder()
    {
        var days = Enumerable.Range(0, 6).Select(i => Today.AddDays(-i)).ToList();
        foreach (var day in days)
        {
            _folder.WriteDay(day, RosterRow.Range(day.DayNumber, 1));
        }

        var batches = await ReadAllAsync(Create(_folder));

        var asOf = batches.Select(b => b.Snapshot!.AsOf).ToList();
        Assert.Equal(asOf.Order(), asOf);
        Assert.Equal(6, asOf.Count);
    }

    [Fact]
    public async Task ReadAsync_MissingDayBetweenTwoFiles_ReadsTheDaysThatExist()
    {
        _folder.WriteDay(Day1, RosterRow.Range(100, 2));
        _folder.WriteDay(Day3, RosterRow.Range(300, 2));

        var batches = await ReadAllAsync(Create(_folder));

        Assert.Equal([Day1, Day3], batches.Select(b => DateOnly.FromDateTime(b.Snapshot!.AsOf.DateTime)));
        Assert.Equal([false, true], batches.Select(b => b.Snapshot!.DefinesCurrentRoster));
    }

    [Fact]
    public async Task ReadAsync_DayAfterAMissingDay_IsReadFromTheCursor()
    {
        _folder.WriteDay(Day1, RosterRow.Range(100, 2));
        var adapter = Create(_folder);
        var first = await ReadAllAsync(adapter);

        _folder.WriteDay(Day3, RosterRow.Range(300, 2));
        var next = await ReadAllAsync(adapter, first[^1].Cursor);

        Assert.Equal(RosterRow.Range(300, 2).Select(r => r.Id), Keys(next));
        Assert.True(next[^1].Snapshot!.DefinesCurrentRoster);
    }

    [Fact]
    public async Task ReadAsync_AfterTheLastBatch_ReadsNothingAndOpensNothing()
    {
        _folder.WriteDay(Day2, RosterRow.Range(0, 3));
        _folder.WriteDay(Day3, RosterRow.Range(0, 3));
        var files = new CountingFileAccess();
        var adapter = Create(_folder, openRead: files.Open);
        var first = await ReadAllAsync(adapter);
        var opensAfterFirstRead = files.Opened.Count;

        var again = await ReadAllAsync(adapter, first[^1].Cursor);

        Assert.Empty(again);
        Assert.Equal(opensAfterFirstRead, files.Opened.Count);
    }

    // ---- re-sent days ----

    [Fact]
    public async Task ReadAsync_OlderDayResentWithOtherContent_IsReadAgainWithoutDefiningTheRoster()
    {
        _folder.WriteDay(Day2, RosterRow.Range(200, 2));
        _folder.WriteDay(Day3, RosterRow.Range(300, 2));
        var adapter = Create(_folder);
        var first = await ReadAllAsync(adapter);

        var corrected = _folder.WriteDay(Day2, [RosterRow.For(200) with { Amount = "980.50" }, RosterRow.For(201), RosterRow.For(202)]);
        var batches = await ReadAllAsync(adapter, first[^1].Cursor);

        var batch = Assert.Single(batches);
        Assert.Equal(RosterRow.Range(200, 3).Select(r => r.Id), Keys(batches));
        Assert.Equal(980.50m, ((AssistanceFact)batch.Records[0].Fact!).MonthlyAmount);
        Assert.Equal(RosterDropFolder.FileName(Day2) + "@" + Sha256(corrected), batch.Snapshot!.SnapshotId);
        Assert.NotEqual(first[0].Snapshot!.SnapshotId, batch.Snapshot.SnapshotId);
        Assert.False(batch.Snapshot.DefinesCurrentRoster);
        Assert.True(batch.Snapshot.IsLast);
    }

    [Fact]
    public async Task ReadAsync_OlderDayResentAfterTheNewestFileWasRemoved_StillDoesNotDefineTheRoster()
    {
        _folder.WriteDay(Day2, RosterRow.Range(200, 2));
        _folder.WriteDay(Day3, RosterRow.Range(300, 2));
        var adapter = Create(_folder);
        var first = await ReadAllAsync(adapter);

        File.Delete(_folder.FilePath(Day3));
        _folder.Unmark(Day3);
        _folder.WriteDay(Day2, RosterRow.Range(200, 3));
        var batch = Assert.Single(await ReadAllAsync(adapter, first[^1].Cursor));

        Assert.Equal(RosterRow.Range(200, 3).Select(r => r.Id), batch.Records.Select(r => r.SourceKey));
        Assert.False(batch.Snapshot!.DefinesCurrentRoster);
    }

    [Fact]
    public async Task ReadAsync_NewestDayResentWithOtherContent_IsReadAgainAndDefinesTheRoster()
    {
        _folder.WriteDay(Day3, RosterRow.Range(300, 3));
        var adapter = Create(_folder);
        var first = await ReadAllAsync(adapter);

        _folder.WriteDay(Day3, RosterRow.Range(300, 2));
        var batch = Assert.Single(await ReadAllAsync(adapter, first[^1].Cursor));

        Assert.Equal(RosterRow.Range(300, 2).Select(r => r.Id), batch.Records.Select(r => r.SourceKey));
        Assert.True(batch.Snapshot!.DefinesCurrentRoster);
    }

    [Fact]
    public async Task ReadAsync_ResentWithSameSizeButOtherBytes_IsReadAgain()
    {
        _folder.WriteDay(Day3, [RosterRow.For(1) with { Status = "在保" }]);
        var adapter = Create(_folder);
        var first = await ReadAllAsync(adapter);

        _folder.WriteDay(Day3, [RosterRow.For(1) with { Status = "停保" }]);
        var batch = Assert.Single(await ReadAllAsync(adapter, first[^1].Cursor));

        Assert.Equal(AssistanceStatus.Suspended, ((AssistanceFact)batch.Records[0].Fact!).Status);
    }

    [Fact]
    public async Task ReadAsync_DayResentWithTheSameBytes_IsFingerprintedButNotReadAgain()
    {
        var path = _folder.WriteDay(Day3, RosterRow.Range(0, 3));
        var files = new CountingFileAccess();
        var adapter = Create(_folder, openRead: files.Open);
        var first = await ReadAllAsync(adapter);
        var opensAfterFirstRead = files.Opens(RosterDropFolder.FileName(Day3));

        _folder.WriteBytes(Day3, File.ReadAllBytes(path));
        var again = await ReadAllAsync(adapter, first[^1].Cursor);

        Assert.Empty(again);
        // One more open: the fingerprint pass, which finds the bytes already read.
        Assert.Equal(opensAfterFirstRead + 1, files.Opens(RosterDropFolder.FileName(Day3)));
    }

    [Fact]
    public async Task ReadAsync_DayUntouched_IsNotEvenFingerprintedAgain()
    {
        _folder.WriteDay(Day2, RosterRow.Range(0, 3));
        var files = new CountingFileAccess();
        var adapter = Create(_folder, openRead: files.Open);
        var first = await ReadAllAsync(adapter);

        _folder.WriteDay(Day3, RosterRow.Range(0, 3));
        await ReadAllAsync(adapter, first[^1].Cursor);

        // Day 2: fingerprint and read once; its size and modification time then vouch for it.
        Assert.Equal(2, files.Opens(RosterDropFolder.FileName(Day2)));
    }

    // ---- repeated rows ----

    [Fact]
    public async Task ReadAsync_SamePersonTwiceInOneFile_DeliversBothRows()
    {
        var row = RosterRow.For(7);
        _folder.WriteDay(Day3, [row, RosterRow.For(8), row]);

        var records = Records(await ReadAllAsync(Create(_folder)));

        Assert.Equal([row.Id, RosterRow.For(8).Id, row.Id], records.Select(r => r.SourceKey));
        Assert.Equal(records[0].RawPayload.ToArray(), records[2].RawPayload.ToArray());
    }

    // ---- interrupted reads ----

    [Fact]
    public async Task ReadAsync_ResumeFromMidFileBatchCursor_ReturnsExactlyTheRemainingRows()
    {
        _folder.WriteDay(Day3, RosterRow.Range(0, 10));
        var adapter = Create(_folder, batchSize: 3);
        var full = await ReadAllAsync(adapter);

        var resumed = await ReadAllAsync(adapter, full[1].Cursor);

        Assert.Equal(RosterRow.Range(6, 4).Select(r => r.Id), Keys(resumed));
        Assert.Equal([3, 1], resumed.Select(b => b.Records.Count));
        Assert.All(resumed, b => Assert.Equal(full[0].Snapshot!.SnapshotId, b.Snapshot!.SnapshotId));
        Assert.Equal([false, true], resumed.Select(b => b.Snapshot!.IsLast));
    }

    [Fact]
    public async Task ReadAsync_ResumeMidFile_ProblemLinesStillNameTheLineInTheFile()
    {
        _folder.WriteDay(Day3, [.. RosterRow.Range(0, 4), RosterRow.For(4) with { Approved = "2024/05/01" }]);
        var adapter = Create(_folder, batchSize: 2);
        var full = await ReadAllAsync(adapter);

        var resumed = await ReadAllAsync(adapter, full[1].Cursor);

        var problem = Assert.Single(Records(resumed), r => r.Problem is not null).Problem!;
        Assert.StartsWith("line 6 of MZ_JZ_20261128.csv: ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ResumeAfterTheFileChanged_ReadsItAgainFromTheFirstRowAsANewSnapshot()
    {
        _folder.WriteDay(Day3, RosterRow.Range(0, 10));
        var adapter = Create(_folder, batchSize: 3);
        var full = await ReadAllAsync(adapter);

        _folder.WriteDay(Day3, RosterRow.Range(50, 5));
        var resumed = await ReadAllAsync(adapter, full[1].Cursor);

        Assert.Equal(RosterRow.Range(50, 5).Select(r => r.Id), Keys(resumed));
        Assert.All(resumed, b => Assert.NotEqual(full[0].Snapshot!.SnapshotId, b.Snapshot!.SnapshotId));
    }

    [Fact]
    public async Task ReadAsync_ResumeWhenANewerDayArrived_FinishesTheInterruptedFileFirstWithoutDefiningTheRoster()
    {
        _folder.WriteDay(Day2, RosterRow.Range(0, 5));
        var adapter = Create(_folder, batchSize: 2);
        var full = await ReadAllAsync(adapter);
        Assert.True(full[0].Snapshot!.DefinesCurrentRoster);

        _folder.WriteDay(Day3, RosterRow.Range(100, 2));
        var resumed = await ReadAllAsync(adapter, full[0].Cursor);

        Assert.Equal([.. RosterRow.Range(2, 3).Select(r => r.Id), .. RosterRow.Range(100, 2).Select(r => r.Id)], Keys(resumed));
        Assert.Equal([false, false, true], resumed.Select(b => b.Snapshot!.DefinesCurrentRoster));
        Assert.Equal([false, true, true], resumed.Select(b => b.Snapshot!.IsLast));
    }

    [Fact]
    public async Task ReadAsync_InterruptedFileRemoved_ReadsTheOtherFiles()
    {
        _folder.WriteDay(Day2, RosterRow.Range(0, 5));
        var adapter = Create(_folder, batchSize: 2);
        var full = await ReadAllAsync(adapter);

        File.Delete(_folder.FilePath(Day2));
        _folder.WriteDay(Day3, RosterRow.Range(100, 2));
        var resumed = await ReadAllAsync(adapter, full[0].Cursor);

        Assert.Equal(RosterRow.Range(100, 2).Select(r => r.Id), Keys(resumed));
        Assert.DoesNotContain("reading", resumed[^1].Cursor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CursorClaimsMoreRowsThanTheFileHas_ThrowsSystem()
    {
        var path = _folder.WriteDay(Day3, RosterRow.Range(0, 5));
        var cursor = $$$"""{"v":1,"days":{},"reading":{"file":"MZ_JZ_20261128.csv","sha256":"{{{Sha256(path)}}}","rows":9}}""";

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(Create(_folder), cursor));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("has 5 data rows but the cursor says 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FileChangedBetweenFingerprintAndRead_ThrowsTransientBeforeTheSnapshotCompletes()
    {
        var path = _folder.WriteDay(Day3, RosterRow.Range(0, 5));
        var other = RosterDropFolder.Gbk.GetBytes(RosterDropFolder.Csv(RosterDropFolder.Header, RosterRow.Range(10, 5).Select(r => r.Fields)));
        var opens = 0;
        var adapter = Create(_folder, batchSize: 2, openRead: p => ++opens == 1 ? File.OpenRead(p) : new MemoryStream(other));
        var seen = new List<SourceBatch>();

        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var batch in adapter.ReadAsync("roster", null, CancellationToken.None))
            {
                seen.Add(batch);
            }
        });

        Assert.Equal(FailureKind.Transient, error.Kind);
        Assert.Contains("changed while it was being read", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(seen, b => b.Snapshot!.IsLast);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task ReadAsync_UnclosedQuote_ThrowsSystemNamingTheLineAndLeavesTheSnapshotIncomplete()
    {
        var text = RosterDropFolder.Csv(RosterDropFolder.Header, RosterRow.Range(0, 3).Select(r => r.Fields))
            + "\"" + string.Join(",", RosterRow.For(3).Fields) + "\r\n"
            + string.Join(",", RosterRow.For(4).Fields) + "\r\n";
        _folder.WriteBytes(Day3, RosterDropFolder.Gbk.GetBytes(text));
        var adapter = Create(_folder, batchSize: 2);
        var seen = new List<SourceBatch>();

        var error = await Assert.ThrowsAsync<AdapterException>(async () =>
        {
            await foreach (var batch in adapter.ReadAsync("roster", null, CancellationToken.None))
            {
                seen.Add(batch);
            }
        });

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("line 5", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(RosterRow.For(3).Id, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(seen, b => b.Snapshot!.IsLast);
    }

    // ---- the horizon ----

    [Fact]
    public async Task ReadAsync_FilesBeforeTheHorizon_AreIgnoredAndForgotten()
    {
        _folder.WriteDay(Today.AddDays(-6), RosterRow.Range(600, 1));
        _folder.WriteDay(Today.AddDays(-5), RosterRow.Range(500, 1));
        _folder.WriteDay(Today.AddDays(-1), RosterRow.Range(100, 1));
        var clock = Clock();
        var adapter = Create(_folder, keepDays: 5, time: clock);

        var first = await ReadAllAsync(adapter);
        clock.Advance(TimeSpan.FromDays(3));
        _folder.WriteDay(Today.AddDays(3), RosterRow.Range(900, 1));
        var later = await ReadAllAsync(adapter, first[^1].Cursor);

        Assert.Equal([RosterRow.For(500).Id, RosterRow.For(100).Id], Keys(first));
        Assert.Equal([RosterRow.For(900).Id], Keys(later));
        Assert.Equal(["2026-11-27", "2026-12-01"], CursorDays(later[^1].Cursor));
    }

    // ---- the cursor ----

    [Fact]
    public async Task ReadAsync_Cursor_HoldsTheReadingPositionThenTheDayFingerprint()
    {
        var path = _folder.WriteDay(Day3, RosterRow.Range(0, 5));
        var sha = Sha256(path);
        var stamp = $"{new FileInfo(path).Length}:{File.GetLastWriteTimeUtc(path).Ticks}";

        var batches = await ReadAllAsync(Create(_folder, batchSize: 2));

        Assert.Equal(
            $$$"""{"v":1,"days":{},"reading":{"file":"MZ_JZ_20261128.csv","sha256":"{{{sha}}}","rows":2}}""",
            batches[0].Cursor);
        Assert.Equal(
            $$$"""{"v":1,"days":{},"reading":{"file":"MZ_JZ_20261128.csv","sha256":"{{{sha}}}","rows":4}}""",
            batches[1].Cursor);
        Assert.Equal(
            $$$$"""{"v":1,"days":{"2026-11-28":{"sha256":"{{{{sha}}}}","stamp":"{{{{stamp}}}}"}}}""",
            batches[2].Cursor);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"v":2,"days":{}}""")]
    [InlineData("""{"v":1,"days":{"2026-11-28":{"sha256":"xyz"}}}""")]
    [InlineData("""{"v":1,"days":{},"reading":{"file":"other.csv","sha256":"0000000000000000000000000000000000000000000000000000000000000000","rows":1}}""")]
    [InlineData("""{"v":1,"days":{},"reading":{"file":"MZ_JZ_20261128.csv","sha256":"0000000000000000000000000000000000000000000000000000000000000000","rows":-1}}""")]
    public void ReadAsync_CursorNotWrittenByTheAdapter_ThrowsSystem(string cursor)
    {
        var adapter = Create(_folder);

        var error = Assert.Throws<AdapterException>(() => adapter.ReadAsync("roster", cursor, CancellationToken.None));

        Assert.Equal(FailureKind.System, error.Kind);
        Assert.Contains("reset the civil-affairs job's cursor", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAsync_UnknownDataset_ThrowsArgument()
    {
        Assert.Throws<ArgumentException>(() => Create(_folder).ReadAsync("xdry", null, CancellationToken.None));
    }

    [Fact]
    public void AgencyAndDatasets_Declared_AreCivilAffairsAndRoster()
    {
        var adapter = Create(_folder);

        Assert.Equal("civil-affairs", adapter.Agency);
        Assert.Equal(["roster"], adapter.Datasets);
    }

    // ---- check ----

    [Fact]
    public async Task CheckAsync_FolderReadable_Succeeds()
    {
        await Create(_folder).CheckAsync(CancellationToken.None);
    }

    [Fact]
    public async Task CheckAsync_FolderRemoved_ThrowsConfigurationNamingTheKey()
    {
        var adapter = Create(_folder);
        Directory.Delete(_folder.Path, recursive: true);

        var error = await Assert.ThrowsAsync<AdapterException>(() => adapter.CheckAsync(CancellationToken.None));

        Assert.Equal(FailureKind.Configuration, error.Kind);
        Assert.Contains("Adapters:CivilAffairs:DropFolder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_FolderRemoved_ThrowsConfiguration()
    {
        var adapter = Create(_folder);
        Directory.Delete(_folder.Path, recursive: true);

        var error = await Assert.ThrowsAsync<AdapterException>(() => ReadAllAsync(adapter));

        Assert.Equal(FailureKind.Configuration, error.Kind);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static List<string> CursorDays(string cursor)
    {
        using var document = JsonDocument.Parse(cursor);
        return [.. document.RootElement.GetProperty("days").EnumerateObject().Select(p => p.Name)];
    }
}
