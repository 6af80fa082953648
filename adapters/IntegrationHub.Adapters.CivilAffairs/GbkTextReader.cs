using System.Text;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// Decodes a GBK byte stream to text through a fixed buffer, turning every byte sequence that is not GBK into one
/// U+FFFD and never consuming the byte after it: a bad byte costs at most its own field, never a comma, a quote or a
/// line break. The stream stays the caller's to dispose.
/// </summary>
/// <remarks>
/// This replaces a <see cref="StreamReader"/> over code page 936 on purpose: that decoder (Windows semantics) takes a
/// lead byte and whatever byte follows it as one pair, so <c>0x81</c> before a comma swallows the comma (the row loses
/// a field) and before a quote swallows the quote (every later row can be misread); it also decodes <c>0xFF</c>, which
/// is no GBK byte, as a private-use character. Here the structure is checked first: ASCII <c>0x00-0x7F</c>; <c>0x80</c>
/// as code page 936 has it (€); a lead byte <c>0x81-0xFE</c> followed by a trail byte <c>0x40-0x7E</c> or
/// <c>0x80-0xFE</c>, looked up in a table built once from code page 936 (so the characters are exactly the
/// framework's); anything else is U+FFFD. Characters of GBK's user-defined areas decode to the private-use code
/// points code page 936 assigns them.
/// </remarks>
internal sealed class GbkTextReader(Stream stream, int bufferBytes = GbkTextReader.DefaultBufferBytes) : TextReader
{
    public const int DefaultBufferBytes = 1 << 16;

    /// <summary>What a sequence that is not GBK decodes to.</summary>
    public const char Replacement = '\uFFFD';

    private const int FirstLead = 0x81;
    private const int LastLead = 0xFE;
    private const int FirstTrail = 0x40;
    private const int TrailCount = 0xFE - FirstTrail + 1;

    private static readonly Lazy<char[]> Pairs = new(BuildPairs);

    private readonly byte[] _bytes = new byte[bufferBytes];
    private int _position;
    private int _length;
    private bool _endOfStream;

    /// <summary>A lead byte whose trail byte is in the next buffer; -1 when none.</summary>
    private int _pendingLead = -1;

    public override int Read(Span<char> buffer)
    {
        while (true)
        {
            if (_position == _length && !_endOfStream)
            {
                _position = 0;
                _length = stream.Read(_bytes);
                _endOfStream = _length == 0;
            }

            var written = Decode(buffer);
            if (written > 0 || buffer.IsEmpty || (_endOfStream && _pendingLead < 0))
            {
                return written;
            }
        }
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read()
    {
        Span<char> one = stackalloc char[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override async ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_position == _length && !_endOfStream)
            {
                _position = 0;
                _length = await stream.ReadAsync(_bytes, cancellationToken);
                _endOfStream = _length == 0;
            }

            var written = Decode(buffer.Span);
            if (written > 0 || buffer.IsEmpty || (_endOfStream && _pendingLead < 0))
            {
                return written;
            }
        }
    }

    public override Task<int> ReadAsync(char[] buffer, int index, int count) =>
        ReadAsync(buffer.AsMemory(index, count)).AsTask();

    /// <summary>Decodes from the byte buffer into <paramref name="chars"/> until either is exhausted.</summary>
    private int Decode(Span<char> chars)
    {
        var written = 0;
        var bytes = _bytes;
        var pairs = Pairs.Value;
        while (written < chars.Length)
        {
            if (_position == _length)
            {
                if (_endOfStream && _pendingLead >= 0)
                {
                    // A lead byte at the very end of the file.
                    chars[written++] = Replacement;
                    _pendingLead = -1;
                }

                break;
            }

            if (_pendingLead >= 0)
            {
                var trail = bytes[_position];
                if (trail is >= FirstTrail and <= 0xFE and not 0x7F)
                {
                    chars[written++] = pairs[((_pendingLead - FirstLead) * TrailCount) + (trail - FirstTrail)];
                    _position++;
                }
                else
                {
                    // Not a trail byte: the lead byte alone is bad; this byte is read again on its own.
                    chars[written++] = Replacement;
                }

                _pendingLead = -1;
                continue;
            }

            // Most of a roster is ASCII (IDs, digits, dates, commas): widen a run of it at once.
            var run = bytes.AsSpan(_position, Math.Min(_length - _position, chars.Length - written));
            var ascii = run.IndexOfAnyExceptInRange((byte)0x00, (byte)0x7F);
            if (ascii != 0)
            {
                Ascii.ToUtf16(ascii < 0 ? run : run[..ascii], chars[written..], out var widened);
                written += widened;
                _position += widened;
                continue;
            }

            var b = bytes[_position++];
            if (b == 0x80)
            {
                chars[written++] = '\u20AC';
            }
            else if (b == 0xFF)
            {
                chars[written++] = Replacement;
            }
            else
            {
                _pendingLead = b;
            }
        }

        return written;
    }

    /// <summary>Every lead-trail pair's character from code page 936; U+FFFD where it has none.</summary>
    private static char[] BuildPairs()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(Replacement.ToString()));
        var pairs = new char[(LastLead - FirstLead + 1) * TrailCount];
        Span<byte> pair = stackalloc byte[2];
        Span<char> decoded = stackalloc char[4];
        for (var lead = FirstLead; lead <= LastLead; lead++)
        {
            for (var trail = FirstTrail; trail <= 0xFE; trail++)
            {
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                var count = trail == 0x7F ? 0 : gbk.GetChars(pair, decoded);
                pairs[((lead - FirstLead) * TrailCount) + (trail - FirstTrail)] = count == 1 ? decoded[0] : Replacement;
            }
        }

        return pairs;
    }
}
