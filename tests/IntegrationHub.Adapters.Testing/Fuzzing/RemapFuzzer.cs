using System.Text;
using Xunit;

namespace IntegrationHub.Adapters.Testing.Fuzzing;

/// <summary>
/// Fuzzes <see cref="ISourceAdapter.Remap"/>, whose promise is the same for every adapter: whatever the bytes, the
/// answer is a record (with a problem when the bytes cannot be mapped), never an exception; the record carries these very
/// bytes and the dataset; it has a fact or a problem, not both, not neither; the same bytes map to the same record; and a
/// dataset the adapter does not have is an <see cref="ArgumentException"/> naming it.
/// </summary>
public static class RemapFuzzer
{
    /// <param name="seeds">Payloads a read produces (valid and problem records): the mutated cases start from them.</param>
    /// <param name="hostile">Payloads aimed at the adapter's parser (a DTD, deep nesting, huge values): each is one case, and
    /// each is mutated further.</param>
    public static async Task RunAsync(
        FuzzRun run,
        ISourceAdapter adapter,
        string dataset,
        IReadOnlyList<byte[]> seeds,
        IReadOnlyList<byte[]> hostile,
        int randomCases,
        int mutatedCases)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(hostile);
        var fallback = new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));

        for (var i = 0; i < randomCases; i++)
        {
            await run.CaseAsync("random-bytes", random =>
            {
                var bytes = random.Next(4) switch
                {
                    0 => Mutate.RandomBytes(random, random.Next(0, 16)),
                    1 => Mutate.RandomBytes(random, random.Next(16, 4096)),
                    2 => Encoding.UTF8.GetBytes(Mutate.Text(random, random.Next(0, 2048))),
                    _ => TokenSoup(random),
                };
                Check(adapter, dataset, bytes, RandomTime(random, fallback));
            });
        }

        for (var i = 0; i < mutatedCases; i++)
        {
            await run.CaseAsync("mutated", random =>
            {
                var bytes = random.Pick(seeds);
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    bytes = Mutate.Any(random, bytes, random.Pick(seeds));
                }

                Check(adapter, dataset, bytes, fallback);
            });
        }

        foreach (var payload in hostile)
        {
            await run.CaseAsync("hostile", random =>
            {
                Check(adapter, dataset, payload, fallback);
                Check(adapter, dataset, Mutate.Any(random, payload), fallback);
            });
        }

        await run.CaseAsync("unknown-dataset", random =>
        {
            foreach (var other in (string[])["", " ", dataset.ToUpperInvariant(), dataset + " ", "roster-x", Mutate.Text(random, 12)])
            {
                if (other == dataset)
                {
                    continue;
                }

                var thrown = Assert.ThrowsAny<ArgumentException>(() => adapter.Remap(other, seeds[0], fallback));
                if (other.Trim().Length > 0)
                {
                    Assert.Contains(other, thrown.Message, StringComparison.Ordinal);
                }
            }
        });
    }

    /// <summary>Remap's promise for one payload (see the class).</summary>
    public static SourceRecord Check(ISourceAdapter adapter, string dataset, byte[] bytes, DateTimeOffset fallback)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var record = adapter.Remap(dataset, bytes, fallback);
        Assert.Equal(dataset, record.Dataset);
        Assert.False(string.IsNullOrEmpty(record.SourceKey), "a remapped record has no SourceKey");
        Assert.True(record.RawPayload.Span.SequenceEqual(bytes), "a remapped record does not carry the bytes it was given");
        Assert.True((record.Fact is null) != (record.Problem is null), "a remapped record must have a fact or a problem, not both, not neither");
        if (record.Problem is { } problem)
        {
            Assert.False(string.IsNullOrWhiteSpace(problem.Code), "a problem without a code");
            Assert.False(string.IsNullOrWhiteSpace(problem.Message), "a problem without a message");
        }

        RecordAssert.Equal(record, adapter.Remap(dataset, (byte[])bytes.Clone(), fallback));
        return record;
    }

    private static DateTimeOffset RandomTime(Random random, DateTimeOffset usual) => random.Next(8) switch
    {
        0 => DateTimeOffset.MinValue,
        1 => DateTimeOffset.MaxValue,
        2 => DateTimeOffset.UnixEpoch,
        _ => usual,
    };

    /// <summary>Fragments of JSON, XML and CSV glued at random: closer to a parser's edges than uniform noise.</summary>
    private static byte[] TokenSoup(Random random)
    {
        string[] tokens =
        [
            "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud800", "null", "true", "1e999", "-0", "\"rybh\"", "\"ajbh\"",
            "<", ">", "</", "/>", "<person>", "</person>", "<aac002>", "<!DOCTYPE", "<![CDATA[", "]]>", "&", "&amp;", "&#0;",
            "<?xml version=\"1.0\"?>", "身份证号", "\"#extra\"", "\"#malformed\"", "\r\n", "\n", " ", "\u0000", "\ufeff",
        ];
        var text = new StringBuilder();
        for (var i = random.Next(1, 80); i > 0; i--)
        {
            text.Append(random.Pick(tokens));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
