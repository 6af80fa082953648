using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using HttpRequest = Microsoft.AspNetCore.Http.HttpRequest;
using IntegrationHub.Gateway.Audit;
using IntegrationHub.Gateway.Grpc;
using IntegrationHub.Gateway.Security;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Net.Http.Headers;

namespace IntegrationHub.Gateway.Json;

/// <summary>
/// What HTTP needs before a JSON call reaches the transcoder (and through it the same interceptors as gRPC):
/// <list type="bullet">
/// <item>no resident ID in the URL: a query parameter named like one, or a value with a run of 15 or more digits, is
/// refused (400 <c>RESIDENT_ID_IN_URL</c>) without echoing it; ASP.NET Core's request log, which writes URLs, stays off
/// (<see cref="JsonApi.AddHubJsonApi"/>), so it is not logged either;</item>
/// <item>only the query parameters the route binds: a misspelt filter would otherwise be ignored and a search would
/// return everybody (400 <c>UNKNOWN_QUERY_PARAMETER</c>), and each value must fit its field;</item>
/// <item>the request body within <c>Hub:Limits:MaxReceiveMessageBytes</c> (413), JSON (415), well-formed and of the
/// request's shape (400 <c>MALFORMED_JSON</c>, naming the problem); an empty body is the empty request <c>{}</c>.</item>
/// </list>
/// Its refusals have the shape of every other JSON error: google.rpc.Status with an ErrorInfo in domain
/// <c>integrationhub</c>. Responses are never cached, and a 401 says which scheme to use. A refusal counts against the
/// caller's rate limit as the call would have (a key that floods the guard gets 429), and a refusal of an audited
/// method is put on the audit record as the interceptors record theirs: who (when the key is known), the method, the
/// purpose claimed, the reason; never the refused URL or body, and no person, since nothing was looked up.
/// </summary>
public sealed partial class JsonRequestGuard(
    RequestDelegate next, LimitOptions limits, ApiKeyStore keys, RateLimiter limiter, AuditLog audit, SecurityOptions security,
    ILogger<JsonRequestGuard> logger)
{
    private static readonly JsonFormatter ErrorFormatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(
        Google.Protobuf.Reflection.TypeRegistry.FromMessages(ErrorInfo.Descriptor, BadRequest.Descriptor, RetryInfo.Descriptor)));

    private static readonly JsonParser BodyParser = new(JsonParser.Settings.Default);

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not { } call)
        {
            await next(http);
            return;
        }

        http.Response.OnStarting(() =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (http.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer realm=\"integrationhub\"";
            }

            return Task.CompletedTask;
        });
        var refusal = CheckQuery(http.Request, call) ?? await ReadBodyAsync(http.Request, call);
        if (refusal is not null)
        {
            refusal = Account(http, call, refusal);
            http.Response.StatusCode = refusal.HttpStatus;
            http.Response.ContentType = "application/json; charset=utf-8";
            // Compact, as the transcoder writes its errors.
            await http.Response.WriteAsync(JsonNode.Parse(ErrorFormatter.Format(refusal.Status))!.ToJsonString(), http.RequestAborted);
            return;
        }

        await next(http);
    }

    /// <summary>Charges the refusal to the caller's rate limit and puts it on the audit record; what to answer.</summary>
    private Refusal Account(HttpContext http, GrpcJsonTranscodingMetadata call, Refusal refusal)
    {
        var principal = keys.AuthenticateBearer(http.Request.Headers.Authorization.ToString());
        if (principal is not null && limiter.TryAcquire(principal.Name) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            refusal = new Refusal(StatusCodes.Status429TooManyRequests, ErrorStatus(
                Code.ResourceExhausted, "RATE_LIMITED",
                limiter.Refusal(principal.Name, wait),
                new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) }));
        }

        var method = JsonApi.FullName(call);
        if (AuditedMethods.KindOf(method) is not { } kind)
        {
            return refusal;
        }

        var claimed = http.Request.Headers[AuthInterceptor.PurposeHeader].ToString().Trim();
        var reason = refusal.Status.Details.Select(d => d.TryUnpack<ErrorInfo>(out var info) ? info.Reason : null).FirstOrDefault(r => r is not null) ?? "";
        try
        {
            audit.Append(new AuditEntry(
                principal?.Name ?? "-", principal is null ? [] : [.. principal.Roles], kind, method,
                security.EffectivePurposes.ContainsKey(claimed) ? claimed : "", [], [],
                ((global::Grpc.Core.StatusCode)refusal.Status.Code).ToString(), "error: " + reason));
            return refusal;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            AuditLogMessages.AppendFailed(logger, e, method, principal?.Name ?? "-", kind, ((global::Grpc.Core.StatusCode)refusal.Status.Code).ToString());
            return new Refusal(StatusCodes.Status503ServiceUnavailable, ErrorStatus(
                Code.Unavailable, "AUDIT_UNAVAILABLE",
                "the call could not be put on the audit record, so it is refused and its result withheld; try again (the hub's log has the details)"));
        }
    }

    private static Refusal? CheckQuery(HttpRequest request, GrpcJsonTranscodingMetadata call)
    {
        var fields = QueryFields(call);
        foreach (var (name, values) in request.Query)
        {
            if (NamesResidentId(name) || HasLongDigitRun(name) || values.Any(v => v is not null && HasLongDigitRun(v)))
            {
                return Refusal.Invalid(
                    "RESIDENT_ID_IN_URL", "query",
                    "a resident ID must never be in a URL: send it in the JSON body of a POST (e.g. POST /v1/persons:get); this request was not carried out");
            }

            if (!fields.TryGetValue(name, out var field))
            {
                var takes = fields.Count == 0
                    ? "takes no query parameters (its request goes in the JSON body)"
                    : "takes only " + string.Join(", ", fields.Values.Distinct().Select(f => f.JsonName).Order(StringComparer.Ordinal));
                return Refusal.Invalid("UNKNOWN_QUERY_PARAMETER", Shown(name), $"{RouteOf(request)} {takes}");
            }

            if (values.Count > 1 && !field.IsRepeated)
            {
                return Refusal.Invalid("INVALID_ARGUMENT", field.JsonName, "is given more than once");
            }

            if (values.FirstOrDefault(v => !Fits(field, v ?? "")) is not null)
            {
                return Refusal.Invalid("INVALID_ARGUMENT", field.JsonName, $"must be {Describe(field)}");
            }
        }

        return null;
    }

    /// <summary>Reads the body the route takes (up to the size limit), checks it, and leaves it for the transcoder to read again.</summary>
    private async Task<Refusal?> ReadBodyAsync(HttpRequest request, GrpcJsonTranscodingMetadata call)
    {
        var bodyType = BodyType(call);
        if (bodyType is null)
        {
            return null; // The route takes no body; the transcoder does not read one.
        }

        var max = limits.MaxReceiveMessageBytes;
        if (request.ContentLength > max)
        {
            return Refusal.TooLarge(request.ContentLength.Value, max);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return Refusal.TooLarge(null, max);
            }
        }

        var body = buffer.ToArray();
        if (body.Length == 0)
        {
            body = "{}"u8.ToArray();
            request.ContentType = "application/json";
        }
        else if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.Charset.HasValue && !type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)))
        {
            return new Refusal(
                StatusCodes.Status415UnsupportedMediaType,
                ErrorStatus(Code.InvalidArgument, "UNSUPPORTED_MEDIA_TYPE", "send the request body as JSON in UTF-8, with 'Content-Type: application/json'"));
        }

        try
        {
            using (JsonDocument.Parse(body))
            {
            }

            BodyParser.Parse(Encoding.UTF8.GetString(body), bodyType);
        }
        catch (JsonException e)
        {
            return Refusal.Invalid("MALFORMED_JSON", "body", "is not well-formed JSON: " + e.Message);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException)
        {
            return Refusal.Invalid("MALFORMED_JSON", "body", $"is not a {bodyType.Name}: {e.Message}");
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        return null;
    }

    /// <summary>The message the body holds: the request itself (<c>body: "*"</c>), one of its message fields, or none.</summary>
    private static MessageDescriptor? BodyType(GrpcJsonTranscodingMetadata call) => call.HttpRule.Body switch
    {
        "" => null,
        "*" => call.MethodDescriptor.InputType,
        var field => call.MethodDescriptor.InputType.FindFieldByName(field) is { FieldType: FieldType.Message, IsRepeated: false } message ? message.MessageType : null,
    };

    /// <summary>
    /// The request's fields a query parameter may set, by proto and JSON name: the top-level scalar fields the route
    /// takes neither from its path nor from its body (<c>body: "*"</c> leaves none).
    /// </summary>
    private static Dictionary<string, FieldDescriptor> QueryFields(GrpcJsonTranscodingMetadata call)
    {
        var fields = new Dictionary<string, FieldDescriptor>(StringComparer.Ordinal);
        var rule = call.HttpRule;
        if (rule.Body == "*")
        {
            return fields;
        }

        var inPath = PathVariable().Matches(PatternOf(rule)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        foreach (var field in call.MethodDescriptor.InputType.Fields.InDeclarationOrder())
        {
            if (field.FieldType is not (FieldType.Message or FieldType.Group) && field.Name != rule.Body && !inPath.Contains(field.Name))
            {
                fields[field.Name] = field;
                fields[field.JsonName] = field;
            }
        }

        return fields;
    }

    private static string PatternOf(HttpRule rule) => rule.PatternCase switch
    {
        HttpRule.PatternOneofCase.Get => rule.Get,
        HttpRule.PatternOneofCase.Post => rule.Post,
        HttpRule.PatternOneofCase.Put => rule.Put,
        HttpRule.PatternOneofCase.Delete => rule.Delete,
        HttpRule.PatternOneofCase.Patch => rule.Patch,
        HttpRule.PatternOneofCase.Custom => rule.Custom.Path,
        _ => "",
    };

    private static bool Fits(FieldDescriptor field, string value) => field.FieldType switch
    {
        FieldType.String => true,
        FieldType.Bool => bool.TryParse(value, out _),
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
        FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        FieldType.Double or FieldType.Float => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
        FieldType.Enum => field.EnumType.FindValueByName(value) is not null,
        FieldType.Bytes => Convert.TryFromBase64String(value, new byte[value.Length], out _),
        _ => false,
    };

    private static string Describe(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Enum => "one of " + string.Join(", ", field.EnumType.Values.Select(v => v.Name)),
        FieldType.Bool => "true or false",
        FieldType.Bytes => "base64",
        FieldType.Double or FieldType.Float => "a number",
        _ => "a whole number in range",
    };

    /// <summary>resident_id, residentId, person.resident_id, RESIDENTID …: whatever its spelling.</summary>
    private static bool NamesResidentId(string name) =>
        name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Contains("residentid", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether the text holds 15 or more digits in a row (full-width digits folded, spaces and hyphens between them
    /// ignored): the shape of a resident ID, 15- or 18-character, clean or dirty. No query parameter the contract defines
    /// holds so many digits (district codes have 6).
    /// </summary>
    private static bool HasLongDigitRun(string text)
    {
        var run = 0;
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsAsciiDigit(c))
            {
                if (++run >= 15)
                {
                    return true;
                }
            }
            else if (c is not (' ' or '-'))
            {
                run = 0;
            }
        }

        return false;
    }

    /// <summary>A parameter name as shown back: the client's own text, short.</summary>
    private static string Shown(string name) => name.Length <= 64 ? name : name[..64] + "…";

    private static string RouteOf(HttpRequest request) =>
        request.HttpContext.GetEndpoint() is RouteEndpoint route ? $"{request.Method} {route.RoutePattern.RawText}" : request.Method;

    private static Google.Rpc.Status ErrorStatus(Code code, string reason, string message, params IMessage[] extra)
    {
        var status = new Google.Rpc.Status { Code = (int)code, Message = message, Details = { Any.Pack(new ErrorInfo { Domain = HubErrors.Domain, Reason = reason }) } };
        status.Details.Add(extra.Select(Any.Pack));
        return status;
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_.]+)")]
    private static partial Regex PathVariable();

    private sealed record Refusal(int HttpStatus, Google.Rpc.Status Status)
    {
        public static Refusal Invalid(string reason, string field, string description) =>
            new(StatusCodes.Status400BadRequest, ErrorStatus(
                Code.InvalidArgument, reason, $"{field}: {description}",
                new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }));

        public static Refusal TooLarge(long? size, int max) =>
            new(StatusCodes.Status413PayloadTooLarge, ErrorStatus(
                Code.ResourceExhausted, "MESSAGE_TOO_LARGE",
                $"the request body has {(size is { } n ? n.ToString(CultureInfo.InvariantCulture) : "more than " + max.ToString(CultureInfo.InvariantCulture))} bytes; this hub accepts at most {max} (Hub:Limits:MaxReceiveMessageBytes)"));
    }
}
