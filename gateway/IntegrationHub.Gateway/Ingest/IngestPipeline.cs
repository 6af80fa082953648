using System.Globalization;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Identity;
using IntegrationHub.Gateway.Indicators;
using IntegrationHub.Gateway.Linkage;
using IntegrationHub.Gateway.Store;

namespace IntegrationHub.Gateway.Ingest;

/// <summary>Which job, agency, dataset and run a batch belongs to.</summary>
/// <param name="IdentityConfirmed">An operator confirmed the record's identity (a merged review): conflicts between its
/// resident ID and its other facts no longer hold it back.</param>
/// <param name="DeferLinkage">A first full read (or a re-read after a reset): a person's records arrive over many
/// batches, so the rules would open findings that the next batch closes. The persons are marked due in the batch's
/// transaction instead, and evaluated once the run has read everything.</param>
public sealed record BatchContext(string Job, string Agency, string Dataset, string RunId, bool IdentityConfirmed = false, bool DeferLinkage = false);

/// <summary>
/// Takes one batch from an adapter through validation, identity, scope, matching and versioned upsert, and
/// commits it in ONE transaction together with the adapter's new cursor and the run's counts: after a crash
/// either the whole batch and its cursor are there, or neither is.
/// </summary>
/// <remarks>
/// Police and justice define who is in scope (DESIGN.md): their records create persons. Civil affairs and
/// HR deliver whole-city data: a row about someone outside scope is counted and nothing of it is kept.
/// </remarks>
/// <param name="linkage">Runs the linkage rules for the persons each batch touched, in the batch's transaction; null: no rules.</param>
public sealed class IngestPipeline(
    HubDatabase database, PersonalDataProtector protector, TimeProvider time, TimeSpan? retention = null, LinkageEvaluator? linkage = null)
{
    /// <summary>How long quarantined or held rows that may be about people outside scope are kept.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(30);

    /// <summary>The agencies whose records say who is in scope; the others' rows are kept only for people in scope.</summary>
    public static IReadOnlySet<string> ScopeDefiningAgencies { get; } = new HashSet<string>(StringComparer.Ordinal) { "police", "justice" };

    private readonly TimeSpan retentionPeriod = retention ?? DefaultRetention;
    private readonly IndicatorLedger indicators = new(protector);

    /// <summary>The current projection of each agency's facts, which withdrawals and leaves remove rows from.</summary>
    internal static string ProjectionOf(string agency) => agency switch
    {
        "police" => "police_registrations",
        "justice" => "rehab_cases",
        "civil-affairs" => "assistance",
        "hr" => "employment",
        _ => throw new NotSupportedException($"Unknown agency '{agency}'."),
    };

    public RunCounts CommitBatch(BatchContext context, SourceBatch batch) => CommitBatch(context, batch, out _);

    /// <param name="touchedPersons">Persons whose view changed, so that caches can drop them.</param>
    public RunCounts CommitBatch(BatchContext context, SourceBatch batch, out IReadOnlySet<string> touchedPersons) =>
        CommitBatch(context, batch, out touchedPersons, results: null);

    /// <param name="results">When given, receives each record's outcome in batch order, with the reason of a quarantine or hold.</param>
    public RunCounts CommitBatch(BatchContext context, SourceBatch batch, out IReadOnlySet<string> touchedPersons, List<RecordResult>? results)
    {
        var now = time.GetUtcNow();
        var state = new BatchState(context, Timestamps.Format(now), Timestamps.ChinaDay(now), now,
            Timestamps.Format(now + retentionPeriod));

        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var commands = new BatchCommands(connection, transaction);
        state = state with
        {
            AgencyHasQuarantine = commands.Scalar("SELECT 1 FROM quarantine WHERE agency = $agency LIMIT 1", ("$agency", context.Agency)) is not null,
        };
        var counts = new RunCounts();
        DateTimeOffset? newest = null;
        foreach (var record in batch.Records)
        {
            state.LastReason = null;
            var (outcome, storedKey) = Ingest(commands, state, record);
            counts = Count(counts, outcome);
            results?.Add(new RecordResult(outcome, state.LastReason?.Code, state.LastReason?.Message));
            if (batch.Snapshot is { } part && storedKey is not null)
            {
                commands.Execute(
                    "INSERT OR IGNORE INTO snapshot_seen (job, dataset, snapshot_id, source_key) VALUES ($job, $dataset, $snapshot, $key)",
                    ("$job", context.Job), ("$dataset", context.Dataset), ("$snapshot", part.SnapshotId), ("$key", storedKey));
            }

            if (newest is null || record.AgencyTime > newest)
            {
                newest = record.AgencyTime;
            }
        }

        if (batch.Snapshot is { IsLast: true } last)
        {
            counts = counts with { Left = counts.Left + EndSnapshot(commands, state, last) };
        }

        if (batch.Cursor.Length > 0)
        {
            WriteCursor(commands, state, batch.Cursor, newest);
        }

        foreach (var personId in state.TouchedPersons)
        {
            ChangeEvents.Append(commands, state.HubTime, ChangeEvents.PersonKind, personId, context.Agency, null, ChangeEvents.DatasetDetail(context.Dataset));
        }

        if (linkage is not null && context.DeferLinkage)
        {
            LinkageEvaluator.MarkDue(commands, state.TouchedPersons);
        }
        else
        {
            linkage?.Evaluate(commands, state.TouchedPersons, now);
        }
        SyncRunStore.AddBatchCounts(commands, context.RunId, counts);
        transaction.Commit();
        touchedPersons = state.TouchedPersons;
        return counts;
    }

    private static void WriteCursor(BatchCommands commands, BatchState state, string cursor, DateTimeOffset? newest) =>
        commands.Execute(
            """
            INSERT INTO cursors (job, dataset, cursor, agency_time, updated_at, run_id) VALUES ($job, $dataset, $cursor, $at, $now, $run)
            ON CONFLICT (job, dataset) DO UPDATE SET cursor = excluded.cursor,
              agency_time = COALESCE(MAX(excluded.agency_time, cursors.agency_time), excluded.agency_time, cursors.agency_time),
              updated_at = excluded.updated_at, run_id = excluded.run_id
            """,
            ("$job", state.Context.Job), ("$dataset", state.Context.Dataset), ("$cursor", cursor),
            ("$at", newest is { } n ? Timestamps.Format(n) : null), ("$now", state.HubTime), ("$run", state.Context.RunId));

    private (RecordOutcome Outcome, string? StoredKey) Ingest(BatchCommands commands, BatchState state, SourceRecord record)
    {
        var context = state.Context;
        var hash = protector.ContentHash(record.RawPayload.Span);
        ResidentId? residentId = null;
        string storedKey;
        string displayKey;
        if (record.SourceKeyIsResidentId)
        {
            // The agency's key is the resident ID itself: key the record by its blind index, never by the ID.
            if (!ResidentId.TryNormalise(record.SourceKey, state.Today, out residentId, out var keyProblem))
            {
                var rawKey = "raw:" + Convert.ToHexString(protector.ContentHash(System.Text.Encoding.UTF8.GetBytes(record.SourceKey)))[..32];
                return (Quarantine(commands, state, record, rawKey, ResidentId.Mask(record.SourceKey.Trim()), ResidentId.Code(keyProblem), ResidentId.Describe(keyProblem), hash), null);
            }

            storedKey = "bi:" + Convert.ToHexString(protector.BlindIndex(residentId.Value))[..32];
            displayKey = residentId.Masked;
        }
        else
        {
            storedKey = record.SourceKey;
            displayKey = record.SourceKey;
        }

        (string, object?)[] key = [("$agency", context.Agency), ("$dataset", record.Dataset), ("$key", storedKey)];
        var outcome = IngestKeyed(commands, state, record, residentId, storedKey, displayKey, hash, key);
        if (outcome.Outcome != RecordOutcome.Quarantined && state.AgencyHasQuarantine)
        {
            // This version supersedes a quarantined one of the same record (re-sent corrected, replayed, or now out of scope).
            commands.Execute("DELETE FROM quarantine WHERE agency = $agency AND dataset = $dataset AND source_key = $key", key);
        }

        return outcome;
    }

    private (RecordOutcome Outcome, string? StoredKey) IngestKeyed(
        BatchCommands commands, BatchState state, SourceRecord record, ResidentId? residentId, string storedKey, string displayKey, byte[] hash,
        (string, object?)[] key)
    {
        var context = state.Context;
        var existing = FindSource(commands, key);
        if (existing is { } e && e.Hash.AsSpan().SequenceEqual(hash))
        {
            return (RecordOutcome.Unchanged, storedKey);
        }

        if (record.Problem is { } problem)
        {
            // A bad row of a whole-city dataset whose ID is clearly somebody outside scope is not ours to keep.
            if (residentId is not null && !ScopeDefiningAgencies.Contains(context.Agency) && FindPersonInScope(commands, residentId) is null)
            {
                return (RecordOutcome.OutOfScope, null);
            }

            return (Quarantine(commands, state, record, storedKey, displayKey, problem.Code, problem.Message, hash), null);
        }

        if (record.Withdrawn)
        {
            Withdraw(commands, state, key, record, existing, hash, FactSerializer.WithdrawalKind);
            return (RecordOutcome.Withdrawn, null);
        }

        if (residentId is null && !ResidentId.TryNormalise(record.ResidentId, state.Today, out residentId, out var idProblem))
        {
            return (Quarantine(commands, state, record, storedKey, displayKey, ResidentId.Code(idProblem), ResidentId.Describe(idProblem), hash), null);
        }

        var fact = record.Fact ?? throw new InvalidOperationException($"Record {displayKey} has neither a fact nor a problem.");
        string personId;
        if (ScopeDefiningAgencies.Contains(context.Agency))
        {
            if (!context.IdentityConfirmed && IdentityConflict(residentId, fact) is { } conflict
                && commands.Scalar("SELECT 1 FROM person_aliases WHERE id_blind = $blind", ("$blind", protector.BlindIndex(residentId.Value))) is null)
            {
                var candidate = commands.Scalar("SELECT person_id FROM persons WHERE id_blind = $blind", ("$blind", protector.BlindIndex(residentId.Value))) as string;
                return (Hold(commands, state, record, storedKey, residentId, hash, "ID_CONFLICTS_WITH_FACTS", conflict, candidate), null);
            }

            personId = FindOrCreatePerson(commands, residentId, state);
            UpdateIdentity(commands, personId, residentId, record, state);
        }
        else if (FindPersonInScope(commands, residentId) is { } inScope)
        {
            personId = inScope;
        }
        else
        {
            return (HoldIfNameMatches(commands, state, record, storedKey, residentId, hash), null);
        }

        var (kind, json) = FactSerializer.Serialize(fact);
        var version = (existing?.Version ?? 0) + 1;
        var content = protector.Encrypt(json, DataPurpose.FactContent);
        if (existing is { AgencyTime: var currentTime } && currentTime > record.AgencyTime)
        {
            // An older version arriving late (a re-sent past snapshot) corrects history, not the current state.
            commands.Execute("UPDATE source_records SET version = $version WHERE agency = $agency AND dataset = $dataset AND source_key = $key", [.. key, ("$version", version)]);
            InsertFact(commands, key, version, personId, kind, content, withdrawn: false, record, state);
            IndicatorLedger.Late(commands, context.Agency, storedKey, fact, record.AgencyTime, state.Now);
            return (RecordOutcome.Updated, storedKey);
        }

        UpsertSource(commands, key, personId, hash, record, version, withdrawn: false, state);
        var factId = InsertFact(commands, key, version, personId, kind, content, withdrawn: false, record, state);
        indicators.Current(commands, context.Agency, storedKey, personId, fact, record.AgencyTime, state.Now);
        Project(commands, storedKey, personId, factId, fact, record, state);
        commands.Execute("DELETE FROM quarantine WHERE agency = $agency AND dataset = $dataset AND source_key = $key", key);
        state.TouchedPersons.Add(personId);
        return (existing is null ? RecordOutcome.Inserted : RecordOutcome.Updated, storedKey);
    }

    private static (byte[] Hash, long Version, string? PersonId, DateTimeOffset AgencyTime)? FindSource(BatchCommands commands, (string, object?)[] key)
    {
        using var reader = commands.Get(
            "SELECT content_hash, version, person_id, agency_time FROM source_records WHERE agency = $agency AND dataset = $dataset AND source_key = $key",
            key).ExecuteReader();
        return reader.Read()
            ? ((byte[])reader[0], reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2), Timestamps.Parse(reader.GetString(3)))
            : null;
    }

    private RecordOutcome Quarantine(
        BatchCommands commands, BatchState state, SourceRecord record, string storedKey, string displayKey, string code, string message, byte[] hash)
    {
        var agency = state.Context.Agency;
        state.LastReason = (code, message);
        commands.Execute(
            """
            INSERT INTO quarantine (agency, dataset, source_key, display_key, reason_code, reason_message, content_hash, payload_cipher, agency_time, hub_time, run_id, purge_after)
            VALUES ($agency, $dataset, $key, $display, $code, $message, $hash, $payload, $at, $now, $run, $purge)
            ON CONFLICT (agency, dataset, source_key) DO UPDATE SET display_key = excluded.display_key, reason_code = excluded.reason_code,
              reason_message = excluded.reason_message, content_hash = excluded.content_hash, payload_cipher = excluded.payload_cipher,
              agency_time = excluded.agency_time, hub_time = excluded.hub_time, run_id = excluded.run_id, purge_after = excluded.purge_after
            """,
            ("$agency", agency), ("$dataset", record.Dataset), ("$key", storedKey), ("$display", displayKey), ("$code", code), ("$message", message),
            ("$hash", hash), ("$payload", protector.Encrypt(record.RawPayload.Span, DataPurpose.RawPayload)),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", state.HubTime), ("$run", state.Context.RunId),
            // Rows from whole-city datasets may be about anyone: they do not stay forever.
            ("$purge", ScopeDefiningAgencies.Contains(agency) ? null : state.PurgeAfter));
        return RecordOutcome.Quarantined;
    }

    /// <summary>
    /// A whole-city row whose ID is nobody in scope: if its name and birth date match someone in scope it may be
    /// them under a wrong ID, so it waits for review; otherwise it is about someone else and nothing is kept.
    /// </summary>
    private RecordOutcome HoldIfNameMatches(
        BatchCommands commands, BatchState state, SourceRecord record, string storedKey, ResidentId residentId, byte[] hash)
    {
        if (string.IsNullOrWhiteSpace(record.Name)
            || commands.Scalar(
                "SELECT 1 FROM identity_review WHERE agency = $agency AND dataset = $dataset AND record_key = $key AND resolution = 'separate'",
                ("$agency", state.Context.Agency), ("$dataset", record.Dataset), ("$key", storedKey)) is not null)
        {
            // No name to match, or an operator already decided this ID is somebody else.
            return RecordOutcome.OutOfScope;
        }

        var nameBirth = protector.NameBirthIndex(PersonName.Normalise(record.Name), residentId.BirthDate);
        if (commands.Scalar(
                $"SELECT p.person_id FROM persons p WHERE p.name_birth_blind = $nb AND {InScopeCondition} LIMIT 1", ("$nb", nameBirth)) is not string candidate)
        {
            return RecordOutcome.OutOfScope;
        }

        return Hold(commands, state, record, storedKey, residentId, hash, "NAME_BIRTH_ONLY",
            "the resident ID matches nobody in scope, but the name and birth date match a person in scope", candidate);
    }

    /// <summary>
    /// The police's own facts contradict the resident ID they came with (birth date, or sex against the sequence
    /// digit's parity): one of them is wrong, so the record is not attached to anyone until an operator decides.
    /// </summary>
    private static string? IdentityConflict(ResidentId residentId, Fact fact)
    {
        if (fact is not PoliceRegistrationFact police)
        {
            return null;
        }

        if (police.BirthDate is { } birth && birth != residentId.BirthDate)
        {
            return "the birth date (csrq) differs from the one in the resident ID";
        }

        var idSaysMale = (residentId.Value[16] - '0') % 2 == 1;
        return (police.Sex == Sex.Male && !idSaysMale) || (police.Sex == Sex.Female && idSaysMale)
            ? "the sex (xb) differs from the one the resident ID's sequence number gives"
            : null;
    }

    /// <summary>Holds a record for identity review, encrypted; purged after the retention unless decided.</summary>
    private RecordOutcome Hold(
        BatchCommands commands, BatchState state, SourceRecord record, string storedKey, ResidentId residentId, byte[] hash,
        string reasonCode, string reasonMessage, string? candidate)
    {
        var (kind, json) = record.Fact is { } fact ? FactSerializer.Serialize(fact) : (null, null);
        state.LastReason = (reasonCode, reasonMessage);
        commands.Execute(
            """
            INSERT INTO identity_review (agency, dataset, record_key, source_key_masked, reason_code, reason_message, candidate_person_id,
              resident_id_cipher, name_cipher, content_hash, payload_cipher, fact_kind, fact_cipher, agency_time, hub_time, run_id, purge_after)
            VALUES ($agency, $dataset, $key, $masked, $reason, $message, $candidate, $id, $name, $hash, $payload, $kind, $fact, $at, $now, $run, $purge)
            ON CONFLICT (agency, dataset, record_key) DO UPDATE SET reason_code = excluded.reason_code, reason_message = excluded.reason_message,
              candidate_person_id = excluded.candidate_person_id,
              resident_id_cipher = excluded.resident_id_cipher, name_cipher = excluded.name_cipher,
              content_hash = excluded.content_hash, payload_cipher = excluded.payload_cipher, fact_kind = excluded.fact_kind,
              fact_cipher = excluded.fact_cipher, agency_time = excluded.agency_time,
              hub_time = excluded.hub_time, run_id = excluded.run_id, purge_after = excluded.purge_after
            WHERE identity_review.resolved_at IS NULL
            """,
            ("$agency", state.Context.Agency), ("$dataset", record.Dataset), ("$key", storedKey), ("$masked", ResidentId.Mask(residentId.Value)),
            ("$reason", reasonCode), ("$message", reasonMessage),
            ("$candidate", candidate), ("$id", protector.Encrypt(residentId.Value, DataPurpose.ResidentId)),
            ("$name", record.Name is { Length: > 0 } name ? protector.Encrypt(name, DataPurpose.Name) : null), ("$hash", hash),
            ("$payload", protector.Encrypt(record.RawPayload.Span, DataPurpose.RawPayload)),
            ("$kind", kind), ("$fact", json is null ? null : protector.Encrypt(json, DataPurpose.FactContent)),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", state.HubTime), ("$run", state.Context.RunId),
            ("$purge", ScopeDefiningAgencies.Contains(state.Context.Agency) ? null : state.PurgeAfter));
        return RecordOutcome.HeldForReview;
    }

    /// <summary>In scope: registered with the police (not withdrawn) or with a justice case (DESIGN.md, scope).</summary>
    internal const string InScopeCondition =
        "(EXISTS (SELECT 1 FROM police_registrations r WHERE r.person_id = p.person_id) OR EXISTS (SELECT 1 FROM rehab_cases c WHERE c.person_id = p.person_id))";

    /// <summary>The person in scope with this ID, or with this ID as a confirmed alias.</summary>
    private string? FindPersonInScope(BatchCommands commands, ResidentId residentId) =>
        commands.Scalar(
            $"""
            SELECT p.person_id FROM persons p
            WHERE (p.id_blind = $blind OR p.person_id = (SELECT a.person_id FROM person_aliases a WHERE a.id_blind = $blind)) AND {InScopeCondition}
            """,
            ("$blind", protector.BlindIndex(residentId.Value))) as string;

    private void Withdraw(
        BatchCommands commands, BatchState state, (string, object?)[] key, SourceRecord record,
        (byte[] Hash, long Version, string? PersonId, DateTimeOffset AgencyTime)? existing, byte[] hash, string kind)
    {
        var version = (existing?.Version ?? 0) + 1;
        UpsertSource(commands, key, existing?.PersonId, hash, record, version, withdrawn: true, state);
        InsertFact(commands, key, version, existing?.PersonId, kind, content: null, withdrawn: true, record, state);
        commands.Execute($"DELETE FROM {ProjectionOf(state.Context.Agency)} WHERE source_key = $key", key[2]);
        IndicatorLedger.Withdrawn(commands, state.Context.Agency, (string)key[2].Item2!, record.AgencyTime, state.Now);
        commands.Execute("DELETE FROM quarantine WHERE agency = $agency AND dataset = $dataset AND source_key = $key", key);
        if (existing?.PersonId is { } personId)
        {
            state.TouchedPersons.Add(personId);
        }
    }

    /// <summary>
    /// The last batch of a snapshot: when it is the newest, whoever was held from earlier snapshots and is absent
    /// from this one has left the roster. Returns how many left.
    /// </summary>
    private static long EndSnapshot(BatchCommands commands, BatchState state, SnapshotPart part)
    {
        var context = state.Context;
        long left = 0;
        if (part.DefinesCurrentRoster)
        {
            var gone = new List<(string Key, string? PersonId, long Version)>();
            using (var reader = commands.Get(
                """
                SELECT s.source_key, s.person_id, s.version FROM source_records s
                WHERE s.agency = $agency AND s.dataset = $dataset AND s.withdrawn = 0
                  AND NOT EXISTS (SELECT 1 FROM snapshot_seen x WHERE x.job = $job AND x.dataset = $dataset AND x.snapshot_id = $snapshot AND x.source_key = s.source_key)
                """,
                ("$agency", context.Agency), ("$dataset", context.Dataset), ("$job", context.Job), ("$snapshot", part.SnapshotId)).ExecuteReader())
            {
                while (reader.Read())
                {
                    gone.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2)));
                }
            }

            foreach (var (sourceKey, personId, version) in gone)
            {
                (string, object?)[] key = [("$agency", context.Agency), ("$dataset", context.Dataset), ("$key", sourceKey)];
                // The hash is cleared so that the same row coming back in a later snapshot is a return, not a no-op.
                commands.Execute(
                    "UPDATE source_records SET withdrawn = 1, content_hash = X'', version = $version, agency_time = $at, hub_time = $now, run_id = $run WHERE agency = $agency AND dataset = $dataset AND source_key = $key",
                    [.. key, ("$version", version + 1), ("$at", Timestamps.Format(part.AsOf)), ("$now", state.HubTime), ("$run", context.RunId)]);
                commands.Execute(
                    """
                    INSERT INTO facts (agency, dataset, source_key, version, person_id, kind, content_cipher, withdrawn, agency_time, hub_time, run_id)
                    VALUES ($agency, $dataset, $key, $version, $person, $kind, NULL, 1, $at, $now, $run)
                    """,
                    [.. key, ("$version", version + 1), ("$person", personId), ("$kind", FactSerializer.LeftKind),
                     ("$at", Timestamps.Format(part.AsOf)), ("$now", state.HubTime), ("$run", context.RunId)]);
                commands.Execute($"DELETE FROM {ProjectionOf(context.Agency)} WHERE source_key = $key", key[2]);
                if (personId is not null)
                {
                    state.TouchedPersons.Add(personId);
                }

                left++;
            }
        }

        // A completed snapshot closes every earlier one that was never finished.
        commands.Execute("DELETE FROM snapshot_seen WHERE job = $job AND dataset = $dataset", ("$job", context.Job), ("$dataset", context.Dataset));
        return left;
    }

    private string FindOrCreatePerson(BatchCommands commands, ResidentId residentId, BatchState state)
    {
        var blind = protector.BlindIndex(residentId.Value);
        if (commands.Scalar("SELECT person_id FROM persons WHERE id_blind = $blind", ("$blind", blind)) is string found)
        {
            return found;
        }

        var personId = PersonIds.New(state.Now);
        commands.Execute(
            "INSERT INTO persons (person_id, id_blind, id_cipher, id_masked, birth_date, created_at) VALUES ($id, $blind, $cipher, $masked, $birth, $now)",
            ("$id", personId), ("$blind", blind), ("$cipher", protector.Encrypt(residentId.Value, DataPurpose.ResidentId)),
            ("$masked", residentId.Masked), ("$birth", Date(residentId.BirthDate)), ("$now", state.HubTime));
        return personId;
    }

    /// <summary>
    /// The newest police or justice record (by agency time) decides the person's name; sex and birth date come from
    /// the police, who alone record them, whatever order the records arrive in.
    /// </summary>
    private void UpdateIdentity(BatchCommands commands, string personId, ResidentId residentId, SourceRecord record, BatchState state)
    {
        var police = record.Fact as PoliceRegistrationFact;
        var hasName = record.Name is { Length: > 0 };
        if (police is not null)
        {
            commands.Execute(
                // A pushed registration carries no sex (Sex.Unknown): it never erases the one police sent.
                "UPDATE persons SET sex = CASE WHEN $sex = 0 THEN sex ELSE $sex END, birth_date = COALESCE($birth, birth_date) WHERE person_id = $id",
                ("$sex", (int)police.Sex), ("$birth", Date(police.BirthDate)), ("$id", personId));
        }

        commands.Execute(
            """
            UPDATE persons SET name_cipher = COALESCE($name, name_cipher), name_birth_blind = COALESCE($nameBirth, name_birth_blind),
              identity_agency = $agency, identity_dataset = $dataset, identity_source_key = $key,
              identity_agency_time = $at, identity_hub_time = $now, identity_run_id = $run
            WHERE person_id = $id AND (identity_agency_time IS NULL OR identity_agency_time <= $at)
            """,
            ("$name", hasName ? protector.Encrypt(record.Name!, DataPurpose.Name) : null),
            ("$nameBirth", hasName ? protector.NameBirthIndex(PersonName.Normalise(record.Name!), residentId.BirthDate) : null),
            ("$agency", state.Context.Agency), ("$dataset", record.Dataset), ("$key", record.SourceKey),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", state.HubTime), ("$run", state.Context.RunId), ("$id", personId));
    }

    private void UpsertSource(
        BatchCommands commands, (string, object?)[] key, string? personId, byte[] hash, SourceRecord record, long version, bool withdrawn, BatchState state) =>
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
            ("$withdrawn", withdrawn ? 1 : 0), ("$at", Timestamps.Format(record.AgencyTime)), ("$now", state.HubTime), ("$run", state.Context.RunId)]);

    private static long InsertFact(
        BatchCommands commands, (string, object?)[] key, long version, string? personId, string kind, byte[]? content, bool withdrawn,
        SourceRecord record, BatchState state) =>
        (long)commands.Scalar(
            """
            INSERT INTO facts (agency, dataset, source_key, version, person_id, kind, content_cipher, withdrawn, agency_time, hub_time, run_id)
            VALUES ($agency, $dataset, $key, $version, $person, $kind, $content, $withdrawn, $at, $now, $run)
            RETURNING fact_id
            """,
            [.. key, ("$version", version), ("$person", personId), ("$kind", kind), ("$content", content),
            ("$withdrawn", withdrawn ? 1 : 0), ("$at", Timestamps.Format(record.AgencyTime)), ("$now", state.HubTime), ("$run", state.Context.RunId)])!;

    /// <summary>Keeps each agency's current-state table, which searches, indicators and rules read, in step.</summary>
    private static void Project(BatchCommands commands, string sourceKey, string personId, long factId, Fact fact, SourceRecord record, BatchState state)
    {
        (string, object?)[] common =
        [
            ("$key", sourceKey), ("$person", personId), ("$fact", factId),
            ("$at", Timestamps.Format(record.AgencyTime)), ("$now", state.HubTime), ("$run", state.Context.RunId),
        ];
        switch (fact)
        {
            case PoliceRegistrationFact police:
                commands.Execute(
                    """
                    INSERT OR REPLACE INTO police_registrations (source_key, person_id, fact_id, residence_district, residence_street, has_grid, grade,
                      control_status, responsible_count, required_count, agency_time, hub_time, run_id)
                    VALUES ($key, $person, $fact, $district, $street, $grid, $grade, $status, $responsible, $required, $at, $now, $run)
                    """,
                    [.. common, ("$district", police.ResidenceDistrict), ("$street", police.ResidenceStreet ?? ""),
                     ("$grid", string.IsNullOrEmpty(police.GridCode) ? 0 : 1), ("$grade", (int)police.Grade), ("$status", (int)police.Status),
                     ("$responsible", police.ResponsiblePeople.Count), ("$required", ControlRatio.Required(police.Grade))]);
                break;
            case RehabCaseFact rehab:
                commands.Execute(
                    """
                    INSERT OR REPLACE INTO rehab_cases (source_key, person_id, fact_id, case_type, status, decided_on, reported_on,
                      executing_district, executing_street, agency_time, hub_time, run_id)
                    VALUES ($key, $person, $fact, $type, $status, $decided, $reported, $district, $street, $at, $now, $run)
                    """,
                    [.. common, ("$type", (int)rehab.Type), ("$status", (int)rehab.Status), ("$decided", Date(rehab.DecidedOn)),
                     ("$reported", Date(rehab.ReportedOn)), ("$district", rehab.ExecutingDistrict ?? ""), ("$street", rehab.ExecutingStreet ?? "")]);
                break;
            case AssistanceFact assistance:
                commands.Execute(
                    """
                    INSERT OR REPLACE INTO assistance (source_key, person_id, fact_id, assistance_type, status, district, street, agency_time, hub_time, run_id)
                    VALUES ($key, $person, $fact, $type, $status, $district, $street, $at, $now, $run)
                    """,
                    [.. common, ("$type", (int)assistance.Type), ("$status", (int)assistance.Status),
                     ("$district", assistance.District ?? ""), ("$street", assistance.Street ?? "")]);
                break;
            case EmploymentFact employment:
                commands.Execute(
                    """
                    INSERT OR REPLACE INTO employment (source_key, person_id, fact_id, status, hard_to_employ, insured, agency_time, hub_time, run_id)
                    VALUES ($key, $person, $fact, $status, $hard, $insured, $at, $now, $run)
                    """,
                    [.. common, ("$status", (int)employment.Status), ("$hard", employment.HardToEmploy ? 1 : 0),
                     ("$insured", employment.MedicalInsuranceEnrolled ? 1 : 0)]);
                break;
            default:
                throw new NotSupportedException($"No projection for {fact.GetType().Name}.");
        }
    }

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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

    /// <summary>What every record of one batch shares.</summary>
    private sealed record BatchState(BatchContext Context, string HubTime, DateOnly Today, DateTimeOffset Now, string PurgeAfter)
    {
        /// <summary>Whether the agency has anything in quarantine that a record of this batch could supersede.</summary>
        public bool AgencyHasQuarantine { get; init; }

        public HashSet<string> TouchedPersons { get; } = new(StringComparer.Ordinal);

        /// <summary>Why the record being ingested was quarantined or held, for callers that report per record.</summary>
        public (string Code, string Message)? LastReason { get; set; }
    }
}

/// <summary>One record's outcome in a batch; a quarantine or hold carries its reason.</summary>
public sealed record RecordResult(RecordOutcome Outcome, string? ReasonCode, string? Reason);

/// <summary>Hub person IDs: time-ordered, random, and unrelated to any agency identifier.</summary>
public static class PersonIds
{
    public static string New(DateTimeOffset now) => "P" + Guid.CreateVersion7(now).ToString("N").ToUpperInvariant();
}
