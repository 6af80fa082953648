using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace IntegrationHub.Adapters.HumanResources;

/// <summary>
/// A mapped person: the record, the key that recognises the same version of the same person read twice in one run
/// (the first 128 bits of the SHA-256 of its raw bytes, which hold <c>aac002</c> and <c>gxsj</c>), and its
/// <c>gxsj</c> when readable.
/// </summary>
internal sealed record MappedPerson(SourceRecord Record, UInt128 VersionKey, DateTimeOffset? Gxsj);

/// <summary>
/// Maps one <c>&lt;person&gt;</c> of <c>hrss/employment</c> (AGENCY-INTERFACES.md section 4) to a <see cref="SourceRecord"/>.
/// A value that cannot be mapped makes the record a problem record (no fact) instead of failing the read. Problem
/// messages name the element and, where it is safe, the bad value; never the resident ID or the name.
/// </summary>
internal static class HrRecordMapper
{
    public const string Dataset = "employment";

    /// <summary>Prefix of the source key of a person without a usable <c>aac002</c>: a SHA-256 of the raw element follows.</summary>
    public const string MissingKeyPrefix = "no-aac002:";

    private const string DateFormat = "yyyy-MM-dd";

    private static readonly Dictionary<string, EmploymentStatus> StatusCodes = new(StringComparer.Ordinal)
    {
        ["1"] = EmploymentStatus.Employed,
        ["2"] = EmploymentStatus.RegisteredUnemployed,
        ["3"] = EmploymentStatus.FlexibleEmployment,
        ["4"] = EmploymentStatus.NotInLabourForce,
    };

    private static readonly Dictionary<string, bool> FlagCodes = new(StringComparer.Ordinal)
    {
        ["1"] = true,
        ["0"] = false,
    };

    private static readonly CodedField Jyzt = new("jyzt", StatusCodes.Keys);
    private static readonly CodedField Knrd = new("knrd", FlagCodes.Keys);
    private static readonly CodedField Ylbx = new("ylbx", FlagCodes.Keys);
    private static readonly CodedField Hgbz = new("hgbz", FlagCodes.Keys);

    /// <summary>
    /// The elements whose values come from the interface's lists: an operator may map a value it does not list onto one
    /// it does (<see cref="HumanResourcesAdapterOptions.CodeMappings"/>). <c>hgbz</c> is each training's.
    /// </summary>
    public static IReadOnlyList<CodedField> CodedFields { get; } = [Jyzt, Knrd, Ylbx, Hgbz];

    private static readonly CodeMap NoMappings = CodeMap.Create(null, CodedFields, HumanResourcesAdapterOptions.SectionName);

    /// <param name="outerXml">The person element's outer XML as the response's reader gave it.</param>
    /// <param name="fallbackTime">The agency time of a person whose <c>gxsj</c> cannot be read: the <c>since</c> it was asked with.</param>
    /// <param name="codes">The operator's code mappings; none when null.</param>
    public static MappedPerson Map(string outerXml, DateTimeOffset fallbackTime, CodeMap? codes = null) =>
        Map(outerXml, Encoding.UTF8.GetBytes(outerXml), fallbackTime, codes);

    /// <summary>
    /// Maps a stored person again: <paramref name="raw"/> is the element's outer XML as UTF-8, as a read handed it over.
    /// Bytes that are not one well-formed element (a DTD included) come back as a
    /// <see cref="HumanResourcesProblemCodes.BadRecord"/> problem record keyed by their content.
    /// </summary>
    public static SourceRecord Remap(ReadOnlyMemory<byte> raw, DateTimeOffset fallbackTime, CodeMap? codes = null) =>
        Map(Encoding.UTF8.GetString(raw.Span), raw, fallbackTime, codes).Record;

