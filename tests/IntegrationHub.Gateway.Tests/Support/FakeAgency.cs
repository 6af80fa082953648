using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using IntegrationHub.Adapters;

namespace IntegrationHub.Gateway.Tests.Support;

/// <summary>
/// A police-like agency in memory for runner tests: records in order, read after a cursor (the position of the last
/// record handed over) in batches, with an outage switch (while on, every read fails with HTTP 503 once
/// <see cref="BatchesBeforeOutage"/> batches have been served in all), a hang switch and call counting. Payloads
/// remap like a real adapter: a control status the agency added later ("70") is an unknown code until
/// <see cref="MapsNewStatus"/> is set (an operator's code mapping).
/// </summary>
public sealed class FakeAgency(int count, int batchSize = 2) : ISourceAdapter
{
    public string Agency => "police";
    public IReadOnlyList<string> Datasets => ["xdry"];

    public bool Outage { get; set; }
    public int BatchesBeforeOutage { get; set; }
    public bool Hang { get; set; }
    public bool MapsNewStatus { get; set; }

    /// <summary>Records whose status is the new code "70".</summary>
    public HashSet<int> NewStatusRecords { get; } = [];

    public List<string?> CursorsSeen { get; } = [];
    private int served;
    public int Refused { get; private set; }

    public static string Key(int i) => "GZ" + i.ToString("000", CultureInfo.InvariantCulture);

    public Task CheckAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async IAsyncEnumerable<SourceBatch> ReadAsync(string dataset, string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        CursorsSeen.Add(cursor);
        var next = cursor is null ? 1 : int.Parse(cursor, CultureInfo.InvariantCulture) + 1;
        var first = true;
        while (next <= count || first)
        {
            first = false;
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (Outage && served >= BatchesBeforeOutage)
            {
                Refused++;
                throw new AdapterException(FailureKind.Transient, "HTTP 503 Service Unavailable after 5 attempts");
            }

            if (next > count)
            {
                // Nothing new: a real agency still answered (here: after the outage check).
                yield break;
            }

            var last = Math.Min(next + batchSize - 1, count);
            var records = Enumerable.Range(next, last - next + 1).Select(i => Remap(dataset, Payload(i), DateTimeOffset.MinValue)).ToList();
            yield return new SourceBatch(records, last.ToString(CultureInfo.InvariantCulture));
            served++;
            next = last + 1;
            await Task.Yield();
        }
    }

    public SourceRecord Remap(string dataset, ReadOnlyMemory<byte> rawPayload, DateTimeOffset fallbackAgencyTime)
    {
        var parts = Encoding.UTF8.GetString(rawPayload.Span).Split('|');
        var i = int.Parse(parts[0], CultureInfo.InvariantCulture);
        var record = PoliceRecords.Create(Key(i), PoliceRecords.ResidentId("440104", new DateOnly(1980, 1, 1), i), at: new DateTimeOffset(2026, 11, 28, 9, 0, i, TimeSpan.FromHours(8)));
        record = record with { RawPayload = rawPayload };
        return parts[1] == "70" && !MapsNewStatus
            ? record with { Fact = null, Problem = new MappingProblem("UNKNOWN_CODE", "gkzt has unknown code \"70\" (expected 10, 20, 30, 40, 50 or 60)") }
            : record;
    }

    private byte[] Payload(int i) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{i}|{(NewStatusRecords.Contains(i) ? "70" : "10")}"));
}
