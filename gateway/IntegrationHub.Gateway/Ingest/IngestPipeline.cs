using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Ingest;

/// <summary>Which job, agency, dataset and run a batch belongs to.</summary>
public sealed record BatchContext(string Job, string Agency, string Dataset, string RunId);

/// <summary>
/// Takes one batch from an adapter through validation, identity, matching and versioned upsert, and
/// commits it in ONE transaction together with the adapter's new cursor and the run's counts: after a
/// crash either the whole batch and its cursor are there, or neither is.
/// </summary>
public sealed class IngestPipeline(HubDatabase database, PersonalDataProtector protector, TimeProvider time)
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    public RunCounts CommitBatch(BatchContext context, SourceBatch batch)
    {
        var now = time.GetUtcNow();
        var hubTime = Timestamps.Format(now);
        var today = DateOnly.FromDateTime(now.ToOffset(ChinaStandardTime).DateTime);

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var commands = new BatchCommands(connection, transaction);
        var counts = new RunCounts();
        DateTimeOffset? newest = null;
        foreach (var record in batch.Records)
        {
            var outcome = Ingest(commands, context, record, hubTime, today, now);
            counts = Count(counts, outcome);
            if (newest is null || record.AgencyTime > newest)
            {
                newest = record.AgencyTime;
            }
        }

        commands.Execute(
            """
            INSERT INTO cursors (job, dataset, cursor, agency_time, updated_at, run_id) VALUES ($job, $dataset, $cursor, $at, $now, $run)
            ON CONFLICT (job, dataset) DO UPDATE SET cursor = excluded.cursor,
              agency_time = COALESCE(MAX(excluded.agency_time, cursors.agency_time), excluded.agency_time, cursors.agency_time),
              updated_at = excluded.updated_at, run_id = excluded.run_id
            """,
            ("$job", context.Job), ("$dataset", context.Dataset), ("$cursor", batch.Cursor),
            ("$at", newest is { } n ? Timestamps.Format(n) : null), ("$now", hubTime), ("$run", context.RunId));
        SyncRunStore.AddBatchCounts(commands, context.RunId, counts);
        transaction.Commit();
        return counts;
    }

    private RecordOutcome Ingest(BatchCommands commands, BatchContext context, SourceRecord record, string hubTime, DateOnly today, DateTimeOffset now)
    {
        (string, object?)[] key = [("$agency", context.Agency), ("$dataset", record.Dataset), ("$key", record.SourceKey)];
        var hash = protector.ContentHash(record.RawPayload.Span);
        var existing = FindSource(commands, key);
        if (existing is { } e && e.Hash.AsSpan().SequenceEqual(hash))
        {
            return RecordOutcome.Unchanged;
        }

        if (record.Problem is { } problem)
        {
            return Quarantine(commands, key, record, problem.Code, problem.Message, hash, hubTime, context.RunId);
        }

        if (record.Withdrawn)
        {
            Withdraw(commands, key, record, existing, hash, hubTime, context.RunId);
            return RecordOutcome.Withdrawn;
        }

        if (!ResidentId.TryNormalise(record.ResidentId, today, out var residentId, out var idProblem))
        {
            return Quarantine(commands, key, record, ResidentId.Code(idProblem), ResidentId.Describe(idProblem), hash, hubTime, context.RunId);
        }

        var fact = record.Fact ?? throw new InvalidOperationException($"Record {record.SourceKey} has neither a fact nor a problem.");
        var (kind, json) = FactSerializer.Serialize(fact);
        var personId = FindOrCreatePerson(commands, residentId, hubTime, now);
        UpdateIdentity(commands, personId, context, record, hubTime);

        var version = (existing?.Version ?? 0) + 1;
        UpsertSource(commands, key, personId, hash, record, version, withdrawn: false, hubTime, context.RunId);
        var factId = InsertFact(commands, key, version, personId, kind, protector.Encrypt(json, DataPurpose.FactContent), withdrawn: false, record, hubTime, context.RunId);
        if (fact is PoliceRegistrationFact police)
        {
            ProjectPolice(commands, record.SourceKey, personId, factId, police, record, hubTime, context.RunId);
        }

        commands.Execute("DELETE FROM quarantine WHERE agency = $agency AND dataset = $dataset AND source_key = $key", key);
        return existing is null ? RecordOutcome.Inserted : RecordOutcome.Updated;
    }

    private static (byte[] Hash, long Version, string? PersonId)? FindSource(BatchCommands commands, (string, object?)[] key)
    {
        using var reader = commands.Get(
            "SELECT content_hash, version, person_id FROM source_records WHERE agency = $agency AND dataset = $dataset AND source_key = $key",
            key).ExecuteReader();
        return reader.Read() ? ((byte[])reader[0], reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2)) : null;
    }

    private RecordOutcome Quarantine(
        BatchCommands commands, (string, object?)[] key, SourceRecord record,
        string code, string message, byte[] hash, string hubTime, string runId)
    {
        commands.Execute(
            """
            INSERT INTO quarantine (agency, dataset, source_key, reason_code, reason_message, content_hash, payload_cipher, agency_time, hub_time, run_id)
            VALUES ($agency, $dataset, $key, $code, $message, $hash, $payload, $at, $now, $run)
            ON CONFLICT (agency, dataset, source_key) DO UPDATE SET reason_code = excluded.reason_code, reason_message = excluded.reason_message,
              content_hash = excluded.content_hash, payload_cipher = excluded.payload_cipher, agency_time = excluded.agency_time,
              hub_time = excluded.hub_time, run_id = excluded.run_id
            """,
            [.. key, ("$code", code), ("$message", message), ("$hash", hash),
            ("$payload", protector.Encrypt(record.RawPayload.Span, DataPurpose.RawPayload)),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", hubTime), ("$run", runId)]);
        return RecordOutcome.Quarantined;
    }

    private void Withdraw(
        BatchCommands commands, (string, object?)[] key, SourceRecord record,
        (byte[] Hash, long Version, string? PersonId)? existing, byte[] hash, string hubTime, string runId)
    {
        var version = (existing?.Version ?? 0) + 1;
        UpsertSource(commands, key, existing?.PersonId, hash, record, version, withdrawn: true, hubTime, runId);
        InsertFact(commands, key, version, existing?.PersonId, "withdrawal", content: null, withdrawn: true, record, hubTime, runId);
        commands.Execute("DELETE FROM police_registrations WHERE source_key = $key", key[2]);
        commands.Execute("DELETE FROM quarantine WHERE agency = $agency AND dataset = $dataset AND source_key = $key", key);
    }

    private string FindOrCreatePerson(BatchCommands commands, ResidentId residentId, string hubTime, DateTimeOffset now)
    {
        var blind = protector.BlindIndex(residentId.Value);
        if (commands.Scalar("SELECT person_id FROM persons WHERE id_blind = $blind", ("$blind", blind)) is string found)
        {
            return found;
        }

        var personId = PersonIds.New(now);
        commands.Execute(
            "INSERT INTO persons (person_id, id_blind, id_cipher, id_masked, created_at) VALUES ($id, $blind, $cipher, $masked, $now)",
            ("$id", personId), ("$blind", blind), ("$cipher", protector.Encrypt(residentId.Value, DataPurpose.ResidentId)),
            ("$masked", residentId.Masked), ("$now", hubTime));
        return personId;
    }

    /// <summary>The newest record (by agency time) that names the person decides their name, sex and birth date.</summary>
    private void UpdateIdentity(BatchCommands commands, string personId, BatchContext context, SourceRecord record, string hubTime)
    {
        var police = record.Fact as PoliceRegistrationFact;
        commands.Execute(
            """
            UPDATE persons SET name_cipher = COALESCE($name, name_cipher), sex = COALESCE($sex, sex), birth_date = COALESCE($birth, birth_date),
              identity_agency = $agency, identity_dataset = $dataset, identity_source_key = $key,
              identity_agency_time = $at, identity_hub_time = $now, identity_run_id = $run
            WHERE person_id = $id AND (identity_agency_time IS NULL OR identity_agency_time <= $at)
            """,
            ("$name", record.Name is { Length: > 0 } name ? protector.Encrypt(name, DataPurpose.Name) : null),
            ("$sex", police is null ? null : (int)police.Sex), ("$birth", police?.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            ("$agency", context.Agency), ("$dataset", record.Dataset), ("$key", record.SourceKey),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", hubTime), ("$run", context.RunId), ("$id", personId));
    }

    private void UpsertSource(
        BatchCommands commands, (string, object?)[] key, string? personId, byte[] hash,
        SourceRecord record, long version, bool withdrawn, string hubTime, string runId) =>
        commands.Execute(
            """
            INSERT INTO source_records (agency, dataset, source_key, person_id, content_hash, payload_cipher, version, withdrawn, agency_time, hub_time, run_id)
            VALUES ($agency, $dataset, $key, $person, $hash, $payload, $version, $withdrawn, $at, $now, $run)
            ON CONFLICT (agency, dataset, source_key) DO UPDATE SET person_id = COALESCE(excluded.person_id, source_records.person_id),
              content_hash = excluded.content_hash, payload_cipher = excluded.payload_cipher, version = excluded.version,
              withdrawn = excluded.withdrawn, agency_time = excluded.agency_time, hub_time = excluded.hub_time, run_id = excluded.run_id
            """,
            [.. key, ("$person", personId), ("$hash", hash),
            ("$payload", protector.Encrypt(record.RawPayload.Span, DataPurpose.RawPayload)), ("$version", version),
            ("$withdrawn", withdrawn ? 1 : 0), ("$at", Timestamps.Format(record.AgencyTime)), ("$now", hubTime), ("$run", runId)]);

    private static long InsertFact(
        BatchCommands commands, (string, object?)[] key, long version, string? personId,
        string kind, byte[]? content, bool withdrawn, SourceRecord record, string hubTime, string runId) =>
        (long)commands.Scalar(
            """
            INSERT INTO facts (agency, dataset, source_key, version, person_id, kind, content_cipher, withdrawn, agency_time, hub_time, run_id)
            VALUES ($agency, $dataset, $key, $version, $person, $kind, $content, $withdrawn, $at, $now, $run)
            RETURNING fact_id
            """,
            [.. key, ("$version", version), ("$person", personId), ("$kind", kind), ("$content", content),
            ("$withdrawn", withdrawn ? 1 : 0), ("$at", Timestamps.Format(record.AgencyTime)), ("$now", hubTime), ("$run", runId)])!;

    private static void ProjectPolice(
        BatchCommands commands, string sourceKey, string personId, long factId, PoliceRegistrationFact police,
        SourceRecord record, string hubTime, string runId) =>
        commands.Execute(
            """
            INSERT INTO police_registrations (source_key, person_id, fact_id, residence_district, residence_street, has_grid, grade,
              control_status, responsible_count, required_count, agency_time, hub_time, run_id)
            VALUES ($key, $person, $fact, $district, $street, $grid, $grade, $status, $responsible, $required, $at, $now, $run)
            ON CONFLICT (source_key) DO UPDATE SET person_id = excluded.person_id, fact_id = excluded.fact_id,
              residence_district = excluded.residence_district, residence_street = excluded.residence_street, has_grid = excluded.has_grid,
              grade = excluded.grade, control_status = excluded.control_status, responsible_count = excluded.responsible_count,
              required_count = excluded.required_count, agency_time = excluded.agency_time, hub_time = excluded.hub_time, run_id = excluded.run_id
            """,
            ("$key", sourceKey), ("$person", personId), ("$fact", factId), ("$district", police.ResidenceDistrict),
            ("$street", police.ResidenceStreet ?? ""), ("$grid", string.IsNullOrEmpty(police.GridCode) ? 0 : 1), ("$grade", (int)police.Grade),
            ("$status", (int)police.Status), ("$responsible", police.ResponsiblePeople.Count), ("$required", ControlRatio.Required(police.Grade)),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", hubTime), ("$run", runId));

    private static RunCounts Count(RunCounts counts, RecordOutcome outcome) => outcome switch
    {
        RecordOutcome.Inserted => counts with { Inserted = counts.Inserted + 1 },
        RecordOutcome.Updated => counts with { Updated = counts.Updated + 1 },
        RecordOutcome.Unchanged => counts with { Unchanged = counts.Unchanged + 1 },
        RecordOutcome.Withdrawn => counts with { Withdrawn = counts.Withdrawn + 1 },
        RecordOutcome.OutOfScope => counts with { OutOfScope = counts.OutOfScope + 1 },
        RecordOutcome.Quarantined => counts with { Quarantined = counts.Quarantined + 1 },
        RecordOutcome.HeldForReview => counts with { HeldForReview = counts.HeldForReview + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };
}

/// <summary>Hub person IDs: time-ordered, random, and unrelated to any agency identifier.</summary>
public static class PersonIds
{
    public static string New(DateTimeOffset now) => "P" + Guid.CreateVersion7(now).ToString("N").ToUpperInvariant();
}
