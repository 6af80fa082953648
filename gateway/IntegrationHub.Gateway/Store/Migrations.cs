namespace IntegrationHub.Gateway.Store;

/// <summary>The store's schema, one forward-only step at a time. Never edit an applied migration; add one.</summary>
public static class Migrations
{
    public sealed record Migration(int Version, string Description, string Sql);

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "persons, source records, versioned facts, police projection, quarantine, runs, cursors, keys", """
            CREATE TABLE hub_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);

            -- One row per person. The resident ID is held only encrypted, masked, and as a keyed blind index.
            CREATE TABLE persons (
              person_id TEXT PRIMARY KEY,
              id_blind BLOB NOT NULL UNIQUE,
              id_cipher BLOB NOT NULL,
              id_masked TEXT NOT NULL,
              name_cipher BLOB,
              sex INTEGER NOT NULL DEFAULT 0,
              birth_date TEXT,
              identity_agency TEXT, identity_dataset TEXT, identity_source_key TEXT,
              identity_agency_time TEXT, identity_hub_time TEXT, identity_run_id TEXT,
              created_at TEXT NOT NULL);

            -- The latest version of every record an agency sent, with its raw payload (encrypted) and keyed hash.
            CREATE TABLE source_records (
              agency TEXT NOT NULL, dataset TEXT NOT NULL, source_key TEXT NOT NULL,
              person_id TEXT REFERENCES persons(person_id),
              content_hash BLOB NOT NULL,
              payload_cipher BLOB NOT NULL,
              version INTEGER NOT NULL,
              withdrawn INTEGER NOT NULL DEFAULT 0,
              agency_time TEXT NOT NULL, hub_time TEXT NOT NULL, run_id TEXT NOT NULL,
              PRIMARY KEY (agency, dataset, source_key));

            -- Every version of every fact: history is kept, never overwritten.
            CREATE TABLE facts (
              fact_id INTEGER PRIMARY KEY,
              agency TEXT NOT NULL, dataset TEXT NOT NULL, source_key TEXT NOT NULL, version INTEGER NOT NULL,
              person_id TEXT REFERENCES persons(person_id),
              kind TEXT NOT NULL,
              content_cipher BLOB,
              withdrawn INTEGER NOT NULL DEFAULT 0,
              agency_time TEXT NOT NULL, hub_time TEXT NOT NULL, run_id TEXT NOT NULL,
              UNIQUE (agency, dataset, source_key, version));
            CREATE INDEX facts_by_person ON facts (person_id, agency_time);

            -- Current police registrations (withdrawn ones removed): what searches and indicators read.
            CREATE TABLE police_registrations (
              source_key TEXT PRIMARY KEY,
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              fact_id INTEGER NOT NULL REFERENCES facts(fact_id),
              residence_district TEXT NOT NULL,
              residence_street TEXT NOT NULL,
              has_grid INTEGER NOT NULL,
              grade INTEGER NOT NULL,
              control_status INTEGER NOT NULL,
              responsible_count INTEGER NOT NULL,
              required_count INTEGER NOT NULL,
              agency_time TEXT NOT NULL, hub_time TEXT NOT NULL, run_id TEXT NOT NULL);
            CREATE INDEX police_by_person ON police_registrations (person_id);
            CREATE INDEX police_by_area ON police_registrations (residence_district, residence_street);

            -- Records that failed validation or mapping, latest per source key, with reason and payload (encrypted).
            CREATE TABLE quarantine (
              quarantine_id INTEGER PRIMARY KEY,
              agency TEXT NOT NULL, dataset TEXT NOT NULL, source_key TEXT NOT NULL,
              reason_code TEXT NOT NULL, reason_message TEXT NOT NULL,
              content_hash BLOB NOT NULL,
              payload_cipher BLOB NOT NULL,
              agency_time TEXT, hub_time TEXT NOT NULL, run_id TEXT NOT NULL,
              UNIQUE (agency, dataset, source_key));

            CREATE TABLE sync_runs (
              run_id TEXT PRIMARY KEY,
              job TEXT NOT NULL,
              trigger TEXT NOT NULL,
              outcome TEXT NOT NULL,
              started_at TEXT NOT NULL,
              ended_at TEXT,
              read INTEGER NOT NULL DEFAULT 0, inserted INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,
              unchanged INTEGER NOT NULL DEFAULT 0, withdrawn INTEGER NOT NULL DEFAULT 0, out_of_scope INTEGER NOT NULL DEFAULT 0,
              quarantined INTEGER NOT NULL DEFAULT 0, held_for_review INTEGER NOT NULL DEFAULT 0, left_roster INTEGER NOT NULL DEFAULT 0,
              batches INTEGER NOT NULL DEFAULT 0,
              failure_kind TEXT, failure_message TEXT);
            CREATE INDEX runs_by_job ON sync_runs (job, started_at);

            -- Where each job's dataset resumes; written in the same transaction as the batch it follows.
            CREATE TABLE cursors (
              job TEXT NOT NULL, dataset TEXT NOT NULL,
              cursor TEXT NOT NULL,
              agency_time TEXT,
              updated_at TEXT NOT NULL, run_id TEXT NOT NULL,
              PRIMARY KEY (job, dataset));

            -- API keys, stored as SHA-256 hashes of high-entropy random keys.
            CREATE TABLE api_keys (
              name TEXT PRIMARY KEY,
              key_hash BLOB NOT NULL UNIQUE,
              roles TEXT NOT NULL,
              agency TEXT,
              created_at TEXT NOT NULL,
              revoked_at TEXT);
            """),
        new(2, "justice cases, assistance, employment, identity review, snapshots, retention", """
            -- Blind index of (normalised name, birth date): finds name-only matches without storing names in clear.
            ALTER TABLE persons ADD COLUMN name_birth_blind BLOB;
            CREATE INDEX persons_by_name_birth ON persons (name_birth_blind);

            -- Current justice cases (deleted ones removed); history stays in facts.
            CREATE TABLE rehab_cases (
              source_key TEXT PRIMARY KEY,
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              fact_id INTEGER NOT NULL REFERENCES facts(fact_id),
              case_type INTEGER NOT NULL,
              status INTEGER NOT NULL,
              decided_on TEXT NOT NULL,
              reported_on TEXT,
              executing_district TEXT NOT NULL,
              executing_street TEXT NOT NULL,
              agency_time TEXT NOT NULL, hub_time TEXT NOT NULL, run_id TEXT NOT NULL);
            CREATE INDEX rehab_by_person ON rehab_cases (person_id);
            CREATE INDEX rehab_by_area ON rehab_cases (executing_district, executing_street);

            -- Current assistance roster entries of people in scope.
            CREATE TABLE assistance (
              source_key TEXT PRIMARY KEY,
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              fact_id INTEGER NOT NULL REFERENCES facts(fact_id),
              assistance_type INTEGER NOT NULL,
              status INTEGER NOT NULL,
              district TEXT NOT NULL,
              street TEXT NOT NULL,
              agency_time TEXT NOT NULL, hub_time TEXT NOT NULL, run_id TEXT NOT NULL);
            CREATE INDEX assistance_by_person ON assistance (person_id);

            -- Current employment, training and insurance of people in scope.
            CREATE TABLE employment (
              source_key TEXT PRIMARY KEY,
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              fact_id INTEGER NOT NULL REFERENCES facts(fact_id),
              status INTEGER NOT NULL,
              hard_to_employ INTEGER NOT NULL,
              insured INTEGER NOT NULL,
              agency_time TEXT NOT NULL, hub_time TEXT NOT NULL, run_id TEXT NOT NULL);
            CREATE INDEX employment_by_person ON employment (person_id);

            -- Records that match a person only by name and birth date: never merged silently.
            CREATE TABLE identity_review (
              review_id INTEGER PRIMARY KEY,
              agency TEXT NOT NULL, dataset TEXT NOT NULL,
              record_key TEXT NOT NULL,
              source_key_masked TEXT NOT NULL,
              reason_code TEXT NOT NULL, reason_message TEXT NOT NULL,
              candidate_person_id TEXT REFERENCES persons(person_id),
              resident_id_cipher BLOB,
              name_cipher BLOB,
              content_hash BLOB NOT NULL,
              payload_cipher BLOB NOT NULL,
              agency_time TEXT, hub_time TEXT NOT NULL, run_id TEXT NOT NULL,
              purge_after TEXT,
              resolved_at TEXT, resolution TEXT,
              UNIQUE (agency, dataset, record_key));

            -- Quarantined rows about people who may be outside scope are purged after their retention.
            ALTER TABLE quarantine ADD COLUMN purge_after TEXT;
            -- What operators see as the key: the rybh or ajbh, or a masked ID when the agency keys rows by resident ID.
            ALTER TABLE quarantine ADD COLUMN display_key TEXT;

            -- Keys seen so far in a snapshot being read, so that its end can tell who left.
            CREATE TABLE snapshot_seen (
              job TEXT NOT NULL, dataset TEXT NOT NULL, snapshot_id TEXT NOT NULL, source_key TEXT NOT NULL,
              PRIMARY KEY (job, dataset, snapshot_id, source_key));
            """),
        new(3, "identity review decisions: the held fact, and aliases from merged IDs", """
            -- The held record's canonical content, so that a merge applies it without the adapter.
            ALTER TABLE identity_review ADD COLUMN fact_kind TEXT;
            ALTER TABLE identity_review ADD COLUMN fact_cipher BLOB;

            -- Another resident ID an operator confirmed as this person's (e.g. an agency's typo): matched like the person's own.
            CREATE TABLE person_aliases (
              id_blind BLOB PRIMARY KEY,
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              review_id INTEGER,
              created_at TEXT NOT NULL);
            """),
        new(4, "operating sync jobs: pause and schedule overrides, agency health and alerts, run retries", """
            -- What operators changed about a job; kept across restarts (the configured schedule stays in configuration).
            CREATE TABLE job_settings (
              job TEXT PRIMARY KEY,
              paused INTEGER NOT NULL DEFAULT 0,
              paused_at TEXT,
              schedule TEXT,
              first_scheduled_at TEXT NOT NULL,
              updated_at TEXT NOT NULL);

            -- Each agency's current run of failures, and whether an alert is raised for it.
            CREATE TABLE agency_health (
              agency TEXT PRIMARY KEY,
              failing_since TEXT,
              last_failure_at TEXT,
              last_error TEXT,
              consecutive_failures INTEGER NOT NULL DEFAULT 0,
              alert_raised_at TEXT,
              last_success_at TEXT);

            -- Alerts raised and cleared: one row at onset, one at recovery, never one per retry.
            CREATE TABLE agency_alerts (
              alert_id INTEGER PRIMARY KEY,
              agency TEXT NOT NULL,
              kind TEXT NOT NULL,
              at TEXT NOT NULL,
              message TEXT NOT NULL);

            ALTER TABLE sync_runs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE sync_runs ADD COLUMN current_dataset TEXT;
            -- How far behind the agency the job was when the run ended (hub time minus the newest committed agency time).
            ALTER TABLE sync_runs ADD COLUMN lag_seconds REAL;
            CREATE INDEX quarantine_by_agency ON quarantine (agency, reason_code);
            """),
        new(5, "audit log: hash-chained records of who read or changed what, and an index of the persons they touched", """
            -- One row per audited event, never updated or deleted. Each hash is an HMAC (key in keys/, not here) over the
            -- row's other columns and the previous row's hash (Audit/AuditRecord.cs has the exact input).
            CREATE TABLE audit_records (
              seq INTEGER PRIMARY KEY,
              at TEXT NOT NULL,
              principal TEXT NOT NULL,
              roles TEXT NOT NULL,
              kind TEXT NOT NULL,
              method TEXT NOT NULL,
              purpose TEXT NOT NULL,
              persons TEXT NOT NULL,
              lookups TEXT NOT NULL,
              outcome TEXT NOT NULL,
              detail TEXT NOT NULL,
              prev_hash BLOB NOT NULL,
              hash BLOB NOT NULL);

            -- Append-only for the application: a change or removal is refused (someone who drops these triggers is caught
            -- by the chain instead).
            CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

            -- Who touched a person (hub person ID) or looked for a resident ID nobody has ('#' and its blind index): derived
            -- from audit_records.persons and .lookups, so that `audit person` needs no scan; verification checks it agrees.
            CREATE TABLE audit_subjects (
              subject TEXT NOT NULL,
              seq INTEGER NOT NULL,
              PRIMARY KEY (subject, seq)) WITHOUT ROWID;
            CREATE INDEX audit_subjects_by_seq ON audit_subjects (seq, subject);
            CREATE TRIGGER audit_subjects_no_update BEFORE UPDATE ON audit_subjects
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_subjects_no_delete BEFORE DELETE ON audit_subjects
              BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """),
        new(6, "credentials: several keys per principal (rotation with an overlap), certificates revoked by the hub", """
            -- A principal (name) may hold more than one key while it changes over: each key has its own id, and a rotated
            -- key stays valid until expires_at (or until revoked). Rebuilt because name was the primary key.
            CREATE TABLE api_keys_v5 (
              key_id TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              key_hash BLOB NOT NULL UNIQUE,
              roles TEXT NOT NULL,
              agency TEXT,
              created_at TEXT NOT NULL,
              expires_at TEXT,
              revoked_at TEXT);
            INSERT INTO api_keys_v5 (key_id, name, key_hash, roles, agency, created_at, revoked_at)
              SELECT lower(hex(randomblob(6))), name, key_hash, roles, agency, created_at, revoked_at FROM api_keys;
            DROP TABLE api_keys;
            ALTER TABLE api_keys_v5 RENAME TO api_keys;
            CREATE INDEX api_keys_by_name ON api_keys (name);

            -- Client certificates the hub refuses although their CA still vouches for them (a private CA publishes no
            -- revocation list): SHA-256 thumbprint, upper-case hex. Checked on every call, like keys.
            CREATE TABLE revoked_certificates (
              thumbprint TEXT PRIMARY KEY,
              issuer TEXT,
              revoked_at TEXT NOT NULL);
            """),
        new(7, "runs an operator triggered that have not started yet", """
            -- A triggered run waits here until it starts (it may wait for the job's current run), so that asking for it
            -- says "queued" rather than "no such run". The run's own row replaces it when it starts.
            CREATE TABLE queued_runs (
              run_id TEXT PRIMARY KEY,
              job TEXT NOT NULL,
              trigger TEXT NOT NULL,
              queued_at TEXT NOT NULL);
            """),
        new(8, "linkage: findings with their history, persons due for a re-check, agency freshness, the change log", """
            -- One row per (rule, person, subject): opened, acknowledged, resolved, closed by the data, reopened; the state
            -- is the latest of its events. Explanations cite source keys (rybh, ajbh, masked IDs), never a name or full ID.
            CREATE TABLE findings (
              finding_id INTEGER PRIMARY KEY,
              rule TEXT NOT NULL,
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              subject TEXT NOT NULL,
              target_agency TEXT NOT NULL,
              district TEXT NOT NULL,
              street TEXT NOT NULL,
              state TEXT NOT NULL,
              explanation TEXT NOT NULL,
              evidence TEXT NOT NULL,
              first_opened_at TEXT NOT NULL,
              opened_at TEXT NOT NULL,
              updated_at TEXT NOT NULL,
              resolved_at TEXT,
              closed_at TEXT,
              times_opened INTEGER NOT NULL DEFAULT 1,
              UNIQUE (rule, person_id, subject));
            CREATE INDEX findings_by_worklist ON findings (target_agency, state, district, street);
            CREATE INDEX findings_by_person ON findings (person_id);

            -- Every transition of every finding, with who made it (a principal, or "data") and their note (encrypted).
            CREATE TABLE finding_events (
              event_id INTEGER PRIMARY KEY,
              finding_id INTEGER NOT NULL REFERENCES findings(finding_id),
              at TEXT NOT NULL,
              state TEXT NOT NULL,
              actor TEXT NOT NULL,
              note_cipher BLOB,
              explanation TEXT);
            CREATE INDEX finding_events_by_finding ON finding_events (finding_id, event_id);

            -- When time alone may change a person's findings (day 16 of a report-in period, a grade's age, a resolved
            -- finding's grace): the sweep evaluates them again on that day. Everyone already held is due at once.
            CREATE TABLE linkage_due (
              person_id TEXT PRIMARY KEY REFERENCES persons(person_id),
              due_on TEXT NOT NULL);
            CREATE INDEX linkage_due_by_day ON linkage_due (due_on);
            INSERT INTO linkage_due (person_id, due_on) SELECT person_id, '0001-01-01' FROM persons;

            -- Whether the hub's copy of each agency's data was stale at the last sweep: a change re-evaluates its people.
            CREATE TABLE agency_freshness (
              agency TEXT PRIMARY KEY,
              stale INTEGER NOT NULL,
              changed_at TEXT NOT NULL);

            -- What changed, in commit order: the change feed agencies subscribe to reads it from a cursor (seq).
            CREATE TABLE change_events (
              seq INTEGER PRIMARY KEY AUTOINCREMENT,
              at TEXT NOT NULL,
              kind TEXT NOT NULL,
              person_id TEXT,
              agency TEXT,
              finding_id INTEGER,
              detail TEXT NOT NULL);
            CREATE INDEX change_events_by_person ON change_events (person_id, seq);
            """),
        new(9, "indicators maintained as data changes: per-day deltas by area, each record's valid-time spans, persons helped", """
            -- What each police registration and justice case counts for, version by version, in valid time: a span starts on
            -- the Asia/Shanghai day of its version's agency time (never after the day the hub received it) and lasts until the
            -- next span's from_day. mask: one bit per indicator counter (Indicators/IndicatorCounters.cs); counts_from: an
            -- execution case counts only from its decision day + 16.
            CREATE TABLE indicator_spans (
              agency TEXT NOT NULL, source_key TEXT NOT NULL,
              from_day TEXT NOT NULL,
              agency_time TEXT NOT NULL,
              district TEXT NOT NULL, street TEXT NOT NULL,
              mask INTEGER NOT NULL,
              counts_from TEXT,
              PRIMARY KEY (agency, source_key, from_day)) WITHOUT ROWID;

            -- How each counter of each area changes on a day; the figures as of day D are the sums over day <= D.
            CREATE TABLE indicator_deltas (
              day TEXT NOT NULL, district TEXT NOT NULL, street TEXT NOT NULL,
              registered INTEGER NOT NULL, community INTEGER NOT NULL, graded INTEGER NOT NULL, grid INTEGER NOT NULL,
              extreme INTEGER NOT NULL, extreme_ok INTEGER NOT NULL, high INTEGER NOT NULL, high_ok INTEGER NOT NULL,
              medium INTEGER NOT NULL, medium_ok INTEGER NOT NULL, low INTEGER NOT NULL, low_ok INTEGER NOT NULL,
              due INTEGER NOT NULL, reported INTEGER NOT NULL,
              PRIMARY KEY (day, district, street)) WITHOUT ROWID;

            -- A person in scope helped into assistance, insurance, a job or training: the first time only, on the day the
            -- agency dates it, in the person's area then.
            CREATE TABLE helped (
              person_id TEXT NOT NULL REFERENCES persons(person_id),
              kind TEXT NOT NULL,
              day TEXT NOT NULL,
              district TEXT NOT NULL, street TEXT NOT NULL,
              recorded_at TEXT NOT NULL,
              PRIMARY KEY (person_id, kind)) WITHOUT ROWID;
            CREATE INDEX helped_by_day ON helped (day);

            -- An existing hub starts from its current projections: each row counts from its own agency day (earlier
            -- versions were not kept in a form SQL can read, so earlier days see only what is current).
            INSERT INTO indicator_spans (agency, source_key, from_day, agency_time, district, street, mask, counts_from)
            SELECT 'police', source_key, min(date(agency_time, '+8 hours'), date(hub_time, '+8 hours')), agency_time,
              residence_district, residence_street,
              1 | CASE WHEN control_status <> 0 THEN 0 ELSE
                2 | (CASE WHEN grade <> 0 THEN 4 ELSE 0 END) | (CASE WHEN has_grid = 1 THEN 8 ELSE 0 END)
                  | (CASE grade WHEN 1 THEN 16 WHEN 2 THEN 64 WHEN 3 THEN 256 WHEN 4 THEN 1024 ELSE 0 END)
                  | (CASE WHEN responsible_count < required_count THEN 0 WHEN grade = 1 THEN 32 WHEN grade = 2 THEN 128
                          WHEN grade = 3 THEN 512 WHEN grade = 4 THEN 2048 ELSE 0 END) END,
              NULL
            FROM police_registrations;
            INSERT INTO indicator_spans (agency, source_key, from_day, agency_time, district, street, mask, counts_from)
            SELECT 'justice', source_key, min(date(agency_time, '+8 hours'), date(hub_time, '+8 hours')), agency_time,
              executing_district, executing_street,
              CASE WHEN case_type NOT IN (0, 1) THEN 0 WHEN status IN (1, 2, 6) THEN 4096 | 8192 ELSE 4096 END,
              CASE WHEN case_type IN (0, 1) THEN date(decided_on, '+16 days') END
            FROM rehab_cases;
            INSERT INTO indicator_deltas (day, district, street, registered, community, graded, grid, extreme, extreme_ok, high, high_ok,
              medium, medium_ok, low, low_ok, due, reported)
            SELECT max(from_day, COALESCE(counts_from, from_day)), district, street,
              SUM(mask & 1 <> 0), SUM(mask & 2 <> 0), SUM(mask & 4 <> 0), SUM(mask & 8 <> 0), SUM(mask & 16 <> 0), SUM(mask & 32 <> 0),
              SUM(mask & 64 <> 0), SUM(mask & 128 <> 0), SUM(mask & 256 <> 0), SUM(mask & 512 <> 0), SUM(mask & 1024 <> 0),
              SUM(mask & 2048 <> 0), SUM(mask & 4096 <> 0), SUM(mask & 8192 <> 0)
            FROM indicator_spans WHERE mask <> 0
            GROUP BY 1, 2, 3;
            """),
        new(10, "findings opened and closed per day: finding events by time", """
            -- The dashboard's chart counts transitions per day and state over a window: this index alone answers it, and
            -- finding_id leads to the finding's rule by its primary key.
            CREATE INDEX finding_events_by_time_state ON finding_events (at, state, finding_id);
            """),
        new(11, "findings: the data items each explanation states", """
            -- A reader who may not see every item an explanation states gets it withheld. Explanations written before this
            -- version get their rule's items (docs/linkage-rules.md; a household review's depend on whether its own text
            -- cites police's control status or justice's case, event by event; older staleness texts named the control
            -- status); a data-closed event's text states nothing. NULL stays only for an unknown rule: withheld from all
            -- but readers who see every item.
            -- The persons with active findings are also made due, so the next sweep writes their current explanations.
            ALTER TABLE findings ADD COLUMN explanation_items TEXT;
            ALTER TABLE finding_events ADD COLUMN explanation_items TEXT;
            UPDATE findings SET explanation_items = CASE rule
              WHEN 'HANDOVER_GAP' THEN 'justice.cases'
              WHEN 'REPORT_IN_OVERDUE' THEN 'justice.cases'
              WHEN 'CONTROL_RATIO_GAP' THEN 'police.control_status,police.grade,police.responsible_people'
              WHEN 'GRADING_GAP' THEN 'police.control_status,police.grade'
              WHEN 'GRADING_INCONSISTENCY' THEN 'police.grade,police.drug_test,justice.cases'
              WHEN 'ASSISTANCE_REVIEW' THEN 'justice.in_community_treatment,hr.employment,civil_affairs.assistance'
              WHEN 'HOUSEHOLD_REVIEW' THEN CASE WHEN explanation LIKE '%(police control status compulsory isolation (police %'
                                                THEN 'police.in_isolation,civil_affairs.assistance' ELSE 'justice.cases,civil_affairs.assistance' END
              WHEN 'EMPLOYMENT_SUPPORT' THEN 'justice.in_community_treatment,hr.employment,hr.training'
              WHEN 'INSURANCE_GAP' THEN 'justice.in_community_treatment,hr.insurance'
              WHEN 'CONFLICT' THEN 'police.control_status,justice.cases,hr.employment'
              WHEN 'STALENESS' THEN 'police.control_status,justice.in_community_treatment'
            END;
            UPDATE finding_events SET explanation_items = CASE
              WHEN explanation IS NULL THEN NULL
              WHEN state = 'closed' THEN ''
              WHEN (SELECT f.rule FROM findings f WHERE f.finding_id = finding_events.finding_id) = 'HOUSEHOLD_REVIEW'
                THEN CASE WHEN explanation LIKE '%(police control status compulsory isolation (police %'
                          THEN 'police.in_isolation,civil_affairs.assistance' ELSE 'justice.cases,civil_affairs.assistance' END
              ELSE (SELECT f.explanation_items FROM findings f WHERE f.finding_id = finding_events.finding_id) END;
            INSERT INTO linkage_due (person_id, due_on)
              SELECT DISTINCT person_id, '0001-01-01' FROM findings WHERE state IN ('open', 'acknowledged') AND true
              ON CONFLICT (person_id) DO UPDATE SET due_on = excluded.due_on;
            """),
        new(12, "the change feed's retention: how far its events have been pruned", """
            -- Events up to pruned_through are gone: a subscriber resuming from an older cursor may have missed some and is
            -- told so (CURSOR_EXPIRED) instead of being streamed past the gap.
            CREATE TABLE change_feed_horizon (id INTEGER PRIMARY KEY CHECK (id = 1), pruned_through INTEGER NOT NULL);
            INSERT INTO change_feed_horizon (id, pruned_through) VALUES (1, 0);
            """),
    ];
}
