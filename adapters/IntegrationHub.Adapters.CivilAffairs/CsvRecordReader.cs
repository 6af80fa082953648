using System.Globalization;
using System.Text;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// A streaming RFC 4180 reader: one record at a time from a <see cref="TextReader"/>, through a fixed character
/// buffer, so memory stays flat whatever the file size. Fields are quoted only when needed; a quoted field may hold
/// commas, doubled quotes (<c>""</c>) and line breaks. Records end with CRLF, and a bare LF or CR is accepted too.
/// Blank lines between records are skipped.
/// </summary>
/// <remarks>
/// Leniencies, each deliberate: a quote inside an unquoted field is kept as a character; text after a closing quote
/// (<c>"ab"c</c>) is kept and the record is flagged <see cref="RecordMalformed"/>, so the caller can refuse that
/// record alone. What cannot be recovered throws <see cref="CsvFormatException"/>: a quoted field still open at the
/// end of the input (every later record would be swallowed into it), or a record longer than the limit (the same
/// mistake, caught before it costs memory).
/// </remarks>
internal sealed class CsvRecordReader
{
    /// <summary>The default longest record, in characters: a roster row is a few hundred.</summary>
    public const int DefaultMaxRecordChars = 1 << 16;

    private const int BufferChars = 1 << 15;

    private readonly TextReader _reader;
    private readonly int _maxRecordChars;
    private readonly char[] _buffer = new char[BufferChars];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private bool _endOfInput;

    /// <summary>The physical line (1-based) the next character is on.</summary>
    private int _line = 1;

    /// <summary>A CR ended the last line outside quotes: an LF right after it belongs to the same line break.</summary>
    private bool _skipLineFeed;

    /// <summary>The last character appended inside a quoted field was a CR (so a following LF is not a new line).</summary>
    private bool _quotedCarriageReturn;

    public CsvRecordReader(TextReader reader, int maxRecordChars = DefaultMaxRecordChars)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordChars, 1);
        _reader = reader;
        _maxRecordChars = maxRecordChars;
    }

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }

    /// <summary>The physical line (1-based) on which the record last read begins.</summary>
    public int RecordLine { get; private set; }

    /// <summary>The record last read had text after a closing quote; its fields are kept as read.</summary>
    public bool RecordMalformed { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/> (cleared first); false at the end of the input.</summary>
    /// <exception cref="CsvFormatException">A quoted field is not closed at the end of the input, or a record is too long.</exception>
    public async ValueTask<bool> ReadAsync(List<string> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Clear();
        _field.Clear();
        RecordMalformed = false;
        RecordLine = _line;
        var state = State.FieldStart;
        var recordChars = 0;

        while (true)
        {
            if (_position == _length)
            {
                if (!await FillAsync(cancellationToken))
                {
                    return EndOfInput(fields, state);
                }
            }

            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            var available = _buffer.AsSpan(_position, _length - _position);
            switch (state)
            {
                case State.FieldStart:
                {
                    var c = available[0];
                    if (c == '"')
                    {
                        _position++;
                        state = State.Quoted;
                    }
                    else if (c == ',')
                    {
                        _position++;
                        fields.Add("");
                    }
                    else if (c is '\r' or '\n')
                    {
                        ConsumeLineBreak(c);
                        if (fields.Count == 0)
                        {
                            // A blank line: not a record. The next record starts on the following line.
                            RecordLine = _line;
                            continue;
                        }

                        fields.Add("");
                        return true;
                    }
                    else
                    {
                        state = State.Unquoted;
                    }

                    break;
                }

                case State.Unquoted:
                {
                    var end = available.IndexOfAny(',', '\r', '\n');
                    var run = end < 0 ? available : available[..end];
                    Append(run, ref recordChars);
                    _position += run.Length;
                    if (end < 0)
                    {
                        break;
                    }

                    var c = available[end];
                    fields.Add(TakeField());
                    if (c == ',')
                    {
                        _position++;
                        state = State.FieldStart;
                        break;
                    }

                    ConsumeLineBreak(c);
                    return true;
                }

                case State.Quoted:
                {
                    var end = available.IndexOfAny('"', '\r', '\n');
                    var run = end < 0 ? available : available[..end];
                    if (!run.IsEmpty)
                    {
                        Append(run, ref recordChars);
                        _quotedCarriageReturn = false;
                        _position += run.Length;
                    }

                    if (end < 0)
                    {
                        break;
                    }

                    var c = available[end];
                    _position++;
                    if (c == '"')
                    {
                        _quotedCarriageReturn = false;
                        state = State.QuoteInQuoted;
                        break;
                    }

                    // A line break inside a quoted field is part of the value.
                    Append([c], ref recordChars);
                    if (c == '\r' || !_quotedCarriageReturn)
                    {
                        _line++;
                    }

                    _quotedCarriageReturn = c == '\r';
                    break;
                }

                case State.QuoteInQuoted:
                {
                    var c = available[0];
                    if (c == '"')
                    {
                        // A doubled quote: one quote character in the value.
                        _position++;
                        Append(['"'], ref recordChars);
                        state = State.Quoted;
                    }
                    else if (c == ',')
                    {
                        _position++;
                        fields.Add(TakeField());
                        state = State.FieldStart;
                    }
                    else if (c is '\r' or '\n')
                    {
                        ConsumeLineBreak(c);
                        fields.Add(TakeField());
                        return true;
                    }
                    else
                    {
                        // Text after the closing quote: keep it, and let the caller refuse the record.
                        RecordMalformed = true;
                        state = State.Unquoted;
                    }

                    break;
                }
            }
        }
    }

    private bool EndOfInput(List<string> fields, State state)
    {
        switch (state)
        {
            case State.FieldStart when fields.Count == 0:
                return false;
            case State.FieldStart:
                // The last line ended with a comma and no line break.
                fields.Add("");
                return true;
            case State.Quoted:
                throw new CsvFormatException(
                    RecordLine,
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"a quoted field opened in the record starting on line {RecordLine} is not closed before the end of the file"));
            default:
                fields.Add(TakeField());
                return true;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_endOfInput)
        {
            return false;
        }

        _position = 0;
        _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
        if (_length == 0)
        {
            _endOfInput = true;
            return false;
        }

        return true;
    }

    private void ConsumeLineBreak(char c)
    {
        _position++;
        _line++;
        _skipLineFeed = c == '\r';
    }

    private void Append(ReadOnlySpan<char> run, ref int recordChars)
    {
        recordChars += run.Length;
        if (recordChars > _maxRecordChars)
        {
            throw new CsvFormatException(
                RecordLine,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the record starting on line {RecordLine} is longer than {_maxRecordChars} characters (an unbalanced quote?)"));
        }

        _field.Append(run);
    }

    private string TakeField()
    {
        var value = _field.ToString();
        _field.Clear();
        return value;
    }
}

/// <summary>The CSV text cannot be split into records from <see cref="Line"/> on. The message carries no field value.</summary>
internal sealed class CsvFormatException : Exception
{
    public CsvFormatException()
    {
    }

    public CsvFormatException(string message)
        : base(message)
    {
    }

    public CsvFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CsvFormatException(int line, string message)
        : base(message)
    {
        Line = line;
    }

    /// <summary>The physical line on which the record that cannot be read begins.</summary>
    public int Line { get; }
}
