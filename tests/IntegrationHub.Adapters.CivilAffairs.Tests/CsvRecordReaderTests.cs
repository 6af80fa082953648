namespace IntegrationHub.Adapters.CivilAffairs.Tests;

/// <summary>
/// The hand-written RFC 4180 reader, each case read twice: from the whole text, and one character per read so that
/// every quote pair and CRLF also straddles a buffer refill.
/// </summary>
public sealed class CsvRecordReaderTests
{
    public static TheoryData<bool> Chunking => new() { false, true };

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_PlainCrlfRows_SplitsOnCommasAndLines(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("a,b,c\r\n1,2,3\r\n", oneCharAtATime);

        Assert.Equal([["a", "b", "c"], ["1", "2", "3"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2], records.Select(r => r.Line));
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_QuotedFields_KeepCommasDoubledQuotesAndLineBreaks(bool oneCharAtATime)
    {
        var text = "\"北京街道, 二号\",\"他说\"\"好\"\"\",\"第一行\r\n第二行\",\"a\nb\",\"\"\"\"\r\nnext,row,here,x,y\r\n";

        var records = await ReadAllAsync(text, oneCharAtATime);

        Assert.Equal(2, records.Count);
        Assert.Equal(["北京街道, 二号", "他说\"好\"", "第一行\r\n第二行", "a\nb", "\""], records[0].Fields);
        Assert.False(records[0].Malformed);
        // The first record spans lines 1-3; the next one starts on line 4.
        Assert.Equal([1, 4], records.Select(r => r.Line));
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_EmptyFields_AreKeptIncludingTrailingAndQuotedEmpty(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("a,,b\r\n,\"\",\r\n", oneCharAtATime);

        Assert.Equal([["a", "", "b"], ["", "", ""]], records.Select(r => r.Fields));
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_BareLfAndLoneCrLineEnds_AreAccepted(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("a,b\nc,d\re,f\r\ng,h", oneCharAtATime);

        Assert.Equal([["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]], records.Select(r => r.Fields));
        Assert.Equal([1, 2, 3, 4], records.Select(r => r.Line));
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_BlankLinesAndFinalLineBreak_YieldNoRecord(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("a,b\r\n\r\n\r\nc,d\r\n\r\n", oneCharAtATime);

        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Fields));
        Assert.Equal([1, 4], records.Select(r => r.Line));
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_NoFinalLineBreak_ReadsLastRecord(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("a,b\r\n\"c\",d", oneCharAtATime);

        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Fields));
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_TextAfterClosingQuote_FlagsOnlyThatRecordMalformed(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("\"ab\"c,d\r\ne,f\r\n", oneCharAtATime);

        Assert.Equal(["abc", "d"], records[0].Fields);
        Assert.True(records[0].Malformed);
        Assert.Equal(["e", "f"], records[1].Fields);
        Assert.False(records[1].Malformed);
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_QuoteInsideUnquotedField_IsKeptAsACharacter(bool oneCharAtATime)
    {
        var records = await ReadAllAsync("5\" disk,b\r\n", oneCharAtATime);

        Assert.Equal(["5\" disk", "b"], Assert.Single(records).Fields);
        Assert.False(records[0].Malformed);
    }

    [Theory]
    [MemberData(nameof(Chunking))]
    public async Task ReadAsync_QuoteNeverClosed_ThrowsNamingTheLineWhereTheRecordStarts(bool oneCharAtATime)
    {
        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync("a,b\r\nc,\"d\r\ne,f\r\n", oneCharAtATime));

        Assert.Equal(2, error.Line);
        Assert.Contains("not closed before the end of the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_RecordLongerThanLimit_ThrowsInsteadOfGrowing()
    {
        var text = "a,b\r\n\"" + new string('x', 500) + "\r\n";

        var error = await Assert.ThrowsAsync<CsvFormatException>(() => ReadAllAsync(text, oneCharAtATime: false, maxRecordChars: 100));

        Assert.Equal(2, error.Line);
        Assert.Contains("longer than 100 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_EmptyInput_YieldsNoRecord()
    {
        Assert.Empty(await ReadAllAsync("", oneCharAtATime: false));
    }

    private static async Task<List<(List<string> Fields, int Line, bool Malformed)>> ReadAllAsync(
        string text,
        bool oneCharAtATime,
        int maxRecordChars = CsvRecordReader.DefaultMaxRecordChars)
    {
        using TextReader source = oneCharAtATime ? new OneCharAtATimeReader(text) : new StringReader(text);
        var reader = new CsvRecordReader(source, maxRecordChars);
        var records = new List<(List<string>, int, bool)>();
        var fields = new List<string>();
        while (await reader.ReadAsync(fields, CancellationToken.None))
        {
            records.Add(([.. fields], reader.RecordLine, reader.RecordMalformed));
        }

        return records;
    }

    /// <summary>Hands out one character per read, as a slow stream or an unlucky buffer boundary would.</summary>
    private sealed class OneCharAtATimeReader(string text) : TextReader
    {
        private int _position;

        public override ValueTask<int> ReadAsync(Memory<char> buffer, CancellationToken cancellationToken = default)
        {
            if (_position == text.Length || buffer.IsEmpty)
            {
                return ValueTask.FromResult(0);
            }

            buffer.Span[0] = text[_position++];
            return ValueTask.FromResult(1);
        }
    }
}