    private static MappedPerson Map(string outerXml, ReadOnlyMemory<byte> raw, DateTimeOffset fallbackTime, CodeMap? codes)
    {
        var versionKey = VersionKey(raw.Span);

        XElement person;
        try
        {
            person = Parse(outerXml);
        }
        catch (TooDeepException)
        {
            return new MappedPerson(
                ProblemOnly(raw, fallbackTime, $"the person element nests elements deeper than {HrPageParser.MaxDepth} levels"), versionKey, Gxsj: null);
        }
        catch (XmlException)
        {
            // Cannot happen for an element cut out of a well-formed document (a replayed payload can be anything);
            // kept as a record, not a crash.
            return new MappedPerson(ProblemOnly(raw, fallbackTime, "the person element is not well-formed XML"), versionKey, Gxsj: null);
        }

        var reader = new PersonReader(person, codes ?? NoMappings);

        var aac002 = reader.Identity("aac002");
        var aac003 = reader.Identity("aac003");
        var gxsjText = reader.Required("gxsj");
        DateTimeOffset? gxsj = null;
        if (gxsjText is not null)
        {
            if (HrTime.TryParse(gxsjText, out var parsed))
            {
                gxsj = parsed;
            }
            else
            {
                reader.Add(HumanResourcesProblemCodes.BadDate, $"gxsj is not a time of the form {HrTime.Pattern}: {reader.Show(gxsjText)}");
            }
        }

        var status = reader.Code(Jyzt, StatusCodes);
        var employer = reader.Optional("dwmc");
        var employedSince = reader.Date("jyrq");
        var hardToEmploy = reader.Code(Knrd, FlagCodes);
        var trainings = reader.Trainings();
        var insured = reader.Code(Ylbx, FlagCodes);
        var insuredSince = reader.Date("cbrq");

        var problem = reader.ToProblem();
        Fact? fact = null;
        if (problem is null)
        {
            fact = new EmploymentFact
            {
                Status = status!.Value,
                Employer = employer,
                EmployedSince = employedSince,
                HardToEmploy = hardToEmploy!.Value,
                Trainings = trainings!,
                MedicalInsuranceEnrolled = insured!.Value,
                MedicalInsuranceSince = insuredSince,
            };
        }

        var hasKey = !string.IsNullOrWhiteSpace(aac002);
        var record = new SourceRecord
        {
            Dataset = Dataset,
            SourceKey = hasKey ? aac002! : KeyFromContent(raw.Span),
            SourceKeyIsResidentId = hasKey,
            RawPayload = raw,
            AgencyTime = gxsj ?? fallbackTime,
            ResidentId = hasKey ? aac002 : null,
            Name = string.IsNullOrWhiteSpace(aac003) ? null : aac003,
            Fact = fact,
            Problem = problem,
        };
        return new MappedPerson(record, versionKey, gxsj);
    }

    /// <summary>A stable key for a person without <c>aac002</c>: the same content always gets the same key.</summary>
    public static string KeyFromContent(ReadOnlySpan<byte> raw) =>
        MissingKeyPrefix + Convert.ToHexStringLower(SHA256.HashData(raw));

