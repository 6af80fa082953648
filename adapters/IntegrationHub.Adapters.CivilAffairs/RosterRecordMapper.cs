using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.Adapters.CivilAffairs;

/// <summary>
/// Maps the data rows of one roster file (AGENCY-INTERFACES.md section 3) to <see cref="SourceRecord"/>s carrying an
/// <see cref="AssistanceFact"/>, or a <see cref="MappingProblem"/> when a row cannot be mapped. Problem messages name
/// the file, the line and the column, and show a bad value only when it cannot be an ID or a name.
/// </summary>
internal sealed class RosterRecordMapper : IDisposable
{
    public const string Dataset = "roster";

    /// <summary>Prefix of the source key of a row without a usable resident ID: a SHA-256 of its raw payload follows.</summary>
    public const string ContentKeyPrefix = "no-id:";

    /// <summary>What <see cref="GbkTextReader"/> puts in place of bytes that are not GBK.</summary>
    public const char Undecodable = GbkTextReader.Replacement;

    /// <summary>The payload property holding the fields of a row beyond the header's columns, as an array.</summary>
    public const string ExtraFieldsKey = "#extra";

    /// <summary>The payload property that is <c>true</c> when a quoted field of the row had text after its closing quote.</summary>
    public const string MalformedQuotingKey = "#malformed";

    /// <summary>A monthly amount must be below this many yuan.</summary>
    public const decimal MaxMonthlyAmount = 1_000_000m;

    /// <summary>The largest household size accepted.</summary>
    public const int MaxHouseholdSize = 99;

    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    // The payload keeps Chinese as UTF-8 text rather than \u escapes; it is stored encrypted, never put in HTML.
    private static readonly JsonWriterOptions PayloadOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, AssistanceType> TypeCodes = new(StringComparer.Ordinal)
    {
        ["低保"] = AssistanceType.MinimumLivingAllowance,
        ["低保边缘"] = AssistanceType.NearPoverty,
        ["特困"] = AssistanceType.ExtremePoverty,
        ["临时救助"] = AssistanceType.TemporaryRelief,
    };

    private static readonly Dictionary<string, AssistanceStatus> StatusCodes = new(StringComparer.Ordinal)
    {
        ["在保"] = AssistanceStatus.Active,
        ["停保"] = AssistanceStatus.Suspended,
        ["审核中"] = AssistanceStatus.UnderReview,
    };

    private static readonly CodedField TypeField = new(RosterHeader.AssistanceType, TypeCodes.Keys);
    private static readonly CodedField StatusField = new(RosterHeader.Status, StatusCodes.Keys);

    private static readonly SearchValues<char> ShowableChars = SearchValues.Create("0123456789.,:/+- ");

    private readonly RosterHeader _header;
    private readonly string _fileName;
    private readonly CodeMap _codes;
    private readonly ArrayBufferWriter<byte> _payload = new(512);
    private readonly Utf8JsonWriter _payloadWriter;

    /// <summary>The payload's property names, encoded once per file rather than once per row.</summary>
    private readonly JsonEncodedText[] _payloadKeys;

    /// <param name="codes">The operator's code mappings; none when null.</param>
    public RosterRecordMapper(RosterHeader header, string fileName, DateOnly day, CodeMap? codes = null)
        : this(header, fileName, DayStart(day), codes)
    {
    }

    private RosterRecordMapper(RosterHeader header, string fileName, DateTimeOffset asOf, CodeMap? codes)
    {
        _header = header;
        _fileName = fileName;
        _codes = codes ?? NoMappings;
        AsOf = asOf;
        _payloadWriter = new Utf8JsonWriter(_payload, PayloadOptions);
        _payloadKeys = [.. header.Keys.Select(k => JsonEncodedText.Encode(k, PayloadOptions.Encoder))];
    }

    /// <summary>
    /// The columns whose values come from the interface's lists: an operator may map a value it does not list onto one it
    /// does (<see cref="CivilAffairsAdapterOptions.CodeMappings"/>).
    /// </summary>
    public static IReadOnlyList<CodedField> CodedFields { get; } = [TypeField, StatusField];

