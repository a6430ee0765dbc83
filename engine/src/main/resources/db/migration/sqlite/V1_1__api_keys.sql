-- API keys: only the SHA-256 of each key is kept; prefix is the key's first characters, to find
-- the candidates for a presented key and to help people tell keys apart.
CREATE TABLE api_keys (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    prefix     TEXT    NOT NULL,
    sha256     TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_keys_by_prefix ON api_keys (prefix);
