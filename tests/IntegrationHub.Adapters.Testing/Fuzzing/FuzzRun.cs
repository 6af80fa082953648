using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;

namespace IntegrationHub.Adapters.Testing.Fuzzing;

/// <summary>
/// One fuzz run: many generated cases, each in a named category, each under a timeout. A case draws everything it
/// generates from its own <see cref="Random"/>, seeded from the run's seed, so a failure names the seed that replays it
/// (<see cref="Only"/>). A case fails when its body throws (an assertion, or an exception the adapter let escape) or
/// does not finish within the timeout (a hang). The run goes on after a failure, so one summary tells them all.
/// </summary>
public sealed class FuzzRun
{
    /// <summary>How long one case may take before it counts as a hang; generous, since every case takes milliseconds.</summary>
    public static readonly TimeSpan DefaultCaseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The failures shown per category: enough to see what goes wrong, few enough to read.</summary>
    private const int FailuresShownPerCategory = 3;

    private readonly Random _seeds;
    private readonly TimeSpan _caseTimeout;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<string> _failures = [];
    private readonly Dictionary<string, int> _failuresByCategory = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _failureCount;

    /// <param name="name">What is fuzzed, e.g. <c>police-json</c>: the summary line names it.</param>
    /// <param name="seed">The run's seed: the same seed generates the same cases.</param>
    public FuzzRun(string name, int seed, TimeSpan? caseTimeout = null)
    {
        Name = name;
        Seed = seed;
        _seeds = new Random(seed);
        _caseTimeout = caseTimeout ?? DefaultCaseTimeout;
    }

    public string Name { get; }

    public int Seed { get; }

    /// <summary>Set to a case seed from a failure message to run that case alone (the others are generated, not run).</summary>
    public int? Only { get; init; }

    public int Cases => _counts.Values.Sum();

    public int Failures => _failureCount;

    /// <summary>Runs one case of <paramref name="category"/>: <paramref name="body"/> gets the case's random and a token
    /// that is cancelled when the case times out.</summary>
    public async Task CaseAsync(string category, Func<Random, CancellationToken, Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var caseSeed = _seeds.Next();
        if (Only is { } only && only != caseSeed)
        {
            return;
        }

        Count(category);
        using var timeout = new CancellationTokenSource(_caseTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Task.Run: a body that blocks synchronously (a parser that never returns) still times out.
            await Task.Run(() => body(new Random(caseSeed), timeout.Token), CancellationToken.None).WaitAsync(_caseTimeout);
        }
        catch (TimeoutException)
        {
            Fail(category, caseSeed, Invariant($"no result within {_caseTimeout.TotalSeconds:0.#} s (a hang)"));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Fail(category, caseSeed, Invariant($"cancelled by the case timeout after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s (a hang)"));
        }
        catch (Exception e)
        {
            Fail(category, caseSeed, $"{e.GetType().Name}: {Shorten(e.Message)}");
        }
    }

    /// <summary>Runs one synchronous case (a <c>Remap</c>), with the same timeout.</summary>
    public Task CaseAsync(string category, Action<Random> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return CaseAsync(category, (random, _) =>
        {
            body(random);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// <c>fuzz police-json: 1500 cases (truncated 300, wrong-type 300, …), 0 failures, 2.1 s, seed 20261128</c>.
    /// </summary>
    public string Summary()
    {
        var categories = string.Join(", ", _order.Select(c => Invariant($"{c} {_counts[c]}")));
        var failed = _failuresByCategory.Count == 0
            ? ""
            : " (" + string.Join(", ", _order.Where(_failuresByCategory.ContainsKey).Select(c => Invariant($"{c} {_failuresByCategory[c]}"))) + ")";
        return Invariant($"fuzz {Name}: {Cases} cases ({categories}), {Failures} failures{failed}, {_clock.Elapsed.TotalSeconds:0.0} s, seed {Seed}");
    }

    /// <summary>
    /// Writes the summary line where a person running <c>dotnet test</c> sees it (<see cref="FuzzOutput"/>), and fails the
    /// test with the first failures when there are any.
    /// </summary>
    public void Report(FuzzOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var summary = Summary();
        output.WriteLine(summary);

        // ./test.sh collects the security suite's summary lines in this file and prints them at the end.
        if (Environment.GetEnvironmentVariable("INTEGRATIONHUB_SECURITY_REPORT") is { Length: > 0 } report)
        {
            File.AppendAllText(report, "security " + summary + Environment.NewLine);
        }
        if (Cases == 0)
        {
            Assert.Fail($"{summary}: the run generated no case");
        }

        if (_failureCount > 0)
        {
            var shown = string.Join("\n", _failures);
            var more = _failureCount > _failures.Count ? Invariant($"\n… and {_failureCount - _failures.Count} more") : "";
            Assert.Fail($"{summary}\n{shown}{more}\nReplay one case with `Only = <case seed>` on the FuzzRun.");
        }
    }

    private void Count(string category)
    {
        if (!_counts.TryGetValue(category, out var count))
        {
            _order.Add(category);
        }

        _counts[category] = count + 1;
    }

    private void Fail(string category, int caseSeed, string what)
    {
        _failureCount++;
        _failuresByCategory[category] = _failuresByCategory.GetValueOrDefault(category) + 1;
        if (_failuresByCategory[category] <= FailuresShownPerCategory)
        {
            _failures.Add(Invariant($"  [{category}] case seed {caseSeed}: {what}"));
        }
    }

    private static string Shorten(string message)
    {
        var oneLine = message.ReplaceLineEndings(" ");
        return oneLine.Length <= 600 ? oneLine : string.Concat(oneLine.AsSpan(0, 600), "…");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Thrown by a case whose outcome is not the documented one; its message says what was expected.</summary>
public sealed class FuzzCaseException : Exception
{
    public FuzzCaseException()
    {
    }

    public FuzzCaseException(string message)
        : base(message)
    {
    }

    public FuzzCaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static FuzzCaseException Because(string what, string? detail = null) =>
        new(detail is null ? what : new StringBuilder(what).Append(" (").Append(detail).Append(')').ToString());
}
