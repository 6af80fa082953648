using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IntegrationHub.Adapters.Justice;

/// <summary>The columns of <c>sq_jdkf_case</c> (AGENCY-INTERFACES.md section 2), in the order they are read and written.</summary>
internal static class JusticeColumns
{
    public const string Table = "sq_jdkf_case";

    public const int Ajbh = 0;
    public const int Sfzh = 1;
    public const int Xm = 2;
    public const int Ajlx = 3;
    public const int Jdrq = 4;
    public const int Bdrq = 5;
    public const int Qsrq = 6;
    public const int Jzrq = 7;
    public const int Zxdq = 8;
    public const int Zxjd = 9;
    public const int Ajzt = 10;
    public const int UpdateTime = 11;
    public const int IsDeleted = 12;

    /// <summary>Every column, in table order: the order of a row's values and of its raw payload's properties.</summary>
    public static IReadOnlyList<string> All { get; } =
        ["ajbh", "sfzh", "xm", "ajlx", "jdrq", "bdrq", "qsrq", "jzrq", "zxdq", "zxjd", "ajzt", "update_time", "is_deleted"];
}

/// <summary>JSON settings shared by the cursor and the raw payload.</summary>
internal static class JusticeJson
{
    /// <summary>Chinese text stays readable UTF-8 ("江南中街道", not "\u6C5F…"); nothing here is embedded in HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>A mapped row and its place in the watermark order; no place when its update_time cannot be read.</summary>
internal sealed record MappedRow(SourceRecord Record, JusticeWatermark? Position);

/// <summary>
/// Maps one row of <c>sq_jdkf_case</c>, every column read as text (null for SQL NULL), to a <see cref="SourceRecord"/>
/// carrying a <see cref="RehabCaseFact"/>. A value that cannot be mapped makes the row a problem record (no fact)
/// instead of failing the read. Problem messages name the column and show a bad value only when it cannot be
/// personal data: never <c>sfzh</c> or <c>xm</c>.
/// </summary>
internal static class JusticeRecordMapper
{
    public const string Dataset = JusticeColumns.Table;

    /// <summary>Prefix of the source key of a row without <c>ajbh</c>: a SHA-256 of its raw payload follows.</summary>
    public const string MissingKeyPrefix = "no-ajbh:";

    private const string DatePattern = "yyyy-MM-dd";

    private static readonly Dictionary<string, CaseType> CaseTypes = new(StringComparer.Ordinal)
    {
        ["SQJD"] = CaseType.CommunityDetox,
        ["SQKF"] = CaseType.CommunityRehab,
        ["QZGL"] = CaseType.CompulsoryIsolation,
    };

    private static readonly Dictionary<string, CaseStatus> CaseStatuses = new(StringComparer.Ordinal)
    {
        ["01"] = CaseStatus.AwaitingReportIn,
        ["02"] = CaseStatus.Executing,
        ["03"] = CaseStatus.Completed,
        ["04"] = CaseStatus.SeriousBreach,
        ["05"] = CaseStatus.Absconded,
        ["06"] = CaseStatus.TransferredToIsolation,
        ["07"] = CaseStatus.Suspended,
        ["08"] = CaseStatus.Terminated,
    };

    private static readonly Dictionary<string, bool> DeletedFlags = new(StringComparer.Ordinal)
    {
        ["0"] = false,
        ["1"] = true,
    };

    private static readonly CodedField Ajlx = new("ajlx", CaseTypes.Keys);
    private static readonly CodedField Ajzt = new("ajzt", CaseStatuses.Keys);
    private static readonly CodedField IsDeleted = new("is_deleted", DeletedFlags.Keys);

    /// <summary>
    /// The columns whose values come from the interface's lists: an operator may map a value it does not list onto one
    /// it does (<see cref="JusticeAdapterOptions.CodeMappings"/>).
    /// </summary>
    public static IReadOnlyList<CodedField> CodedFields { get; } = [Ajlx, Ajzt, IsDeleted];

