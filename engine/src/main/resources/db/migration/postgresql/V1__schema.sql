-- OpenFoundry store, PostgreSQL dialect. The SQLite migration holds the same tables.
-- Times are UTC epoch milliseconds. JSON documents are stored as text: the store never queries
-- inside them. Ids are a type prefix and a ULID.

-- Models keep their name and history; each change adds an immutable version.
CREATE TABLE models (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL,
    archived_at    BIGINT
);
-- A name is taken only while its model is not archived.
CREATE UNIQUE INDEX models_active_name ON models (name) WHERE archived_at IS NULL;

CREATE TABLE model_versions (
    id         TEXT    NOT NULL PRIMARY KEY,
    model_id   TEXT    NOT NULL REFERENCES models (id),
    version    INTEGER NOT NULL,
    manifest   TEXT    NOT NULL,  -- canonical JSON (keys sorted)
    secret     BYTEA,             -- sealed by the master key, never in clear
    created_at BIGINT  NOT NULL,
    UNIQUE (model_id, version)
);

CREATE TABLE datasets (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    row_count   BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL
);

-- seq orders rows as imported and is the paging cursor. It has no index of its own, on purpose:
-- given one, the planner walks it across every dataset instead of using data_rows_by_dataset.
CREATE TABLE data_rows (
    seq         BIGINT  NOT NULL GENERATED ALWAYS AS IDENTITY,
    id          TEXT    NOT NULL PRIMARY KEY,
    dataset_id  TEXT    NOT NULL REFERENCES datasets (id),
    global_key  TEXT    UNIQUE,
    row_data    TEXT    NOT NULL CHECK (length(row_data) BETWEEN 1 AND 65536),
    media_type  TEXT    NOT NULL,
    attachments TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX data_rows_by_dataset ON data_rows (dataset_id, seq);

CREATE TABLE runs (
    id                  TEXT    NOT NULL PRIMARY KEY,
    model_id            TEXT    NOT NULL REFERENCES models (id),
    model_version_id    TEXT    NOT NULL REFERENCES model_versions (id),
    dataset_id          TEXT    REFERENCES datasets (id),  -- set when the run covers a dataset
    state               TEXT    NOT NULL,
    features            TEXT    NOT NULL,  -- JSON array of feature names
    class_mapping       TEXT    NOT NULL,  -- JSON object, model class -> feature name
    inference_params    TEXT    NOT NULL,  -- JSON object, defaults filled in
    allowed_asset_types TEXT    NOT NULL,  -- JSON array
    failure_budget      DOUBLE PRECISION,  -- share of failed tasks (0..1) that stops the run
    created_at          BIGINT  NOT NULL,
    started_at          BIGINT,
    finished_at         BIGINT
);
CREATE INDEX runs_by_model ON runs (model_id, state, created_at);

-- Counts per task state, moved in the same transaction as the tasks, so that progress never
-- counts a million tasks.
CREATE TABLE run_counters (
    run_id    TEXT    NOT NULL PRIMARY KEY REFERENCES runs (id),
    model_id  TEXT    NOT NULL,
    queued    BIGINT  NOT NULL DEFAULT 0,
    leased    BIGINT  NOT NULL DEFAULT 0,
    succeeded BIGINT  NOT NULL DEFAULT 0,
    failed    BIGINT  NOT NULL DEFAULT 0,
    cancelled BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX run_counters_by_model ON run_counters (model_id);

-- Tasks that ended, per run and second, for throughput and ETA; old seconds are pruned.
CREATE TABLE run_completions (
    run_id       TEXT    NOT NULL REFERENCES runs (id),
    epoch_second BIGINT  NOT NULL,
    ended        BIGINT  NOT NULL,
    PRIMARY KEY (run_id, epoch_second)
);

-- One task per data row of a run. The id is the run's ULID then the row's, so that it can be
-- made by INSERT ... SELECT; it is the Idempotency-Key sent to the endpoint.
CREATE TABLE tasks (
    seq              BIGINT  NOT NULL GENERATED ALWAYS AS IDENTITY,  -- no index of its own, as above
    id               TEXT    NOT NULL PRIMARY KEY,
    run_id           TEXT    NOT NULL REFERENCES runs (id),
    data_row_id      TEXT    NOT NULL REFERENCES data_rows (id),
    state            TEXT    NOT NULL,
    available_at     BIGINT  NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    lease_owner      TEXT,
    lease_token      TEXT,
    leased_at        BIGINT,
    lease_expires_at BIGINT,
    last_status      INTEGER,
    error_code       TEXT,
    error_message    TEXT,
    latency_ms       BIGINT,
    finished_at      BIGINT
);
-- Claims (queued tasks of a run in task order) and paging by state.
CREATE INDEX tasks_by_run_state ON tasks (run_id, state, seq);
-- Queued tasks waiting out a backoff: few, and the only ones not runnable at once.
CREATE INDEX tasks_waiting ON tasks (run_id, available_at) WHERE state = 'QUEUED' AND attempts > 0;
-- Leases to expire.
CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE state = 'LEASED';

-- Every attempt of every task, appended and never rewritten.
CREATE TABLE task_attempts (
    task_id         TEXT    NOT NULL REFERENCES tasks (id),
    attempt         INTEGER NOT NULL,
    lease_owner     TEXT    NOT NULL,
    result          TEXT    NOT NULL,  -- SUCCEEDED, RETRY, FAILED, LEASE_EXPIRED
    http_status     INTEGER,
    error_code      TEXT,
    error_message   TEXT,
    response_prefix TEXT    NOT NULL,
    latency_ms      BIGINT,
    started_at      BIGINT  NOT NULL,
    finished_at     BIGINT  NOT NULL,
    PRIMARY KEY (task_id, attempt)
);

-- At most one result per task, and so per data row of a run.
CREATE TABLE task_results (
    task_id      TEXT    NOT NULL PRIMARY KEY REFERENCES tasks (id),
    attempt      INTEGER NOT NULL,
    predictions  TEXT    NOT NULL,
    report       TEXT    NOT NULL,
    raw_response TEXT    NOT NULL  -- size-capped
);

-- The rows a run selects by id or global key, staged within the creating transaction.
CREATE TABLE run_selection (
    run_id   TEXT    NOT NULL,
    position BIGINT  NOT NULL,
    item     TEXT    NOT NULL,
    PRIMARY KEY (run_id, item)
);

-- The per-model rate limit shared by every node (GCRA): the theoretical arrival time of the
-- model's next request, in microseconds of the database clock.
CREATE TABLE rate_limits (
    model_id TEXT   NOT NULL PRIMARY KEY,
    tat_us   BIGINT NOT NULL
);
