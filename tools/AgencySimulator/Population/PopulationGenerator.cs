using IntegrationHub.AgencySimulator.Common;
using IntegrationHub.AgencySimulator.Hosting;
using IntegrationHub.AgencySimulator.Police;
using IntegrationHub.AgencySimulator.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IntegrationHub.AgencySimulator.Population;

/// <summary>What a generation needs: the scale, the seed, the planted dirt, the moment it happens, the faults whose
/// traps the first civil-affairs files already show, and the number of police records with an undocumented code.</summary>
internal sealed record GenerationPlan(
    ScaleProfile Profile, int Seed, double DirtyFraction, int Malformed, DateTimeOffset Created, FaultSpec? Faults = null, int NewCodes = 0);

/// <summary>
/// Generates the police registry's past: a deterministic population for a seed, scale and creation time,
/// streamed into SQLite in batches so that the province scale never sits in memory.
/// </summary>
internal sealed class PopulationGenerator
{
    private const int BatchSize = 20_000;
    private const int ProgressEvery = 100_000;

    /// <summary>A draw stream of its own, so that evolution's streams never overlap the generation's.</summary>
    private const long GenerationStream = -1;

    private readonly GenerationPlan _plan;
    private readonly Random _random;
    private readonly QuotaSampler _categories;
    private readonly QuotaSampler _malformed;
    private readonly QuotaSampler _duplicates;
    private readonly HistoryClock _clock;
    private readonly Dictionary<int, int> _rybhSequences = [];
    private int _malformedSoFar;

    private PopulationGenerator(GenerationPlan plan)
    {
        var people = plan.Profile.People;
        _plan = plan;
        _random = RandomExtensions.ForStream(plan.Seed, GenerationStream, (long)plan.Profile.Scale);
        _categories = new QuotaSampler(plan.Profile.CategoryCounts());
        _malformed = new QuotaSampler([plan.Malformed, people - plan.Malformed]);
        _duplicates = new QuotaSampler([plan.Profile.WithdrawnDuplicates, people - plan.Profile.WithdrawnDuplicates]);
        _clock = new HistoryClock(plan.Created);
    }

    /// <summary>Replaces whatever the database holds with a new police registry. The generation is complete only
    /// once the other agencies are generated too (<see cref="AgencyGenerator"/>), which writes the meta.</summary>
    public static void Generate(SimDatabase database, GenerationPlan plan, ILogger logger, CancellationToken cancellationToken)
    {
        var people = plan.Profile.People;
        if (plan.Malformed > people)
        {
            throw new ArgumentException($"malformed={plan.Malformed} exceeds the {people} records of the scale.", nameof(plan));
        }

        if (plan.NewCodes > people - plan.Malformed)
        {
            // The exact bound (records in the community with a clean ID) is known only once they are generated.
            throw new ArgumentException($"newcode={plan.NewCodes} exceeds the {people - plan.Malformed} well-formed records of the scale.", nameof(plan));
        }

        SimulatorLog.Generating(logger, plan.Profile.Scale, people, plan.Seed);
        var generator = new PopulationGenerator(plan);
        using var connection = database.Open();
        var transaction = connection.BeginTransaction();
        var table = new PoliceTable(connection, transaction);
        try
        {
            Clear(connection, transaction);
            for (var i = 1; i <= people; i++)
            {
                generator.AddPerson(table);
                if (i % BatchSize == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    table.Dispose();
                    transaction.Commit();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction();
                    table = new PoliceTable(connection, transaction);
                }

                if (i % ProgressEvery == 0)
                {
                    SimulatorLog.Generated(logger, i, people);
                }
            }

            transaction.Commit();
        }
        finally
        {
            table.Dispose();
            transaction.Dispose();
        }
    }

    /// <summary>One person's record, and now and then the withdrawn duplicate of it.</summary>
    private void AddPerson(PoliceTable table)
    {
        var person = PersonFactory.Create(_random, table.IsActivePerson);
        var category = ScaleProfile.Categories[_categories.Draw(_random)];
        var grade = category.Grade;
        if (category.Status != ControlStatus.Community && _random.Chance(0.8))
        {
            // People outside the community mostly keep the grade they had there.
            grade = RecordFactory.DrawGrade(_random);
        }

        string? defect = null;
        var sfzh = person.Id;
        if (_malformed.Draw(_random) == 0)
        {
            // An even split among the reasons: 3 of each at district scale.
            defect = DefectReason.All[_malformedSoFar++ % DefectReason.All.Count];
            sfzh = IdForms.Malformed(_random, person.Id, defect);
        }
        else if (_random.Chance(_plan.DirtyFraction))
        {
            sfzh = IdForms.Dirty(_random, person.Id);
        }

        var updated = _clock.Next(_random);
        var registered = RecordFactory.DrawRegistration(_random, person, updated);
        var regraded = category.Status == ControlStatus.Community && grade != RiskGrade.None;
        if (regraded)
        {
            // Registered before the drawn update, so before the later one too.
            updated = _clock.WithinRegradingCycle(updated);
        }

        var record = RecordFactory.Create(
            _random, person, sfzh, NextRybh(registered.Year), category.Status, grade, registered, updated,
            // A record updated within the cycle was regraded within the year before creation.
            gradedSince: regraded && updated >= _plan.Created.AddDays(-HistoryClock.RegradingCycleDays) ? ChinaTime.DateOf(_plan.Created).AddDays(-364) : null);
        table.Insert(record, person.Id, defect);

        if (_duplicates.Draw(_random) == 0)
        {
            // The same person entered twice; the duplicate was withdrawn when the two were merged.
            var withdrawnAt = _clock.Next(_random);
            var enteredOn = RecordFactory.DrawRegistration(_random, person, withdrawnAt);
            var duplicate = RecordFactory.Create(_random, person, person.Id, NextRybh(enteredOn.Year), category.Status, grade, enteredOn, withdrawnAt);
            duplicate.Scbz = Withdrawal.Withdrawn;
            table.Insert(duplicate, person.Id, defect: null);
        }
    }

    /// <summary>A generation interrupted half-way leaves records without "created"; they are discarded.</summary>
    private static void Clear(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM xdry; DELETE FROM meta;";
        command.ExecuteNonQuery();
    }

    private string NextRybh(int year)
    {
        var sequence = _rybhSequences.GetValueOrDefault(year) + 1;
        _rybhSequences[year] = sequence;
        return Rybh.Format(year, sequence);
    }
}
