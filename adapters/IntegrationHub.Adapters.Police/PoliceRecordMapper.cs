using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace IntegrationHub.Adapters.Police;

/// <summary>A mapped item and its position in the police stream; null when the item has no usable (gxsj, rybh).</summary>
internal sealed record MappedItem(SourceRecord Record, PoliceWatermark? Position);

/// <summary>
/// Maps one <c>xdry</c> item (AGENCY-INTERFACES.md section 1) to a <see cref="SourceRecord"/>. A value that cannot be
/// mapped makes the record a problem record (no fact) instead of failing the read. Problem messages name the field
/// and, where it is safe, the bad value; they never carry the resident ID, a name or the birth date.
/// </summary>
internal static class PoliceRecordMapper
{
    public const string Dataset = "xdry";

    /// <summary>Prefix of the source key of an item without <c>rybh</c>: a SHA-256 of the raw item follows.</summary>
    public const string MissingKeyPrefix = "no-rybh:";

    /// <param name="codes">The operator's code mappings; none when null.</param>
    public static MappedItem Map(JsonElement item, ReadOnlyMemory<byte> raw, DateTimeOffset fallbackTime, CodeMap? codes = null)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new MappedItem(ProblemRecord(raw, fallbackTime, $"the item is a JSON {Describe(item.ValueKind)}, not an object"), Position: null);
        }

        var reader = new ItemReader(item, codes ?? NoMappings);

        var rybh = reader.Required("rybh");
        var gxsjText = reader.Required("gxsj");
        DateTimeOffset? gxsj = null;
        if (gxsjText is not null)
        {
            if (PoliceTime.TryParse(gxsjText, out var parsed))
            {
                gxsj = parsed;
            }
            else
            {
                reader.Add(PoliceProblemCodes.BadDate, $"gxsj is not an ISO-8601 time with offset: {reader.Show(gxsjText)}");
            }
        }

        var withdrawn = reader.Code(Scbz, ScbzCodes) ?? false;
        var residentId = reader.ResidentId();
        var name = reader.Name();

        var sex = reader.Code(Xb, SexCodes);
        var birthDate = reader.Date("csrq", "yyyyMMdd", showValue: false);
        var registeredDistrict = reader.Optional("hjdqh");
        var residenceDistrict = reader.Required("jzdqh");
        var residenceStreet = reader.Optional("jzjd");
        var gridCode = reader.Required("wgbm", emptyAllowed: true);
        var grade = reader.Code(Fxdj, GradeCodes, emptyAllowed: true);
        var gradedOn = reader.Date("pgrq", "yyyy-MM-dd", showValue: true);
        var status = reader.Code(Gkzt, StatusCodes);
        var responsible = reader.ResponsiblePeople();
        var latestTest = reader.DrugTest();
        var firstRegistered = reader.Date("cclrrq", "yyyy-MM-dd", showValue: true);

        var problem = reader.ToProblem();
        Fact? fact = null;
        if (problem is null)
        {
            fact = new PoliceRegistrationFact
            {
                Sex = sex!.Value,
                BirthDate = birthDate,
                RegisteredDistrict = registeredDistrict,
                ResidenceDistrict = residenceDistrict!,
                ResidenceStreet = residenceStreet,
                GridCode = gridCode is "" ? null : gridCode,
                Grade = grade!.Value,
                GradedOn = gradedOn,
                Status = status!.Value,
                ResponsiblePeople = responsible!,
                LatestTest = latestTest,
                FirstRegisteredOn = firstRegistered,
            };
        }

        var record = new SourceRecord
        {
            Dataset = Dataset,
            SourceKey = rybh ?? KeyFromContent(raw.Span),
            RawPayload = raw,
            AgencyTime = gxsj ?? fallbackTime,
            Withdrawn = withdrawn,
            ResidentId = residentId,
            Name = name,
            Fact = fact,
            Problem = problem,
        };

        PoliceWatermark? position = rybh is not null && gxsj is { } time ? new PoliceWatermark(time, rybh) : null;
        return new MappedItem(record, position);
    }

    /// <summary>
    /// Maps a stored item again: <paramref name="raw"/> is the item's JSON as a read handed it over. Bytes that are not one
    /// JSON value come back as a <see cref="PoliceProblemCodes.BadRecord"/> problem record keyed by their content.
    /// </summary>
    public static SourceRecord Remap(ReadOnlyMemory<byte> raw, DateTimeOffset fallbackTime, CodeMap? codes = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw);
        }
        catch (JsonException)
        {
            return ProblemRecord(raw, fallbackTime, "the stored payload is not a JSON item");
        }

        using (document)
        {
            return Map(document.RootElement, raw, fallbackTime, codes).Record;
        }
    }

    /// <summary>
    /// A JSON string's text; false when it is not text: bytes that are not UTF-8, or an escaped lone surrogate
    /// (<c>"\ud800"</c>). The parser lets both through and only <see cref="JsonElement.GetString"/> finds them, by throwing.
    /// </summary>
    public static bool TryGetText(JsonElement value, out string? text)
    {
        try
        {
            text = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>A stable key for an item that has no <c>rybh</c>: the same content always gets the same key.</summary>
    public static string KeyFromContent(ReadOnlySpan<byte> raw) =>
        MissingKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(raw));

    private static SourceRecord ProblemRecord(ReadOnlyMemory<byte> raw, DateTimeOffset time, string message) => new()
    {
        Dataset = Dataset,
        SourceKey = KeyFromContent(raw.Span),
        RawPayload = raw,
        AgencyTime = time,
        Problem = new MappingProblem(PoliceProblemCodes.BadRecord, message),
    };

    private static readonly Dictionary<string, bool> ScbzCodes = new(StringComparer.Ordinal)
    {
        ["0"] = false,
        ["1"] = true,
    };

    private static readonly Dictionary<string, Sex> SexCodes = new(StringComparer.Ordinal)
    {
        ["1"] = Sex.Male,
        ["2"] = Sex.Female,
        ["9"] = Sex.Unknown,
    };

    private static readonly Dictionary<string, RiskGrade> GradeCodes = new(StringComparer.Ordinal)
    {
        [""] = RiskGrade.None,
        ["1"] = RiskGrade.Extreme,
        ["2"] = RiskGrade.High,
        ["3"] = RiskGrade.Medium,
        ["4"] = RiskGrade.Low,
    };

    private static readonly Dictionary<string, ControlStatus> StatusCodes = new(StringComparer.Ordinal)
    {
        ["10"] = ControlStatus.InCommunity,
        ["20"] = ControlStatus.CompulsoryIsolation,
        ["30"] = ControlStatus.Detained,
        ["40"] = ControlStatus.LostContact,
        ["50"] = ControlStatus.Deceased,
        ["60"] = ControlStatus.ReleasedFromControl,
    };

    private static readonly Dictionary<string, ResponsibleRole> RoleCodes = new(StringComparer.Ordinal)
    {
        ["MJ"] = ResponsibleRole.PoliceOfficer,
        ["ZG"] = ResponsibleRole.AntiDrugWorker,
        ["SG"] = ResponsibleRole.SocialWorker,
        ["WGY"] = ResponsibleRole.GridWorker,
        ["JS"] = ResponsibleRole.FamilyMember,
        ["GB"] = ResponsibleRole.PairedCadre,
    };

    private static readonly Dictionary<string, DrugTestResult> TestResultCodes = new(StringComparer.Ordinal)
    {
        ["阴性"] = DrugTestResult.Negative,
        ["阳性"] = DrugTestResult.Positive,
    };

    private static readonly CodedField Scbz = new("scbz", ScbzCodes.Keys);
    private static readonly CodedField Xb = new("xb", SexCodes.Keys);
    private static readonly CodedField Fxdj = new("fxdj", GradeCodes.Keys);
    private static readonly CodedField Gkzt = new("gkzt", StatusCodes.Keys);
    private static readonly CodedField Js = new("js", RoleCodes.Keys);
    private static readonly CodedField Zjjcjg = new("zjjcjg", TestResultCodes.Keys);

    /// <summary>
    /// The fields whose values come from the interface's lists: an operator may map a value it does not list onto one it
    /// does (<see cref="PoliceAdapterOptions.CodeMappings"/>). <c>js</c> is the role of each <c>gkry</c> entry.
    /// </summary>
    public static IReadOnlyList<CodedField> CodedFields { get; } = [Scbz, Xb, Fxdj, Gkzt, Js, Zjjcjg];

    private static readonly CodeMap NoMappings = CodeMap.Create(null, CodedFields, PoliceAdapterOptions.SectionName);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    /// <summary>Reads the fields of one item and collects every problem found, in field order.</summary>
    private sealed class ItemReader
    {
        private readonly JsonElement _item;
        private readonly CodeMap _codes;
        private readonly List<(string Code, string Message)> _problems = [];

        /// <summary>Values that must never appear in a message: this record's resident ID and the names in it.</summary>
        private readonly List<string> _secrets = [];

        public ItemReader(JsonElement item, CodeMap codes)
        {
            _item = item;
            _codes = codes;
            foreach (var field in (ReadOnlySpan<string>)["sfzh", "xm"])
            {
                if (_item.TryGetProperty(field, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    AddSecret(value.ValueKind == JsonValueKind.String ? (TryGetText(value, out var text) ? text : null) : value.GetRawText());
                }
            }

            if (_item.TryGetProperty("gkry", out var people) && people.ValueKind == JsonValueKind.Array)
            {
                foreach (var person in people.EnumerateArray())
                {
                    if (person.ValueKind == JsonValueKind.Object
                        && person.TryGetProperty("xm", out var xm) && xm.ValueKind == JsonValueKind.String
                        && TryGetText(xm, out var name))
                    {
                        AddSecret(name);
                    }
                }
            }
        }

        /// <summary><c>sfzh</c> exactly as sent (a bare JSON number keeps its digits as written).</summary>
        public string? ResidentId() => ReadIdentity("sfzh", allowNumber: true);

        /// <summary><c>xm</c> exactly as sent.</summary>
        public string? Name() => ReadIdentity("xm", allowNumber: false);

        public void Add(string code, string message) => _problems.Add((code, message));

        public MappingProblem? ToProblem() =>
            _problems.Count == 0 ? null : new MappingProblem(_problems[0].Code, string.Join("; ", _problems.Select(p => p.Message)));

        /// <summary>A required string field; missing, null or (unless allowed) empty is a problem.</summary>
        public string? Required(string field, bool emptyAllowed = false) =>
            ReadString(_item, field, field, required: true, emptyAllowed);

        /// <summary>An optional string field; missing, null or empty reads as null.</summary>
        public string? Optional(string field)
        {
            var value = ReadString(_item, field, field, required: false, emptyAllowed: true);
            return string.IsNullOrEmpty(value) ? null : value;
        }

        public T? Code<T>(CodedField field, Dictionary<string, T> codes, bool emptyAllowed = false)
            where T : struct =>
            CodeAt(_item, field, field.Name, codes, emptyAllowed);

        public DateOnly? Date(string field, string format, bool showValue)
        {
            var text = Optional(field);
            return text is null ? null : ParseDate(field, text, format, showValue);
        }

        public List<ResponsiblePerson>? ResponsiblePeople()
        {
            if (!_item.TryGetProperty("gkry", out var people) || people.ValueKind == JsonValueKind.Null)
            {
                Add(PoliceProblemCodes.MissingField, "gkry is missing");
                return null;
            }

            if (people.ValueKind != JsonValueKind.Array)
            {
                Add(PoliceProblemCodes.BadRecord, $"gkry must be a JSON array (was {Describe(people.ValueKind)})");
                return null;
            }

            var result = new List<ResponsiblePerson>(people.GetArrayLength());
            var index = 0;
            foreach (var person in people.EnumerateArray())
            {
                var path = $"gkry[{index++}]";
                if (person.ValueKind != JsonValueKind.Object)
                {
                    Add(PoliceProblemCodes.BadRecord, $"{path} must be a JSON object (was {Describe(person.ValueKind)})");
                    continue;
                }

                var name = ReadString(person, "xm", $"{path}.xm", required: true, emptyAllowed: false);
                var role = CodeAt(person, Js, $"{path}.js", RoleCodes, emptyAllowed: false);
                if (name is not null && role is { } r)
                {
                    result.Add(new ResponsiblePerson(name, r));
                }
            }

            return result;
        }

        public DrugTest? DrugTest()
        {
            var dateText = Optional("zjjcrq");
            var resultText = Optional("zjjcjg");
            if (dateText is null && resultText is null)
            {
                return null;
            }

            if (dateText is null)
            {
                Add(PoliceProblemCodes.MissingField, "zjjcrq is empty while zjjcjg is set");
            }

            if (resultText is null)
            {
                Add(PoliceProblemCodes.MissingField, "zjjcjg is empty while zjjcrq is set");
            }

            var date = dateText is null ? null : ParseDate("zjjcrq", dateText, "yyyy-MM-dd", showValue: true);
            DrugTestResult? result = null;
            if (resultText is not null)
            {
                if (_codes.TryResolve(Zjjcjg, TestResultCodes, resultText, out var known))
                {
                    result = known;
                }
                else
                {
                    Add(
                        PoliceProblemCodes.UnknownCode,
                        $"zjjcjg has unknown value {Show(resultText, allowChinese: true)} (expected {Zjjcjg.Expected}); "
                        + _codes.Hint(Zjjcjg, IsSafeToShow(resultText, allowChinese: true) ? resultText : null));
                }
            }

            return date is { } d && result is { } r ? new DrugTest(d, r) : null;
        }

        /// <summary>The value in quotes when it is safe to show; otherwise only its length.</summary>
        public string Show(string value, bool allowChinese = false) =>
            IsSafeToShow(value, allowChinese) ? $"\"{value}\"" : $"(a value of {value.Length} characters, not shown)";

        private bool IsSafeToShow(string value, bool allowChinese)
        {
            if (value.Length > 40)
            {
                return false;
            }

            var digitRun = 0;
            foreach (var c in value)
            {
                digitRun = char.IsAsciiDigit(c) ? digitRun + 1 : 0;
                var allowed = char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or ':' or '+' or '.' or '/' or '_'
                    || (allowChinese && c is >= '\u4e00' and <= '\u9fff');
                if (!allowed || digitRun >= 15)
                {
                    // Not a code or a date: possibly an ID number or a name typed into the wrong field.
                    return false;
                }
            }

            return !_secrets.Exists(secret => value.Contains(secret, StringComparison.Ordinal));
        }

        private string? ReadIdentity(string field, bool allowNumber)
        {
            if (!_item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                Add(PoliceProblemCodes.MissingField, $"{field} is missing");
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String when TryGetText(value, out var text):
                    return text;
                case JsonValueKind.String:
                    Add(PoliceProblemCodes.BadRecord, NotText(field));
                    return null;
                case JsonValueKind.Number when allowNumber:
                    // Some exports write old 15-digit IDs as bare numbers; keep the digits exactly as written.
                    return value.GetRawText();
                default:
                    Add(PoliceProblemCodes.BadRecord, $"{field} must be a JSON string (was {Describe(value.ValueKind)})");
                    return null;
            }
        }

        private static string NotText(string path) => $"{path} is not text (bytes that are not UTF-8, or an escaped lone surrogate)";

        private void AddSecret(string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                _secrets.Add(value.Trim());
            }
        }

        private string? ReadString(JsonElement obj, string field, string path, bool required, bool emptyAllowed)
        {
            if (!obj.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(PoliceProblemCodes.MissingField, $"{path} is missing");
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Add(PoliceProblemCodes.BadRecord, $"{path} must be a JSON string (was {Describe(value.ValueKind)})");
                return null;
            }

            if (!TryGetText(value, out var read))
            {
                Add(PoliceProblemCodes.BadRecord, NotText(path));
                return null;
            }

            var text = read!;
            if (required && !emptyAllowed && string.IsNullOrWhiteSpace(text))
            {
                Add(PoliceProblemCodes.MissingField, $"{path} is empty");
                return null;
            }

            return text;
        }

        /// <summary>A coded field: a documented value, or an undocumented one the operator mapped; otherwise a problem naming the setting that maps it.</summary>
        private T? CodeAt<T>(JsonElement obj, CodedField field, string path, Dictionary<string, T> codes, bool emptyAllowed)
            where T : struct
        {
            var text = ReadString(obj, field.Name, path, required: true, emptyAllowed);
            if (text is null)
            {
                return null;
            }

            if (_codes.TryResolve(field, codes, text, out var value))
            {
                return value;
            }

            Add(
                PoliceProblemCodes.UnknownCode,
                $"{path} has unknown code {Show(text)} (expected {field.Expected}); {_codes.Hint(field, IsSafeToShow(text, allowChinese: false) ? text : null)}");
            return null;
        }

        private DateOnly? ParseDate(string field, string text, string format, bool showValue)
        {
            if (DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            var shown = showValue ? Show(text) : "(value not shown)";
            Add(PoliceProblemCodes.BadDate, $"{field} is not a date of the form {format}: {shown}");
            return null;
        }
    }
}

/// <summary>The reason codes of <see cref="MappingProblem"/> the police adapter produces.</summary>
public static class PoliceProblemCodes
{
    /// <summary>A required field is absent, null or empty.</summary>
    public const string MissingField = "MISSING_FIELD";

    /// <summary>A code outside the interface's list (e.g. <c>gkzt</c> "99").</summary>
    public const string UnknownCode = "UNKNOWN_CODE";

    /// <summary>A date or time that does not parse exactly in its documented form.</summary>
    public const string BadDate = "BAD_DATE";

    /// <summary>The item or a field has the wrong JSON type, or a string that is not text; on replay, a stored payload that is not JSON.</summary>
    public const string BadRecord = "BAD_RECORD";
}
