-- Side-by-side comparisons: one conversation sent to several models, what each answered, and
-- the judgments people made of the answers. Ids are ULIDs behind a prefix, so they sort in
-- creation order and are the paging cursor.
CREATE TABLE chat_comparisons (
    id                TEXT    NOT NULL PRIMARY KEY,
    global_key        TEXT,              -- names the comparison in exports; its id when absent
    prompt_message_id TEXT    NOT NULL,  -- the last prompt message: the parent of every answer
    conversation      TEXT    NOT NULL,  -- JSON chat request: prompt and inference_params
    created_at        INTEGER NOT NULL
);

CREATE TABLE chat_answers (
    id               TEXT    NOT NULL PRIMARY KEY,
    comparison_id    TEXT    NOT NULL REFERENCES chat_comparisons (id),
    position         INTEGER NOT NULL,
    model_id         TEXT    NOT NULL REFERENCES models (id),
    model_version_id TEXT    NOT NULL REFERENCES model_versions (id),
    model_version    INTEGER NOT NULL,
    model_name       TEXT    NOT NULL,
    outcome          TEXT    NOT NULL,  -- ANSWERED or FAILED
    status           INTEGER,           -- the endpoint's last HTTP status, when one came
    raw_response     TEXT,              -- exactly as the endpoint sent it
    assistant_text   TEXT,
    input_tokens     INTEGER,
    output_tokens    INTEGER,
    total_tokens     INTEGER,
    latency_ms       INTEGER NOT NULL,
    elapsed_ms       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL,
    error_code       TEXT,
    error_message    TEXT,
    UNIQUE (comparison_id, position)
);

CREATE TABLE chat_judgments (
    id            TEXT    NOT NULL PRIMARY KEY,
    comparison_id TEXT    NOT NULL REFERENCES chat_comparisons (id),
    kind          TEXT    NOT NULL,  -- SINGLE_SELECTION, MULTI_SELECTION or RANKING
    feature       TEXT    NOT NULL,  -- the Labelbox ontology feature it exports as
    messages      TEXT    NOT NULL,  -- JSON array of answer ids: the pick, the picks, or best first
    judge         TEXT,              -- the id of the API key that made it
    created_at    INTEGER NOT NULL
);
CREATE INDEX chat_judgments_by_comparison ON chat_judgments (comparison_id, id);