    private static readonly CodeMap NoMappings = CodeMap.Create(null, CodedFields, JusticeAdapterOptions.SectionName);

    /// <param name="row">The row's values in <see cref="JusticeColumns.All"/> order.</param>
    /// <param name="fallbackTime">The agency time of a row whose <c>update_time</c> cannot be read: the read's watermark.</param>
    /// <param name="codes">The operator's code mappings; none when null.</param>
    /// <param name="storedPayload">On a replay, the payload the row was read from (kept as the record's bytes); null on a read.</param>
    public static MappedRow Map(
        IReadOnlyList<string?> row,
        DateTimeOffset fallbackTime,
        CodeMap? codes = null,
        ReadOnlyMemory<byte>? storedPayload = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Count != JusticeColumns.All.Count)
        {
            throw new ArgumentException($"A {JusticeColumns.Table} row has {JusticeColumns.All.Count} values.", nameof(row));
        }

        var raw = storedPayload ?? Payload(row);
        var reader = new RowReader(row, codes ?? NoMappings);

        var ajbh = reader.Required(JusticeColumns.Ajbh);
        var updateTimeText = reader.Required(JusticeColumns.UpdateTime);
        DateTime? updateTime = null;
        if (updateTimeText is not null)
        {
            if (JusticeTime.TryParse(updateTimeText, out var parsed))
            {
                updateTime = parsed;
            }
            else
            {
                reader.Add(JusticeProblemCodes.BadDate, $"update_time is not a time of the form {JusticeTime.Pattern}: {reader.Show(updateTimeText)}");
            }
        }

        var withdrawn = reader.Code(JusticeColumns.IsDeleted, IsDeleted, DeletedFlags) ?? false;
        var residentId = reader.Identity(JusticeColumns.Sfzh);
        var name = reader.Identity(JusticeColumns.Xm);

        var type = reader.Code(JusticeColumns.Ajlx, Ajlx, CaseTypes);
        var decidedOn = reader.RequiredDate(JusticeColumns.Jdrq);
        var reportedOn = reader.OptionalDate(JusticeColumns.Bdrq);
        var termStart = reader.OptionalDate(JusticeColumns.Qsrq);
        var termEnd = reader.OptionalDate(JusticeColumns.Jzrq);
        var district = reader.Optional(JusticeColumns.Zxdq);
        var street = reader.Optional(JusticeColumns.Zxjd);
        var status = reader.Code(JusticeColumns.Ajzt, Ajzt, CaseStatuses);

        var problem = reader.ToProblem();
        var fact = problem is null
            ? new RehabCaseFact
            {
                Type = type!.Value,
                DecidedOn = decidedOn!.Value,
                ReportedOn = reportedOn,
                TermStart = termStart,
                TermEnd = termEnd,
                ExecutingDistrict = district,
                ExecutingStreet = street,
                Status = status!.Value,
            }
            : null;

        var record = new SourceRecord
        {
            Dataset = Dataset,
            SourceKey = ajbh ?? KeyFromContent(raw.Span),
            RawPayload = raw,
            AgencyTime = updateTime is { } local ? JusticeTime.ToInstant(local) : fallbackTime,
            Withdrawn = withdrawn,
            ResidentId = residentId,
            Name = name,
            Fact = fact,
            Problem = problem,
        };

        JusticeWatermark? position = updateTime is { } time ? new JusticeWatermark(time, ajbh ?? "") : null;
        return new MappedRow(record, position);
    }

