using System.Diagnostics;
using System.Globalization;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;
using Xunit.Abstractions;
using static IntegrationHub.Adapters.CivilAffairs.Tests.CivilAffairsTestAdapters;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>Runs alone, so that the live heap it measures is its own.</summary>
[CollectionDefinition(nameof(LargeFilesRunAlone), DisableParallelization = true)]
public sealed class LargeFilesRunAlone;

/// <summary>
/// A roster at city scale (about 50 MB, the trap's 10-100 MB) is streamed: the first batch arrives long before the
/// file has been read to its end, and the live heap stays a small fraction of the file whatever its size.
/// </summary>
[Collection(nameof(LargeFilesRunAlone))]
public sealed class CivilAffairsAdapterLargeFileTests(ITestOutputHelper output) : IDisposable
{
    private const long TargetBytes = 50L * 1024 * 1024;

    /// <summary>The most the live heap may grow while reading: a batch of rows, buffers; far below the file.</summary>
    private const long MaxLiveGrowthBytes = 8L * 1024 * 1024;

    private static readonly string[] Types = [",低保,在保,", ",低保边缘,在保,", ",特困,停保,", ",临时救助,审核中,"];

    private readonly RosterDropFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task ReadAsync_FileOf50MB_FirstBatchComesEarlyAndMemoryStaysFlat()
    {
        var watch = Stopwatch.StartNew();
        var (path, rows) = WriteLargeFile(Today);
        var size = new FileInfo(path).Length;
        var written = watch.Elapsed;
        var files = new CountingFileAccess();
        var adapter = Create(_folder, batchSize: 1000, openRead: files.Open);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        long records = 0, peakGrowth = 0, parsedAtFirstBatch = -1, fingerprintedAtFirstBatch = -1;
        var batches = 0;
        SnapshotPart? last = null;
        await foreach (var batch in adapter.ReadAsync("roster", null, CancellationToken.None))
        {
            batches++;
            records += batch.Records.Count;
            if (batches == 1)
            {
                var opened = files.Opened.ToArray();
                Assert.Equal(2, opened.Length);
                fingerprintedAtFirstBatch = opened[0].BytesRead;
                parsedAtFirstBatch = opened[1].BytesRead;
            }

            if (batches % 25 == 1)
            {
                peakGrowth = Math.Max(peakGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }

            last = batch.Snapshot;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"file {size / 1048576.0:F1} MB, {rows} rows written in {written.TotalSeconds:F1} s; read in {(watch.Elapsed - written).TotalSeconds:F1} s, "
            + $"{batches} batches; at the first batch the parse pass had read {parsedAtFirstBatch / 1024.0:F0} KB; "
            + $"peak live-heap growth {peakGrowth / 1048576.0:F2} MB (baseline {baseline / 1048576.0:F1} MB)"));
        Assert.True(size >= TargetBytes, "the generated file should be about 50 MB");
        Assert.Equal(rows, records);
        Assert.True(last!.IsLast);
        // The fingerprint pass streams the whole file first; the parse pass has barely started when batch 1 arrives.
        Assert.Equal(size, fingerprintedAtFirstBatch);
        Assert.InRange(parsedAtFirstBatch, 1, size / 50);
        Assert.InRange(peakGrowth, long.MinValue, MaxLiveGrowthBytes);
    }

    /// <summary>Streams rows into the day's GBK file until it reaches <see cref="TargetBytes"/>; then marks it.</summary>
    private (string Path, long Rows) WriteLargeFile(DateOnly day)
    {
        var path = _folder.FilePath(day);
        long rows = 0;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new StreamWriter(file, RosterDropFolder.Gbk, 1 << 16))
        {
            writer.Write(RosterDropFolder.Line(RosterDropFolder.Header));
            while (file.Length < TargetBytes)
            {
                for (var i = 0; i < 1000; i++, rows++)
                {
                    // Valid rows of distinct synthetic people; every 97th has a quoted street.
                    var n = (int)rows;
                    var id = SyntheticIds.Id(n);
                    writer.Write(id);
                    writer.Write(',');
                    writer.Write(SyntheticIds.Name(n));
                    writer.Write(',');
                    writer.Write(id);
                    writer.Write(Types[n % Types.Length]);
                    writer.Write((500 + (n % 900)).ToString(CultureInfo.InvariantCulture));
                    writer.Write(n % 97 == 0 ? ".00,3,2024-05-01,,\"北京街道,\"\"二\"\"号\",440104\r\n" : ".00,3,2024-05-01,,北京街道,440104\r\n");
                }

                writer.Flush();
            }
        }

        _folder.Mark(day);
        return (path, rows);
    }
}
