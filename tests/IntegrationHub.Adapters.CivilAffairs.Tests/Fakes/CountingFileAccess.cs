using System.Collections.Concurrent;

namespace IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

/// <summary>The adapter's file access, counting every open and every byte read, so a test sees what was touched and when.</summary>
public sealed class CountingFileAccess
{
    public ConcurrentQueue<CountingStream> Opened { get; } = new();

    /// <summary>How many times the file named <paramref name="fileName"/> was opened.</summary>
    public int Opens(string fileName) => Opened.Count(s => string.Equals(System.IO.Path.GetFileName(s.Path), fileName, StringComparison.Ordinal));

    public Stream Open(string path)
    {
        var stream = new CountingStream(File.OpenRead(path), path);
        Opened.Enqueue(stream);
        return stream;
    }
}

/// <summary>A read-only stream over another that counts the bytes read through it.</summary>
public sealed class CountingStream(Stream inner, string path) : Stream
{
    private long _bytesRead;

    public string Path { get; } = path;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Count(int read)
    {
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }
}
