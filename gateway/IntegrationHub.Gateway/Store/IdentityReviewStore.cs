using System.Globalization;
using IntegrationHub.Adapters;
using IntegrationHub.Gateway.Crypto;
using IntegrationHub.Gateway.Ingest;

namespace IntegrationHub.Gateway.Store;

public sealed record IdentityReviewView(
    long ReviewId, string Agency, string Dataset, string MaskedResidentId, string Name, string ReasonCode, string ReasonMessage,
    string? CandidatePersonId, string CandidateMaskedResidentId, string CandidateName, DateTimeOffset? AgencyTime, DateTimeOffset HeldAt,
    DateTimeOffset? PurgeAfter, string RunId);

/// <summary>The identity review queue: records that match a person only by name and birth date, and their decisions.</summary>
public sealed class IdentityReviewStore(HubDatabase database, PersonalDataProtector protector, IngestPipeline pipeline, TimeProvider time)
{
    public (IReadOnlyList<IdentityReviewView> Page, int Total) ListOpen(long? afterId, int limit)
    {
        using var connection = database.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM identity_review WHERE resolved_at IS NULL";
        var total = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT r.review_id, r.agency, r.dataset, r.source_key_masked, r.name_cipher, r.reason_code, r.reason_message, r.candidate_person_id,
                   p.id_masked, p.name_cipher, r.agency_time, r.hub_time, r.purge_after, r.run_id
            FROM identity_review r LEFT JOIN persons p ON p.person_id = r.candidate_person_id
            WHERE r.resolved_at IS NULL AND ($after IS NULL OR r.review_id > $after)
            ORDER BY r.review_id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", (object?)afterId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit);
        using var r = command.ExecuteReader();
        var page = new List<IdentityReviewView>();
        while (r.Read())
        {
            page.Add(new IdentityReviewView(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), Name(r[4]), r.GetString(5), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? "" : r.GetString(8), Name(r[9]),
                Timestamps.ParseOrNull(r[10] as string), Timestamps.Parse(r.GetString(11)), Timestamps.ParseOrNull(r[12] as string), r.GetString(13)));
        }

