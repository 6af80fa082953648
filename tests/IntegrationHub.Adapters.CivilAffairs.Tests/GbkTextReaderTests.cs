using System.Text;
using IntegrationHub.Adapters.CivilAffairs.Tests.Fakes;

namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// The GBK decoder: the same characters as code page 936 for GBK text, and one U+FFFD per bad byte without
/// swallowing the delimiter after it (which code page 936's own decoder does).
/// </summary>
public sealed class GbkTextReaderTests
{
    public static TheoryData<int> BufferSizes => new() { 1, 2, 3, 7, GbkTextReader.DefaultBufferBytes };

    [Theory]
    [MemberData(nameof(BufferSizes))]
    public async Task ReadAsync_GbkText_DecodesLikeCodePage936(int bufferBytes)
    {
        var text = string.Concat(Enumerable.Range(0, 200).Select(i => SyntheticIds.Name(i) + ",北京街道,欧阳·买买提,龙洞鳌头€\r\n"));
        var bytes = RosterDropFolder.Gbk.GetBytes(text);

        var decoded = await DecodeAsync(bytes, bufferBytes);

        Assert.Equal(RosterDropFolder.Gbk.GetString(bytes), decoded);
        Assert.Equal(text, decoded);
    }

    [Fact]
    public async Task ReadAsync_EveryGbkCharacter_DecodesLikeCodePage936()
    {
        // Every lead-trail pair in GBK's ranges; pairs code page 936 does not map come out as U+FFFD from both.
        var bytes = new List<byte>();
        for (var lead = 0x81; lead <= 0xFE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFE; trail++)
            {
                if (trail != 0x7F)
                {
                    bytes.Add((byte)lead);
                    bytes.Add((byte)trail);
                }
            }
        }

        var expected = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("\uFFFD")).GetString([.. bytes]);

        Assert.Equal(expected, await DecodeAsync([.. bytes], 4096));
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x2C, 0x41 }, "\uFFFD,A")]
    [InlineData(new byte[] { 0x81, 0x22, 0x41 }, "\uFFFD\"A")]
    [InlineData(new byte[] { 0x81, 0x0D, 0x0A }, "\uFFFD\r\n")]
    [InlineData(new byte[] { 0x81, 0x7F }, "\uFFFD\u007F")]
    [InlineData(new byte[] { 0xFF, 0x41 }, "\uFFFDA")]
    [InlineData(new byte[] { 0x41, 0x81 }, "A\uFFFD")]
    [InlineData(new byte[] { 0x81, 0xFF, 0x41 }, "\uFFFD\uFFFDA")]
    public async Task ReadAsync_BytesThatAreNotGbk_BecomeOneReplacementAndKeepTheNextByte(byte[] bytes, string expected)
    {
        foreach (var bufferBytes in new[] { 1, 2, 64 })
        {
            Assert.Equal(expected, await DecodeAsync(bytes, bufferBytes));
        }
    }

    [Fact]
    public void Read_Synchronously_DecodesTheSame()
    {
        var bytes = RosterDropFolder.Gbk.GetBytes("张伟,北京街道\r\n");
        using var reader = new GbkTextReader(new MemoryStream(bytes), 3);

        Assert.Equal("张伟,北京街道\r\n", reader.ReadToEnd());
    }

    private static async Task<string> DecodeAsync(byte[] bytes, int bufferBytes)
    {
        using var reader = new GbkTextReader(new MemoryStream(bytes), bufferBytes);
        var text = new StringBuilder();
        var chars = new char[5];
        int read;
        while ((read = await reader.ReadAsync(chars.AsMemory(), CancellationToken.None)) > 0)
        {
            text.Append(chars, 0, read);
        }

        return text.ToString();
    }
}
