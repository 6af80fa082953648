using System.Text.Json;

namespace IntegrationHub.AgencySimulator.Tests.Support;

/// <summary>Reading served records.</summary>
internal static class Records
{
    public static string Text(this JsonElement record, string field) => record.GetProperty(field).GetString()!;

    public static bool IsWithdrawn(this JsonElement record) => record.Text("scbz") == "1";

    public static DateTimeOffset Gxsj(this JsonElement record) =>
        DateTimeOffset.ParseExact(record.Text("gxsj"), "yyyy-MM-dd'T'HH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);

    public static Dictionary<string, JsonElement> ByRybh(IEnumerable<JsonElement> records) =>
        records.ToDictionary(r => r.Text("rybh"), StringComparer.Ordinal);
}
