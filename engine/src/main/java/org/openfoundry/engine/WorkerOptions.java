package org.openfoundry.engine;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.ResponseReading;
import org.openfoundry.models.SecretValue;
import org.openfoundry.store.DatabaseConfig;

/**
 * The command line of a worker process, read into the node's configuration. The database password
 * and the master key come from the environment, never from the command line, where other users of
 * the machine could read them.
 */
record WorkerOptions(
    String databaseUrl,
    Optional<String> databaseUser,
    String owner,
    Path masterKeyFile,
    Duration lease,
    Duration poll,
    int claimBatch,
    int poolSize) {

  /** The environment variable holding the PostgreSQL password. */
  static final String DATABASE_PASSWORD = "FOUNDRY_DATABASE_PASSWORD";

  static final String USAGE =
      """
      usage: EngineWorkerMain --db <jdbc-url> --owner <name> [options]
        --db <jdbc-url>           jdbc:sqlite:/path/foundry.db or jdbc:postgresql://host/db
        --owner <name>            the name this worker's leases carry; unique per process
        --db-user <name>          PostgreSQL user (password from FOUNDRY_DATABASE_PASSWORD)
        --master-key-file <path>  key file when FOUNDRY_MASTER_KEY is not set (default master.key)
        --lease <duration>        how long a lease lasts before another worker may take the task
                                  (default 60s)
        --poll <duration>         the longest wait between dispatch cycles (default 500ms)
        --claim-batch <n>         the most tasks claimed per model per cycle (default 256)
        --pool <n>                database connections (default 4 on SQLite, 10 on PostgreSQL)
      durations: 500ms, 2s, 1m""";

  private static final Set<String> KEYS =
      Set.of(
          "--db",
          "--owner",
          "--db-user",
          "--master-key-file",
          "--lease",
          "--poll",
          "--claim-batch",
          "--pool");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m)");

  WorkerOptions {
    requireNonNull(databaseUrl, "databaseUrl is null");
    requireNonNull(databaseUser, "databaseUser is null");
    requireNonNull(owner, "owner is null");
    requireNonNull(masterKeyFile, "masterKeyFile is null");
    requireNonNull(lease, "lease is null");
    requireNonNull(poll, "poll is null");
  }

  /**
   * Reads {@code --key value} pairs.
   *
   * @throws IllegalArgumentException naming the option and the value at fault
   */
  static WorkerOptions parse(List<String> args) {
    Map<String, String> values = new HashMap<>();
    for (int index = 0; index < args.size(); index += 2) {
      String key = args.get(index);
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("unknown option " + key);
      }
      if (index + 1 >= args.size()) {
        throw new IllegalArgumentException(key + ": expected a value, got nothing");
      }
      if (values.put(key, args.get(index + 1)) != null) {
        throw new IllegalArgumentException(key + ": given twice");
      }
    }
    String url = required(values, "--db");
    String owner = required(values, "--owner");
    if (owner.isBlank()) {
      throw new IllegalArgumentException("--owner: expected a name, got a blank");
    }
    Duration lease = duration(values, "--lease", Duration.ofSeconds(60));
    Duration poll = duration(values, "--poll", Duration.ofMillis(500));
    if (poll.compareTo(lease.dividedBy(2)) >= 0) {
      throw new IllegalArgumentException(
          "--poll: expected less than half the lease ("
              + lease.toMillis()
              + "ms), got "
              + poll.toMillis()
              + "ms");
    }
    return new WorkerOptions(
        url,
        Optional.ofNullable(values.get("--db-user")),
        owner,
        Path.of(values.getOrDefault("--master-key-file", "master.key")),
        lease,
        poll,
        positive(values, "--claim-batch", DispatcherConfig.defaults(owner).claimBatchSize()),
        positive(values, "--pool", url.startsWith("jdbc:postgresql:") ? 10 : 4));
  }

  /** The node's configuration; {@code environment} supplies the password and the master key. */
  EngineConfig config(Map<String, String> environment) {
    DatabaseConfig defaults =
        DatabaseConfig.of(
            databaseUrl, databaseUser, Optional.ofNullable(environment.get(DATABASE_PASSWORD)));
    DatabaseConfig database =
        new DatabaseConfig(
            defaults.jdbcUrl(),
            defaults.user(),
            defaults.password(),
            poolSize,
            defaults.busyTimeout());
    DispatcherConfig defaultsOfDispatcher = DispatcherConfig.defaults(owner);
    DispatcherConfig dispatcher =
        new DispatcherConfig(
            owner,
            lease,
            claimBatch,
            defaultsOfDispatcher.horizon(),
            poll,
            defaultsOfDispatcher.completionBatchSize(),
            defaultsOfDispatcher.completionLinger(),
            defaultsOfDispatcher.shutdownGrace(),
            defaultsOfDispatcher.contextIdleTime());
    return new EngineConfig(
        database,
        new MasterKeySource.Lookup(Optional.<SecretValue>empty(), environment, masterKeyFile),
        dispatcher,
        EndpointClientConfig.defaults(),
        new ResponseReading());
  }

  private static String required(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalArgumentException(key + ": required, got nothing");
    }
    return value;
  }

  private static Duration duration(Map<String, String> values, String key, Duration fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
      throw new IllegalArgumentException(
          key + ": expected a positive duration such as 500ms, 2s or 1m, got \"" + value + "\"");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }

  private static int positive(Map<String, String> values, String key, int fallback) {
    String value = values.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= 1) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new IllegalArgumentException(
        key + ": expected a whole number >= 1, got \"" + value + "\"");
  }
}
