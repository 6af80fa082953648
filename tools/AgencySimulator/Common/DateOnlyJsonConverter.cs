using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IntegrationHub.AgencySimulator.Common;

/// <summary>Writes a day as the agencies do: "2026-11-14".</summary>
internal sealed class DateOnlyJsonConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new JsonException("Expected a date like 2026-11-14.");

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ChinaTime.FormatDate(value));
}

/// <summary>A day or null.</summary>
internal sealed class NullableDateOnlyJsonConverter : JsonConverter<DateOnly?>
{
    private static readonly DateOnlyJsonConverter Inner = new();

    public override bool HandleNull => true;

    public override DateOnly? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(DateOnly), options);

    public override void Write(Utf8JsonWriter writer, DateOnly? value, JsonSerializerOptions options)
    {
        if (value is { } day)
        {
            Inner.Write(writer, day, options);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
