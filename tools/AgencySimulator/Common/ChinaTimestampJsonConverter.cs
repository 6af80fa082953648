using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.AgencySimulator.Common;

/// <summary>Writes times as the agency does: "2026-11-28T09:15:02.431+08:00".</summary>
internal sealed class ChinaTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ChinaTime.TryParseTimestamp(reader.GetString(), out var time)
            ? time
            : throw new JsonException("Expected a time like 2026-11-28T09:15:02.431+08:00.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ChinaTime.FormatTimestamp(value));
}
