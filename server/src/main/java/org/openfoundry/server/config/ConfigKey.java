package org.openfoundry.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Every configuration key the server knows, with its environment variable, its default and whether
 * it is a secret (never logged). The reference in {@code docs/configuration.md} lists the same
 * keys.
 */
public enum ConfigKey {
  SERVER_ROLE("server.role", "all", false, "what this node runs: api, worker or all"),
  HTTP_HOST("http.host", "0.0.0.0", false, "the address the HTTP server listens on"),
  HTTP_PORT("http.port", "8080", false, "the HTTP port; 0 picks a free one"),
  HTTP_PUBLIC_URL(
      "http.public_url",
      "",
      false,
      "the URL models use to reach this server (signed file URLs); empty: http://localhost:PORT"),
  HTTP_MAX_BODY_SIZE(
      "http.max_body_size", "10MiB", false, "largest JSON or YAML request body; larger is 413"),
  HTTP_MAX_UPLOAD_SIZE("http.max_upload_size", "100MiB", false, "largest uploaded file"),
  HTTP_MAX_IMPORT_SIZE(
      "http.max_import_size", "1GiB", false, "largest data-row import body (streamed)"),
  HTTP_MAX_LINE_SIZE(
      "http.max_line_size",
      "1MiB",
      false,
      "longest line of an NDJSON data-row import, in characters"),
  STORAGE_DATA_DIR(
      "storage.data_dir", "data", false, "the data folder: SQLite database, uploaded files, keys"),
  STORAGE_DB_URL(
      "storage.db_url",
      "",
      false,
      "JDBC URL of the database; empty: SQLite at DATA_DIR/foundry.db; jdbc:postgresql://..."),
  STORAGE_MASTER_KEY(
      "storage.master_key",
      "",
      true,
      "FOUNDRY_MASTER_KEY",
      "base64 of the 32-byte key that seals model secrets; empty: generated once into"
          + " DATA_DIR/master.key"),
  STORAGE_DB_USER("storage.db_user", "", false, "database user (PostgreSQL)"),
  STORAGE_DB_PASSWORD("storage.db_password", "", true, "database password (PostgreSQL)"),
  AUTH_ADMIN_KEY(
      "auth.admin_key",
      "",
      true,
      "FOUNDRY_ADMIN_KEY",
      "an admin API key to accept (at least 32 characters); empty: one is generated and printed"
          + " once at first start"),
  OUTBOUND_ALLOWED_NETWORKS(
      "outbound.allowed_networks",
      "",
      false,
      "comma-separated CIDR blocks that model endpoints may resolve to besides public addresses,"
          + " e.g. 127.0.0.0/8"),
  FILES_SIGNING_KEY(
      "files.signing_key",
      "",
      true,
      "key that signs file URLs handed to models; empty: generated once into the data folder"),
  FILES_URL_TTL("files.url_ttl", "15m", false, "how long a signed file URL stays valid"),
  HTTP_EVENTS_INTERVAL(
      "http.events_interval", "1s", false, "how often a run's event stream reads its progress"),
  DISPATCH_POLL_INTERVAL(
      "dispatch.poll_interval", "500ms", false, "how often a worker looks for tasks to claim"),
  DISPATCH_LEASE_DURATION(
      "dispatch.lease_duration",
      "60s",
      false,
      "how long a worker's claim on a task lasts unrenewed; a crashed worker's tasks return to the"
          + " queue after it");

  private final String key;
  private final String defaultValue;
  private final boolean secret;
  private final String environmentVariable;
  private final String description;

  ConfigKey(String key, String defaultValue, boolean secret, String description) {
    this(
        key,
        defaultValue,
        secret,
        "FOUNDRY_" + key.toUpperCase(Locale.ROOT).replace('.', '_'),
        description);
  }

  ConfigKey(
      String key,
      String defaultValue,
      boolean secret,
      String environmentVariable,
      String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.secret = secret;
    this.environmentVariable = environmentVariable;
    this.description = description;
  }

  /** The dotted name used in configuration files: {@code http.port}. */
  public String key() {
    return key;
  }

  /** The default as text; empty means "not set" or "derived", as the description says. */
  public String defaultValue() {
    return defaultValue;
  }

  public boolean secret() {
    return secret;
  }

  public String environmentVariable() {
    return environmentVariable;
  }

  public String description() {
    return description;
  }

  public static Optional<ConfigKey> byKey(String key) {
    return Arrays.stream(values()).filter(each -> each.key.equals(key)).findFirst();
  }

  public static Optional<ConfigKey> byEnvironmentVariable(String name) {
    return Arrays.stream(values())
        .filter(each -> each.environmentVariable.equals(name))
        .findFirst();
  }
}
