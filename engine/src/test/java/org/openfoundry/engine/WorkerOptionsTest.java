package org.openfoundry.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {
  @Test
  void reads_the_database_owner_and_dispatch_settings() {
    WorkerOptions options =
        WorkerOptions.parse(
            List.of(
                "--db", "jdbc:postgresql://127.0.0.1:5432/test",
                "--owner", "worker-2",
                "--db-user", "postgres",
                "--lease", "2s",
                "--poll", "100ms",
                "--claim-batch", "64",
                "--master-key-file", "/keys/master.key"));

    EngineConfig config = options.config(Map.of(WorkerOptions.DATABASE_PASSWORD, "pw"));

    assertThat(config.database().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test");
    assertThat(config.database().user()).contains("postgres");
    assertThat(config.database().password()).contains("pw");
    assertThat(config.database().maxPoolSize()).isEqualTo(10);
    assertThat(config.dispatcher().owner()).isEqualTo("worker-2");
    assertThat(config.dispatcher().leaseDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.dispatcher().pollInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.dispatcher().claimBatchSize()).isEqualTo(64);
    assertThat(config.masterKey())
        .isEqualTo(
            new MasterKeySource.Lookup(
                Optional.empty(),
                Map.of(WorkerOptions.DATABASE_PASSWORD, "pw"),
                Path.of("/keys/master.key")));
    assertThat(config.masterKey().toString()).doesNotContain("pw");
  }

  @Test
  void takes_the_defaults_of_a_sqlite_worker() {
    WorkerOptions options =
        WorkerOptions.parse(List.of("--db", "jdbc:sqlite:/data/foundry.db", "--owner", "w1"));

    assertThat(options.lease()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.poll()).isEqualTo(Duration.ofMillis(500));
    assertThat(options.poolSize()).isEqualTo(4);
    assertThat(options.masterKeyFile()).isEqualTo(Path.of("master.key"));
  }

  @Test
  void names_the_option_at_fault() {
    assertThatThrownBy(() -> WorkerOptions.parse(List.of("--owner", "w1")))
        .hasMessage("--db: required, got nothing");
    assertThatThrownBy(
            () ->
                WorkerOptions.parse(
                    List.of("--db", "jdbc:sqlite:x.db", "--owner", "w", "--x", "1")))
        .hasMessage("unknown option --x");
    assertThatThrownBy(
            () ->
                WorkerOptions.parse(
                    List.of("--db", "jdbc:sqlite:x.db", "--owner", "w", "--lease", "soon")))
        .hasMessage("--lease: expected a positive duration such as 500ms, 2s or 1m, got \"soon\"");
    assertThatThrownBy(
            () ->
                WorkerOptions.parse(
                    List.of(
                        "--db",
                        "jdbc:sqlite:x.db",
                        "--owner",
                        "w",
                        "--lease",
                        "1s",
                        "--poll",
                        "600ms")))
        .hasMessage("--poll: expected less than half the lease (1000ms), got 600ms");
    assertThatThrownBy(
            () ->
                WorkerOptions.parse(
                    List.of("--db", "jdbc:sqlite:x.db", "--owner", "w", "--claim-batch", "0")))
        .hasMessage("--claim-batch: expected a whole number >= 1, got \"0\"");
    assertThatThrownBy(() -> WorkerOptions.parse(List.of("--db")))
        .hasMessage("--db: expected a value, got nothing");
  }
}
