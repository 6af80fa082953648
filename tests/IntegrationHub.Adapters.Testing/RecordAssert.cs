using System.Collections;
using System.Reflection;
using Xunit;

namespace IntegrationHub.Adapters.Testing;

/// <summary>
/// Compares what an adapter hands over field by field. Facts compare by value, and their lists (a police record's
/// responsible people, an employment record's trainings) element by element: a record type's own equality compares a
/// list by reference, so two mappings of the same bytes would never be equal.
/// </summary>
public static class RecordAssert
{
    /// <summary>The same record: every field the pipeline reads, the payload's bytes, the fact by value; the problem
    /// through <paramref name="sameProblem"/> (default: equal code and message).</summary>
    public static void Equal(SourceRecord expected, SourceRecord actual, Action<MappingProblem, MappingProblem>? sameProblem = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var key = expected.SourceKey;
        Assert.Equal(expected.Dataset, actual.Dataset);
        Assert.Equal(expected.SourceKey, actual.SourceKey);
        Assert.True(expected.SourceKeyIsResidentId == actual.SourceKeyIsResidentId, $"{key}: SourceKeyIsResidentId differs");
        Assert.Equal(expected.AgencyTime, actual.AgencyTime);
        Assert.True(expected.Withdrawn == actual.Withdrawn, $"{key}: Withdrawn differs");
        Assert.Equal(expected.ResidentId, actual.ResidentId);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.RawPayload.ToArray(), actual.RawPayload.ToArray());
        FactEqual(expected.Fact, actual.Fact);
        if (expected.Problem is null || actual.Problem is null)
        {
            Assert.True(expected.Problem is null && actual.Problem is null, $"{key}: one record has a problem, the other none");
        }
        else
        {
            (sameProblem ?? ((e, a) => Assert.Equal(e, a)))(expected.Problem, actual.Problem);
        }
    }

    /// <summary>The same fact type with equal properties; a list property compares element by element.</summary>
    public static void FactEqual(Fact? expected, Fact? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, "one record has a fact, the other none");
            return;
        }

        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var e = property.GetValue(expected);
            var a = property.GetValue(actual);
            if (e is IEnumerable list and not string && a is IEnumerable other and not string)
            {
                Assert.Equal(list.Cast<object?>().ToList(), other.Cast<object?>().ToList());
            }
            else
            {
                Assert.True(Equals(e, a), $"{expected.GetType().Name}.{property.Name}: expected {e ?? "null"}, got {a ?? "null"}");
            }
        }
    }
}

/// <summary>Payloads for <see cref="ISourceAdapter.Remap"/> tests.</summary>
public static class ReplayPayloads
{
    /// <summary>
    /// Payloads no read produces (empty, binary, other formats, broken JSON or XML), each of which every adapter's
    /// <see cref="ISourceAdapter.Remap"/> must turn into a problem record rather than an exception.
    /// </summary>
    public static TheoryData<string> Garbage { get; } = new()
    {
        "",
        "\u0000\u00ff\u0001 not a payload",
        "null",
        "[]",
        "42",
        "\"a string\"",
        "{",
        "<person>",
        "<?xml version=\"1.0\"?><response/>",
    };
}