        return (page, total);
    }

    /// <summary>
    /// The record is the candidate's (or, for a police or justice record whose ID conflicts with its facts, the
    /// record is right as it is): its resident ID becomes an alias of the candidate, and the held record is ingested
    /// like any record (versioned fact, projection, provenance naming this decision).
    /// </summary>
    /// <returns>The person it now belongs to.</returns>
    /// <exception cref="InvalidOperationException">The review is unknown, already decided, or its candidate left scope.</exception>
    public string Merge(long reviewId)
    {
        var held = LoadOpen(reviewId);
        var scopeDefining = IngestPipeline.ScopeDefiningAgencies.Contains(held.Agency);
        if (held.CandidatePersonId is null && !scopeDefining)
        {
            throw new InvalidOperationException($"Review {reviewId} has no candidate person.");
        }

        var residentId = protector.DecryptString(held.ResidentIdCipher, DataPurpose.ResidentId);
        var now = time.GetUtcNow();
        if (held.CandidatePersonId is { } candidate)
        {
            using var connection = database.Open();
            using var alias = connection.CreateCommand();
            alias.CommandText = "INSERT OR IGNORE INTO person_aliases (id_blind, person_id, review_id, created_at) VALUES ($blind, $person, $review, $now)";
            alias.Parameters.AddWithValue("$blind", protector.BlindIndex(residentId));
            alias.Parameters.AddWithValue("$person", candidate);
            alias.Parameters.AddWithValue("$review", reviewId);
            alias.Parameters.AddWithValue("$now", Timestamps.Format(now));
            alias.ExecuteNonQuery();
        }

        var keyedById = held.RecordKey.StartsWith("bi:", StringComparison.Ordinal);
        var record = new SourceRecord
        {
            Dataset = held.Dataset,
            SourceKey = keyedById ? residentId : held.RecordKey,
            SourceKeyIsResidentId = keyedById,
            RawPayload = protector.Decrypt(held.PayloadCipher, DataPurpose.RawPayload),
            AgencyTime = held.AgencyTime,
            ResidentId = residentId,
            Name = held.NameCipher is null ? null : protector.DecryptString(held.NameCipher, DataPurpose.Name),
            Fact = FactSerializer.Deserialize(held.FactKind, protector.Decrypt(held.FactCipher, DataPurpose.FactContent)),
        };
        var context = new BatchContext("review", held.Agency, held.Dataset, "review-" + reviewId.ToString(CultureInfo.InvariantCulture), IdentityConfirmed: true);
        var counts = pipeline.CommitBatch(context, new SourceBatch([record], ""));
        if (counts.Inserted + counts.Updated + counts.Unchanged == 0)
        {
            throw new InvalidOperationException($"Review {reviewId}: the candidate person is no longer in scope, so the record cannot be merged.");
        }

        Resolve(reviewId, "merge", keepContent: false);
        using var lookup = database.Open();
        using var find = lookup.CreateCommand();
        find.CommandText = "SELECT person_id FROM persons WHERE id_blind = $blind OR person_id = (SELECT person_id FROM person_aliases WHERE id_blind = $blind)";
        find.Parameters.AddWithValue("$blind", protector.BlindIndex(residentId));
        var personId = find.ExecuteScalar() as string ?? held.CandidatePersonId ?? "";

        // The ID is now confirmed for this person: its later records are not held again for the same conflict.
        using var confirm = lookup.CreateCommand();
        confirm.CommandText = "INSERT OR IGNORE INTO person_aliases (id_blind, person_id, review_id, created_at) VALUES ($blind, $person, $review, $now)";
        confirm.Parameters.AddWithValue("$blind", protector.BlindIndex(residentId));
        confirm.Parameters.AddWithValue("$person", personId);
        confirm.Parameters.AddWithValue("$review", reviewId);
        confirm.Parameters.AddWithValue("$now", Timestamps.Format(now));
        confirm.ExecuteNonQuery();
        return personId;
    }

    /// <summary>The record is about somebody else: its content is forgotten, and rows with its ID stay out of scope.</summary>
    public void Separate(long reviewId)
    {
        LoadOpen(reviewId);
        Resolve(reviewId, "separate", keepContent: false);
    }

    private void Resolve(long reviewId, string resolution, bool keepContent)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = keepContent
            ? "UPDATE identity_review SET resolved_at = $now, resolution = $resolution WHERE review_id = $id"
            : """
              UPDATE identity_review SET resolved_at = $now, resolution = $resolution, resident_id_cipher = NULL, name_cipher = NULL,
                payload_cipher = x'', fact_cipher = NULL, purge_after = NULL
              WHERE review_id = $id
              """;
        command.Parameters.AddWithValue("$now", Timestamps.Format(time.GetUtcNow()));
        command.Parameters.AddWithValue("$resolution", resolution);
        command.Parameters.AddWithValue("$id", reviewId);
        command.ExecuteNonQuery();
    }

    private HeldRecord LoadOpen(long reviewId)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT agency, dataset, candidate_person_id, resident_id_cipher, name_cipher, payload_cipher, fact_kind, fact_cipher, agency_time, resolved_at, record_key
            FROM identity_review WHERE review_id = $id
            """;
        command.Parameters.AddWithValue("$id", reviewId);
        using var r = command.ExecuteReader();
        if (!r.Read())
        {
            throw new KeyNotFoundException($"No identity review {reviewId}.");
        }

        if (!r.IsDBNull(9))
        {
            throw new InvalidOperationException($"Review {reviewId} was already decided.");
        }

        return new HeldRecord(
            r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), (byte[])r[3], r.IsDBNull(4) ? null : (byte[])r[4], (byte[])r[5],
            r.GetString(6), (byte[])r[7], Timestamps.Parse(r.GetString(8)), r.GetString(10));
    }

    private string Name(object value) => value is byte[] cipher ? protector.DecryptString(cipher, DataPurpose.Name) : "";

    private sealed record HeldRecord(
        string Agency, string Dataset, string? CandidatePersonId, byte[] ResidentIdCipher, byte[]? NameCipher, byte[] PayloadCipher,
        string FactKind, byte[] FactCipher, DateTimeOffset AgencyTime, string RecordKey);
}