    /// <summary>
    /// The row as a JSON object of its columns' text, in table order, UTF-8: the same row gives the same bytes from
    /// SQLite and from PostgreSQL, so an unchanged re-send has an unchanged content hash.
    /// </summary>
    public static ReadOnlyMemory<byte> Payload(IReadOnlyList<string?> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, JusticeJson.WriterOptions))
        {
            writer.WriteStartObject();
            for (var i = 0; i < JusticeColumns.All.Count; i++)
            {
                if (row[i] is { } value)
                {
                    writer.WriteString(JusticeColumns.All[i], value);
                }
                else
                {
                    writer.WriteNull(JusticeColumns.All[i]);
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    /// <summary>
    /// Maps a stored row again: <paramref name="raw"/> is the payload a read built (<see cref="Payload"/>). Bytes that are
    /// not such an object (not JSON, a column missing, a value neither text nor null) come back as a
    /// <see cref="JusticeProblemCodes.BadRecord"/> problem record keyed by their content. Properties that are not
    /// columns are ignored.
    /// </summary>
    public static SourceRecord Remap(ReadOnlyMemory<byte> raw, DateTimeOffset fallbackTime, CodeMap? codes = null)
    {
        var row = new string?[JusticeColumns.All.Count];
        string? wrong = null;
        try
        {
            using var document = JsonDocument.Parse(raw);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                wrong = "it is not a JSON object";
            }
            else
            {
                for (var i = 0; i < row.Length && wrong is null; i++)
                {
                    var column = JusticeColumns.All[i];
                    if (!root.TryGetProperty(column, out var value))
                    {
                        wrong = $"it has no column {column}";
                    }
                    else if (value.ValueKind is JsonValueKind.String or JsonValueKind.Null)
                    {
                        row[i] = value.GetString();
                    }
                    else
                    {
                        wrong = $"its column {column} is neither text nor null";
                    }
                }
            }
        }
        catch (JsonException)
        {
            wrong = "it is not JSON";
        }
        catch (InvalidOperationException)
        {
            // GetString found bytes that are not UTF-8 or an escaped lone surrogate, which the parser lets through.
            wrong = "a column's string is not text";
        }

        if (wrong is not null)
        {
            return new SourceRecord
            {
                Dataset = Dataset,
                SourceKey = KeyFromContent(raw.Span),
                RawPayload = raw,
                AgencyTime = fallbackTime,
                Problem = new MappingProblem(JusticeProblemCodes.BadRecord, $"the stored payload is not a {JusticeColumns.Table} row: {wrong}"),
            };
        }

        return Map(row, fallbackTime, codes, raw).Record;
    }

    /// <summary>A stable key for a row without <c>ajbh</c>: the same content always gets the same key.</summary>
    public static string KeyFromContent(ReadOnlySpan<byte> raw) =>
        MissingKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(raw));

    /// <summary>Reads the columns of one row and collects every problem found, in column order.</summary>
    private sealed class RowReader
    {
        private readonly IReadOnlyList<string?> _row;
        private readonly CodeMap _codes;
        private readonly List<(string Code, string Message)> _problems = [];

        /// <summary>Values that must never appear in a message: this row's resident ID and name.</summary>
        private readonly List<string> _secrets = [];

        public RowReader(IReadOnlyList<string?> row, CodeMap codes)
        {
            _row = row;
            _codes = codes;
            foreach (var column in (ReadOnlySpan<int>)[JusticeColumns.Sfzh, JusticeColumns.Xm])
            {
                if (!string.IsNullOrWhiteSpace(row[column]))
                {
                    _secrets.Add(row[column]!.Trim());
                }
            }
        }

        public void Add(string code, string message) => _problems.Add((code, message));

        public MappingProblem? ToProblem() =>
            _problems.Count == 0 ? null : new MappingProblem(_problems[0].Code, string.Join("; ", _problems.Select(p => p.Message)));

        /// <summary>A NOT NULL column; null, empty or blank is a problem.</summary>
        public string? Required(int column)
        {
            var value = _row[column];
            if (value is null)
            {
                Add(JusticeProblemCodes.MissingField, $"{Name(column)} is missing (NULL)");
                return null;
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                Add(JusticeProblemCodes.MissingField, $"{Name(column)} is empty");
                return null;
            }

            return value;
        }

        /// <summary><c>sfzh</c> or <c>xm</c> exactly as sent; missing is a problem, but the value is kept as sent.</summary>
        public string? Identity(int column)
        {
            var value = _row[column];
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(JusticeProblemCodes.MissingField, value is null ? $"{Name(column)} is missing (NULL)" : $"{Name(column)} is empty");
            }

            return value;
        }

        /// <summary>A nullable column; NULL, empty and blank read as null.</summary>
        public string? Optional(int column) => string.IsNullOrWhiteSpace(_row[column]) ? null : _row[column];

        /// <summary>A coded column: a documented value, or an undocumented one the operator mapped; otherwise a problem naming the setting that maps it.</summary>
        public T? Code<T>(int column, CodedField field, Dictionary<string, T> codes)
            where T : struct
        {
            var text = Required(column);
            if (text is null)
            {
                return null;
            }

            if (_codes.TryResolve(field, codes, text, out var value))
            {
                return value;
            }

            Add(
                JusticeProblemCodes.UnknownCode,
                $"{Name(column)} has unknown code {Show(text)} (expected {field.Expected}); {_codes.Hint(field, IsSafeToShow(text) ? text : null)}");
            return null;
        }

        public DateOnly? RequiredDate(int column)
        {
            var text = Required(column);
            return text is null ? null : ParseDate(column, text);
        }

        public DateOnly? OptionalDate(int column)
        {
            var text = Optional(column);
            return text is null ? null : ParseDate(column, text);
        }

        /// <summary>The value in quotes when it cannot be personal data; otherwise only its length.</summary>
        public string Show(string value) =>
            IsSafeToShow(value) ? $"\"{value}\"" : $"(a value of {value.Length} characters, not shown)";

        private DateOnly? ParseDate(int column, string text)
        {
            if (DateOnly.TryParseExact(text, DatePattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Add(JusticeProblemCodes.BadDate, $"{Name(column)} is not a date of the form {DatePattern}: {Show(text)}");
            return null;
        }

        /// <summary>
        /// Codes and dates are shown; anything that could be an ID number or a name typed into the wrong column is
        /// not: non-ASCII text, long digit runs, long values, and anything containing this row's <c>sfzh</c> or <c>xm</c>.
        /// </summary>
        private bool IsSafeToShow(string value)
        {
            if (value.Length > 40)
            {
                return false;
            }

            var digitRun = 0;
            foreach (var c in value)
            {
                digitRun = char.IsAsciiDigit(c) ? digitRun + 1 : 0;
                var allowed = char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or ':' or '+' or '.' or '/' or '_';
                if (!allowed || digitRun >= 15)
                {
                    return false;
                }
            }

            return !_secrets.Exists(secret => value.Contains(secret, StringComparison.Ordinal));
        }

        private static string Name(int column) => JusticeColumns.All[column];
    }
}

/// <summary>The reason codes of <see cref="MappingProblem"/> the justice adapter produces.</summary>
public static class JusticeProblemCodes
{
    /// <summary>A NOT NULL column is NULL, empty or blank (<c>ajbh</c>, <c>sfzh</c>, <c>xm</c>, <c>ajlx</c>, <c>jdrq</c>, <c>ajzt</c>, <c>update_time</c>, <c>is_deleted</c>).</summary>
    public const string MissingField = "MISSING_FIELD";

    /// <summary>A code outside the interface's list (<c>ajlx</c>, <c>ajzt</c>, <c>is_deleted</c>).</summary>
    public const string UnknownCode = "UNKNOWN_CODE";

    /// <summary>A date or time that does not parse exactly in its documented form.</summary>
    public const string BadDate = "BAD_DATE";

    /// <summary>A replayed payload that is not a row of the table (never produced by a read).</summary>
    public const string BadRecord = "BAD_RECORD";
}