    private static UInt128 VersionKey(ReadOnlySpan<byte> raw)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(raw, hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>
    /// Parses one element as <see cref="XElement.Parse(string)"/> does (white space between elements ignored), except that
    /// a DTD is refused, as the page parser refuses it, so no entity is ever expanded; no resolver; and an element nested
    /// deeper than the page parser allows is refused by a linear scan before <c>XElement.Load</c>, whose time is quadratic
    /// in depth (a replayed payload can be anything).
    /// </summary>
    private static XElement Parse(string outerXml)
    {
        var settings = new XmlReaderSettings
        {
            IgnoreWhitespace = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = HrPageParser.MaxCharactersInDocument,
        };
        using (var scan = XmlReader.Create(new StringReader(outerXml), settings))
        {
            while (scan.Read())
            {
                // The person is level 1 of the answer the page parser checked, level 0 here.
                if (scan.Depth + 1 > HrPageParser.MaxDepth)
                {
                    throw new TooDeepException();
                }
            }
        }

        using var text = new StringReader(outerXml);
        using var reader = XmlReader.Create(text, settings);
        return XElement.Load(reader, LoadOptions.None);
    }

    private sealed class TooDeepException() : XmlException($"elements nested deeper than {HrPageParser.MaxDepth} levels");

    private static SourceRecord ProblemOnly(ReadOnlyMemory<byte> raw, DateTimeOffset time, string message) => new()
    {
        Dataset = Dataset,
        SourceKey = KeyFromContent(raw.Span),
        RawPayload = raw,
        AgencyTime = time,
        Problem = new MappingProblem(HumanResourcesProblemCodes.BadRecord, message),
    };

    /// <summary>Reads the elements of one person and collects every problem found, in element order.</summary>
    private sealed class PersonReader
    {
        private readonly XElement _person;
        private readonly CodeMap _codes;
        private readonly List<(string Code, string Message)> _problems = [];

        /// <summary>Values that must never appear in a message: this person's resident ID and name.</summary>
        private readonly List<string> _secrets = [];

        public PersonReader(XElement person, CodeMap codes)
        {
            _person = person;
            _codes = codes;
            foreach (var name in (ReadOnlySpan<string>)["aac002", "aac003"])
            {
                foreach (var element in person.Elements(name))
                {
                    if (!string.IsNullOrWhiteSpace(element.Value))
                    {
                        _secrets.Add(element.Value.Trim());
                    }
                }
            }
        }

        public void Add(string code, string message) => _problems.Add((code, message));

        public MappingProblem? ToProblem() =>
            _problems.Count == 0 ? null : new MappingProblem(_problems[0].Code, string.Join("; ", _problems.Select(p => p.Message)));

        /// <summary><c>aac002</c> or <c>aac003</c> exactly as sent (not trimmed); required.</summary>
        public string? Identity(string name) => TextOf(_person, name, name, required: true);

        public string? Required(string name) => TextOf(_person, name, name, required: true);

        /// <summary>An optional element; absent or empty reads as null.</summary>
        public string? Optional(string name) => OptionalAt(_person, name, name);

        public T? Code<T>(CodedField field, Dictionary<string, T> codes)
            where T : struct => CodeAt(_person, field, field.Name, codes, required: true);

        public DateOnly? Date(string name) => DateAt(_person, name, name);

        /// <summary>
        /// <c>pxjl</c>: absent or empty is no training. Each <c>px</c> needs <c>xmmc</c>; <c>jsrq</c> (end date) is
        /// optional; <c>hgbz</c> is required once the course has ended, and a course without an end date and without
        /// <c>hgbz</c> is still running, so not passed (yet).
        /// </summary>
        public List<TrainingRecord>? Trainings()
        {
            var problemsBefore = _problems.Count;
            var pxjl = Single(_person, "pxjl", "pxjl");
            if (pxjl is null)
            {
                return _problems.Count == problemsBefore ? [] : null;
            }

            var result = new List<TrainingRecord>();
            var index = 0;
            foreach (var px in pxjl.Elements("px"))
            {
                var path = $"pxjl/px[{++index}]";
                var course = TextOf(px, "xmmc", $"{path}/xmmc", required: true);
                var endText = OptionalAt(px, "jsrq", $"{path}/jsrq");
                var endedOn = endText is null ? null : ParseDate($"{path}/jsrq", endText);
                var passed = CodeAt(px, Hgbz, $"{path}/hgbz", FlagCodes, required: endText is not null)
                    ?? (endText is null ? false : null);
                if (course is not null && passed is { } p)
                {
                    result.Add(new TrainingRecord(course, endedOn, p));
                }
            }

            return result;
        }

        /// <summary>The value in quotes when it is safe to show; otherwise only its length.</summary>
        public string Show(string value) =>
            IsSafeToShow(value) ? $"\"{value}\"" : $"(a value of {value.Length} characters, not shown)";

        private bool IsSafeToShow(string value)
        {
            if (value.Length is 0 or > 20)
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
                    // Not a code or a date: possibly an ID number or a name typed into the wrong element.
                    return false;
                }
            }

            var trimmed = value.Trim();
            return !_secrets.Exists(secret =>
                value.Contains(secret, StringComparison.Ordinal)
                || (trimmed.Length >= 4 && secret.Contains(trimmed, StringComparison.Ordinal)));
        }