    private static CodeMap NoMappings { get; } = CodeMap.Create(null, CodedFields, CivilAffairsAdapterOptions.SectionName);

    /// <summary>The snapshot day at 00:00 Asia/Shanghai: the agency time of every row of the file.</summary>
    public DateTimeOffset AsOf { get; }

    public void Dispose() => _payloadWriter.Dispose();

    public static DateTimeOffset DayStart(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), ChinaStandardTime);

    /// <summary>Maps one data row.</summary>
    /// <param name="fields">The row's fields as read.</param>
    /// <param name="line">The physical line the row starts on (the header is line 1).</param>
    /// <param name="malformedQuoting">The CSV reader found text after a closing quote in this row.</param>
    public SourceRecord Map(IReadOnlyList<string> fields, int line, bool malformedQuoting) =>
        Map(fields, Invariant($"line {line} of {_fileName}"), malformedQuoting, storedPayload: null);

    /// <summary>
    /// Maps a stored row again: <paramref name="raw"/> is the payload a read built (<see cref="Payload"/>), which carries
    /// the row's header with its values, so a replay needs neither the file nor GBK. The row's agency time (its file's
    /// day) is <paramref name="agencyTime"/>, and problem messages name the file of that day instead of a line. Bytes
    /// that are not such a payload come back as a <see cref="CivilAffairsProblemCodes.BadRecord"/> problem record keyed by
    /// their content.
    /// </summary>
    public static SourceRecord Remap(ReadOnlyMemory<byte> raw, DateTimeOffset agencyTime, CodeMap? codes = null)
    {
        // A fallback time at the very edge of the calendar cannot move to China Standard Time; its UTC day names the file.
        var day = agencyTime.UtcDateTime < DateTime.MaxValue - ChinaStandardTime
            ? DateOnly.FromDateTime(agencyTime.ToOffset(ChinaStandardTime).DateTime)
            : DateOnly.FromDateTime(agencyTime.UtcDateTime);
        var fileName = RosterFolder.FileName(day);
        var wrong = ReadPayload(raw, out var columns, out var fields, out var malformedQuoting);
        if (wrong is null)
        {
            var missing = RosterHeader.RequiredColumns.Where(c => !columns.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                wrong = $"it has no column {string.Join(", ", missing)}";
            }
        }

        RosterHeader? header = null;
        if (wrong is null)
        {
            try
            {
                header = RosterHeader.Parse(columns, fileName);
            }
            catch (AdapterException)
            {
                wrong = "it names a column of the interface twice";
            }
        }

        if (header is null)
        {
            return new SourceRecord
            {
                Dataset = Dataset,
                SourceKey = ContentKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(raw.Span)),
                RawPayload = raw,
                AgencyTime = agencyTime,
                Problem = new MappingProblem(CivilAffairsProblemCodes.BadRecord, $"the stored payload is not a roster row: {wrong}"),
            };
        }

        using var mapper = new RosterRecordMapper(header, fileName, agencyTime, codes);
        return mapper.Map(fields, $"a replayed row of {fileName}", malformedQuoting, raw);
    }

    private SourceRecord Map(IReadOnlyList<string> fields, string location, bool malformedQuoting, ReadOnlyMemory<byte>? storedPayload)
    {
        var raw = storedPayload ?? Payload(fields, malformedQuoting);
        var row = new Row(this, fields, location);

        var idColumn = _header[RosterHeader.ResidentId];
        var id = idColumn < fields.Count ? fields[idColumn] : null;
        var idUsable = !string.IsNullOrWhiteSpace(id) && !id.Contains(Undecodable, StringComparison.Ordinal);

        string? name = null;
        Fact? fact = null;
        if (fields.Count != _header.Count)
        {
            row.Add(
                CivilAffairsProblemCodes.BadRecord,
                Invariant($"the row has {fields.Count} fields where the header has {_header.Count} (an unquoted comma or line break in a value?)"));
        }
        else if (malformedQuoting)
        {
            row.Add(CivilAffairsProblemCodes.BadRecord, "a quoted field has text after its closing quote");
        }
        else
        {
            row.CheckEncoding();
            if (string.IsNullOrWhiteSpace(id))
            {
                row.Add(CivilAffairsProblemCodes.MissingField, $"{RosterHeader.ResidentId} is empty");
            }

            name = row.Text(RosterHeader.Name, trim: false);
            var type = row.Code(TypeField, TypeCodes);
            var status = row.Code(StatusField, StatusCodes);
            var amount = row.Amount(RosterHeader.MonthlyAmount);
            var householdSize = row.Count(RosterHeader.HouseholdSize);
            var approvedOn = row.Date(RosterHeader.ApprovedOn);
            var suspendedOn = row.Date(RosterHeader.SuspendedOn);
            var head = row.Text(RosterHeader.HeadOfHousehold, trim: false);
            var street = row.Text(RosterHeader.Street, trim: true);
            var district = row.Text(RosterHeader.District, trim: true);

            if (!row.HasProblems)
            {
                fact = new AssistanceFact
                {
                    Type = type!.Value,
                    Status = status!.Value,
                    MonthlyAmount = amount,
                    HouseholdSize = householdSize,
                    HeadOfHouseholdResidentId = head,
                    ApprovedOn = approvedOn,
                    SuspendedOn = suspendedOn,
                    Street = street,
                    District = district,
                };
            }
        }

        return new SourceRecord
        {
            Dataset = Dataset,
            SourceKey = idUsable ? id! : ContentKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(raw.Span)),
            SourceKeyIsResidentId = idUsable,
            RawPayload = raw,
            AgencyTime = AsOf,
            ResidentId = idUsable ? id : null,
            Name = name,
            Fact = fact,
            Problem = row.ToProblem(),
        };
    }

    /// <summary>
    /// The row as a UTF-8 JSON object of header name to value (always a string), in file order, so that a replay needs
    /// neither the file nor GBK. What makes a row structurally bad is kept too, under properties no column can be
    /// mistaken for, since a column's value is always a string: the columns a short row lacks are <c>null</c>; fields
    /// beyond the header's columns are an array under <see cref="ExtraFieldsKey"/>; text after a closing quote is
    /// <see cref="MalformedQuotingKey"/> <c>true</c>. A well-formed row has none of these.
    /// </summary>
    private byte[] Payload(IReadOnlyList<string> fields, bool malformedQuoting)
    {
        _payload.ResetWrittenCount();
        _payloadWriter.Reset(_payload);
        _payloadWriter.WriteStartObject();
        for (var i = 0; i < _payloadKeys.Length; i++)
        {
            if (i < fields.Count)
            {
                _payloadWriter.WriteString(_payloadKeys[i], fields[i]);
            }
            else
            {
                _payloadWriter.WriteNull(_payloadKeys[i]);
            }
        }

        if (fields.Count > _payloadKeys.Length)
        {
            _payloadWriter.WriteStartArray(ExtraFieldsKey);
            for (var i = _payloadKeys.Length; i < fields.Count; i++)
            {
                _payloadWriter.WriteStringValue(fields[i]);
            }

            _payloadWriter.WriteEndArray();
        }

        if (malformedQuoting)
        {
            _payloadWriter.WriteBoolean(MalformedQuotingKey, true);
        }

        _payloadWriter.WriteEndObject();
        _payloadWriter.Flush();
        return _payload.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads a payload <see cref="Payload"/> wrote back into the header's column names and the row's fields; null when it
    /// is one, otherwise what is wrong with it (never a value from it).
    /// </summary>
    private static string? ReadPayload(ReadOnlyMemory<byte> raw, out List<string> columns, out List<string> fields, out bool malformedQuoting)
    {
        columns = [];
        fields = [];
        malformedQuoting = false;
        try
        {
            using var document = JsonDocument.Parse(raw);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return "it is not a JSON object";
            }

            var lacking = false;
            var extras = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String when lacking:
                        return "a column has a value after a column the row lacks";
                    case JsonValueKind.String:
                        columns.Add(property.Name);
                        fields.Add(property.Value.GetString()!);
                        break;
                    case JsonValueKind.Null:
                        columns.Add(property.Name);
                        lacking = true;
                        break;
                    case JsonValueKind.Array when property.NameEquals(ExtraFieldsKey):
                        foreach (var extra in property.Value.EnumerateArray())
                        {
                            if (extra.ValueKind != JsonValueKind.String)
                            {
                                return $"{ExtraFieldsKey} holds a value that is not a string";
                            }

                            extras.Add(extra.GetString()!);
                        }

                        break;
                    case JsonValueKind.True when property.NameEquals(MalformedQuotingKey):
                        malformedQuoting = true;
                        break;
                    default:
                        return "a property is neither a column's text, null for a column the row lacks, "
                            + $"{ExtraFieldsKey} nor {MalformedQuotingKey}";
                }
            }

            if (lacking && extras.Count > 0)
            {
                return $"it has both columns the row lacks and {ExtraFieldsKey}";
            }

            fields.AddRange(extras);
            return null;
        }
        catch (JsonException)
        {
            return "it is not JSON";
        }
        catch (InvalidOperationException)
        {
            // Property names or strings that are not text (invalid UTF-8, a lone surrogate escape).
            return "it holds a string that is not text";
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// True when a value cannot be personal data: short, only digits and date or number punctuation, and too few
    /// digits to be (part of) a resident ID. Letters and Chinese are never shown: they could be a name.
    /// </summary>
    private static bool IsSafeToShow(string value)
    {
        if (value.Length is 0 or > 20 || value.AsSpan().ContainsAnyExcept(ShowableChars))
        {
            return false;
        }

        var digits = 0;
        foreach (var c in value)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return digits <= 10;
    }

    private static string Show(string value) =>
        IsSafeToShow(value) ? $"\"{value}\"" : Invariant($"(a value of {value.Length} characters, not shown)");

    /// <summary>Reads the columns of one structurally sound row and collects every problem, in column order.</summary>
    /// <param name="location">Where the row is, for messages: <c>line 12 of MZ_JZ_20261128.csv</c>.</param>
    private sealed class Row(RosterRecordMapper mapper, IReadOnlyList<string> fields, string location)
    {
        private readonly List<(string Code, string Message)> _problems = [];
        private HashSet<string>? _undecodable;

        public bool HasProblems => _problems.Count > 0;

        public void Add(string code, string message) => _problems.Add((code, message));

        public MappingProblem? ToProblem() =>
            _problems.Count == 0
                ? null
                : new MappingProblem(
                    _problems[0].Code,
                    location + ": " + string.Join("; ", _problems.Select(p => p.Message)));

        /// <summary>Flags every column holding bytes that are not GBK; those columns are not read further.</summary>
        public void CheckEncoding()
        {
            for (var i = 0; i < fields.Count; i++)
            {
                if (fields[i].Contains(Undecodable, StringComparison.Ordinal))
                {
                    (_undecodable ??= new HashSet<string>(StringComparer.Ordinal)).Add(mapper._header.Keys[i]);
                }
            }

            if (_undecodable is not null)
            {
                Add(
                    CivilAffairsProblemCodes.BadEncoding,
                    $"{string.Join(", ", mapper._header.Keys.Where(_undecodable.Contains))} holds bytes that are not GBK");
            }
        }

        /// <summary>A text column; empty (or blank) reads as null, and so does an undecodable one.</summary>
        public string? Text(string column, bool trim)
        {
            var value = Raw(column);
            if (value is null || string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            return trim ? value.Trim() : value;
        }

        /// <summary>A coded column: a documented value, or an undocumented one the operator mapped; otherwise a problem naming the setting that maps it.</summary>
        public T? Code<T>(CodedField field, Dictionary<string, T> codes)
            where T : struct
        {
            var column = field.Name;
            var expected = field.Expected;
            var value = Raw(column)?.Trim();
            if (value is null)
            {
                return null;
            }

            if (value.Length == 0)
            {
                Add(CivilAffairsProblemCodes.MissingField, $"{column} is empty (expected {expected})");
                return null;
            }

            if (mapper._codes.TryResolve(field, codes, value, out var code))
            {
                return code;
            }

            var shown = IsSafeToShowCode(value);
            Add(
                CivilAffairsProblemCodes.UnknownCode,
                $"{column} has an unknown code {(shown ? $"\"{value}\"" : Show(value))} (expected {expected}); {mapper._codes.Hint(field, shown ? value : null)}");
            return null;
        }

        /// <summary>
        /// Yuan with at most two decimals, invariant culture, no sign or grouping, below one million (a monthly
        /// allowance; anything larger is another value in the wrong column); empty is unknown.
        /// </summary>
        public decimal? Amount(string column)
        {
            var value = Raw(column)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
                && decimal.Round(amount, 2) == amount
                && amount < MaxMonthlyAmount)
            {
                return amount;
            }

            Add(CivilAffairsProblemCodes.BadNumber, $"{column} is not an amount in yuan below 1000000 with at most two decimals: {Show(value)}");
            return null;
        }

        /// <summary>A whole number from 1 to 99; empty is unknown.</summary>
        public int? Count(string column)
        {
            var value = Raw(column)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count is >= 1 and <= MaxHouseholdSize)
            {
                return count;
            }

            Add(CivilAffairsProblemCodes.BadNumber, $"{column} is not a whole number from 1 to 99: {Show(value)}");
            return null;
        }

        /// <summary>A date <c>yyyy-MM-dd</c>; empty is unknown.</summary>
        public DateOnly? Date(string column)
        {
            var value = Raw(column)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Add(CivilAffairsProblemCodes.BadDate, $"{column} is not a date of the form yyyy-MM-dd: {Show(value)}");
            return null;
        }

        /// <summary>
        /// Whether an unknown code may be shown, so that an operator can map it: the codes are Chinese words, so, unlike
        /// other values, Chinese is shown, but only a short word of Chinese, letters and at most 4 digits that is not part
        /// of this row's name and does not hold it (a name shifted into the column). An ID or a date never passes.
        /// </summary>
        private bool IsSafeToShowCode(string value)
        {
            if (value.Length is 0 or > 10 || value.Count(char.IsAsciiDigit) > 4)
            {
                return false;
            }

            foreach (var c in value)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not (>= '\u4e00' and <= '\u9fff'))
                {
                    return false;
                }
            }

            var name = Raw(RosterHeader.Name)?.Trim();
            return string.IsNullOrEmpty(name) || (!value.Contains(name, StringComparison.Ordinal) && !name.Contains(value, StringComparison.Ordinal));
        }

        /// <summary>The column's value as read; null when it holds undecodable bytes (already a problem).</summary>
        private string? Raw(string column)
        {
            var value = fields[mapper._header[column]];
            return _undecodable is not null && _undecodable.Contains(column) ? null : value;
        }
    }
}

/// <summary>The reason codes of <see cref="MappingProblem"/> the civil-affairs adapter produces.</summary>
public static class CivilAffairsProblemCodes
{
    /// <summary>A code outside the interface's lists (<c>救助类型</c>, <c>保障状态</c>).</summary>
    public const string UnknownCode = "UNKNOWN_CODE";

    /// <summary>An amount (<c>月保障金额</c>) or a count (<c>家庭人口</c>) that does not parse.</summary>
    public const string BadNumber = "BAD_NUMBER";

    /// <summary>A date that is not <c>yyyy-MM-dd</c>.</summary>
    public const string BadDate = "BAD_DATE";

    /// <summary>The row cannot be split into the header's columns: a wrong number of fields, or broken quoting; on replay, a stored payload that is not a roster row.</summary>
    public const string BadRecord = "BAD_RECORD";

    /// <summary>The row holds bytes that are not GBK (decoded as U+FFFD).</summary>
    public const string BadEncoding = "BAD_ENCODING";

    /// <summary>A required value is empty: <c>身份证号</c>, <c>救助类型</c> or <c>保障状态</c>.</summary>
    public const string MissingField = "MISSING_FIELD";
}
