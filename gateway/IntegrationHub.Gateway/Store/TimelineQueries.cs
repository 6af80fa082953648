using System.Text.Json;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Ingest;

namespace IntegrationHub.Gateway.Store;

public sealed record FieldChangeView(string Field, string From, string To);

public sealed record TimelineEntryView(
    DateTimeOffset AgencyTime, DateTimeOffset HubTime, string Agency, string Dataset, string SourceKey, string Kind,
    IReadOnlyList<FieldChangeView> Changes, string RunId);

/// <summary>
/// A person's history across agencies: every fact version, compared with the version of the same source record
/// before it, ordered by the time the agency gives.
/// </summary>
public sealed class TimelineQueries(HubDatabase database, PersonalDataProtector protector)
{
    public IReadOnlyList<TimelineEntryView> Timeline(string personId, string maskedResidentId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT agency, dataset, source_key, version, kind, content_cipher, agency_time, hub_time, run_id
            FROM facts WHERE person_id = $id ORDER BY agency, dataset, source_key, version
            """;
        command.Parameters.AddWithValue("$id", personId);
        using var r = command.ExecuteReader();
        var entries = new List<TimelineEntryView>();
        string? previousRecord = null;
        Dictionary<string, string> previous = [];
        while (r.Read())
        {
            var record = r.GetString(0) + "\n" + r.GetString(1) + "\n" + r.GetString(2);
            var kind = r.GetString(4);
            var fields = r.IsDBNull(5)
                ? new Dictionary<string, string>(StringComparer.Ordinal)
                : Flatten(protector.Decrypt((byte[])r[5], DataPurpose.FactContent));
            var first = record != previousRecord;
            var before = first ? [] : previous;
            var changes = fields.Keys.Union(before.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(f => new FieldChangeView(f, before.GetValueOrDefault(f, ""), fields.GetValueOrDefault(f, "")))
                .Where(c => c.From != c.To)
                .ToList();
            var label = kind switch
            {
                FactSerializer.WithdrawalKind => "withdrawn",
                FactSerializer.LeftKind => "left",
                _ when first => "added",
                _ => "changed",
            };
            var key = r.GetString(2);
            entries.Add(new TimelineEntryView(
                Timestamps.Parse(r.GetString(6)), Timestamps.Parse(r.GetString(7)), r.GetString(0), r.GetString(1),
                key.StartsWith("bi:", StringComparison.Ordinal) ? maskedResidentId : key, label, label is "withdrawn" or "left" ? [] : changes, r.GetString(8)));
            previousRecord = record;
            if (fields.Count > 0)
            {
                previous = fields;
            }
        }

        return [.. entries.OrderBy(e => e.AgencyTime).ThenBy(e => e.HubTime)];
    }

    /// <summary>Field path -> readable value; lists become one line; resident IDs inside facts are masked.</summary>
    private static Dictionary<string, string> Flatten(byte[] json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = Text(property.Value);
            fields[property.Name] = property.Name.EndsWith("ResidentId", StringComparison.Ordinal) && value.Length > 0 ? ResidentId.Mask(value) : value;
        }

        return fields;
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join("; ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Object => string.Join(" ", value.EnumerateObject().Select(p => Text(p.Value)).Where(t => t.Length > 0)),
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => value.GetString() ?? "",
        _ => value.GetRawText(),
    };
}