        /// <summary>The one element <paramref name="name"/> under <paramref name="parent"/>; null (with a problem when repeated) otherwise.</summary>
        private XElement? Single(XElement parent, string name, string path)
        {
            XElement? found = null;
            var count = 0;
            foreach (var element in parent.Elements(name))
            {
                found ??= element;
                count++;
            }

            if (count > 1)
            {
                Add(HumanResourcesProblemCodes.BadRecord, Invariant($"{path} appears {count} times"));
                return null;
            }

            return found;
        }

        /// <summary>The text of a leaf element; a missing or (when required) empty one is a problem.</summary>
        private string? TextOf(XElement parent, string name, string path, bool required)
        {
            var countBefore = _problems.Count;
            var element = Single(parent, name, path);
            if (element is null)
            {
                if (required && _problems.Count == countBefore)
                {
                    Add(HumanResourcesProblemCodes.MissingField, $"{path} is missing");
                }

                return null;
            }

            if (element.HasElements)
            {
                Add(HumanResourcesProblemCodes.BadRecord, $"{path} must hold text, not elements");
                return null;
            }

            var text = element.Value;
            if (required && string.IsNullOrWhiteSpace(text))
            {
                Add(HumanResourcesProblemCodes.MissingField, $"{path} is empty");
                return null;
            }

            return text;
        }

        private string? OptionalAt(XElement parent, string name, string path)
        {
            var text = TextOf(parent, name, path, required: false);
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }

        /// <summary>A coded element: a documented value, or an undocumented one the operator mapped; otherwise a problem naming the setting that maps it.</summary>
        private T? CodeAt<T>(XElement parent, CodedField field, string path, Dictionary<string, T> codes, bool required)
            where T : struct
        {
            var text = required ? TextOf(parent, field.Name, path, required: true) : OptionalAt(parent, field.Name, path);
            if (text is null)
            {
                return null;
            }

            if (_codes.TryResolve(field, codes, text, out var value))
            {
                return value;
            }

            Add(
                HumanResourcesProblemCodes.UnknownCode,
                $"{path} has unknown code {Show(text)} (expected {field.Expected}); {_codes.Hint(field, IsSafeToShow(text) ? text : null)}");
            return null;
        }

        private DateOnly? DateAt(XElement parent, string name, string path)
        {
            var text = OptionalAt(parent, name, path);
            return text is null ? null : ParseDate(path, text);
        }

        private DateOnly? ParseDate(string path, string text)
        {
            if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Add(HumanResourcesProblemCodes.BadDate, $"{path} is not a date of the form {DateFormat}: {Show(text)}");
            return null;
        }

        private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>The reason codes of <see cref="MappingProblem"/> the human-resources adapter produces.</summary>
public static class HumanResourcesProblemCodes
{
    /// <summary>A required element (<c>aac002</c>, <c>aac003</c>, <c>jyzt</c>, <c>knrd</c>, <c>ylbx</c>, <c>gxsj</c>, a course's <c>xmmc</c>) is absent or empty.</summary>
    public const string MissingField = "MISSING_FIELD";

    /// <summary>A code outside the interface's list (e.g. <c>jyzt</c> "9", <c>knrd</c> "Y").</summary>
    public const string UnknownCode = "UNKNOWN_CODE";

    /// <summary>A date or time that does not parse exactly in its documented form.</summary>
    public const string BadDate = "BAD_DATE";

    /// <summary>The person's structure is wrong: an element repeated, or holding elements where text belongs; on replay, a stored payload that is not one well-formed element.</summary>
    public const string BadRecord = "BAD_RECORD";
}
