package org.openfoundry.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.outbound.Cidr;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;

class ConfigLoaderTest {
  @TempDir Path folder;

  private Path write(String name, String text) throws IOException {
    Path file = folder.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void defaults_give_a_single_node_on_sqlite_in_the_data_folder() {
    ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).config();

    assertThat(config.role()).isEqualTo(ServerRole.ALL);
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().maxBodyBytes()).isEqualTo(10L << 20);
    assertThat(config.storage().databaseUrl())
        .isEqualTo("jdbc:sqlite:" + Path.of("data", "foundry.db"));
    assertThat(config.outbound().allowedNetworks()).isEmpty();
    assertThat(config.files().urlTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(config.http().publicUrl(9000)).isEqualTo(URI.create("http://localhost:9000"));
    assertThat(config.dispatch())
        .isEqualTo(new ServerConfig.Dispatch(Duration.ofMillis(500), Duration.ofSeconds(60)));
  }

  @Test
  void a_short_lease_goes_with_a_short_poll() {
    ServerConfig config =
        ConfigLoader.load(
                Optional.empty(),
                Map.of(
                    "FOUNDRY_DISPATCH_LEASE_DURATION", "2s",
                    "FOUNDRY_DISPATCH_POLL_INTERVAL", "50ms"),
                Map.of())
            .config();

    assertThat(config.dispatch())
        .isEqualTo(new ServerConfig.Dispatch(Duration.ofMillis(50), Duration.ofSeconds(2)));
  }

  @Test
  void a_lease_not_longer_than_two_polls_is_refused_naming_both_keys() throws IOException {
    Path file = write("foundry.yaml", "dispatch:\n  poll_interval: 1s\n  lease_duration: 2s\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid ->
                assertThat(invalid.problems())
                    .extracting(Problem::format)
                    .containsExactly(
                        "foundry.yaml:3:19 dispatch.lease_duration: expected more than twice"
                            + " dispatch.poll_interval (1s), got \"2s\" [foundry.yaml:3:19]: leases"
                            + " are renewed when half of one is left"));
  }

  @Test
  void reads_nested_and_dotted_yaml_keys_with_lists() throws IOException {
    Path file =
        write(
            "foundry.yaml",
            """
            http:
              port: 9090
              max_body_size: 2MiB
            storage.data_dir: /var/lib/foundry
            outbound:
              allowed_networks: [127.0.0.0/8, "::1/128"]
            files:
              url_ttl: 90s
            """);

    ServerConfig config = ConfigLoader.load(Optional.of(file), Map.of(), Map.of()).config();

    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().maxBodyBytes()).isEqualTo(2L << 20);
    assertThat(config.storage().dataDir()).isEqualTo(Path.of("/var/lib/foundry"));
    assertThat(config.storage().databaseUrl()).isEqualTo("jdbc:sqlite:/var/lib/foundry/foundry.db");
    assertThat(config.outbound().allowedNetworks())
        .containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    assertThat(config.files().urlTtl()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void environment_overrides_the_file_and_the_command_line_overrides_both() throws IOException {
    Path file = write("foundry.properties", "http.port=9090\nserver.role=worker\n");

    ServerConfig config =
        ConfigLoader.load(
                Optional.of(file),
                Map.of("FOUNDRY_HTTP_PORT", "9191", "FOUNDRY_SERVER_ROLE", "api", "PATH", "/bin"),
                Map.of(ConfigKey.HTTP_PORT, "9292"))
            .config();

    assertThat(config.http().port()).isEqualTo(9292);
    assertThat(config.role()).isEqualTo(ServerRole.API);
  }

  @Test
  void variables_of_the_launcher_the_logging_and_the_cli_client_are_not_server_settings() {
    ServerConfig config =
        ConfigLoader.load(
                Optional.empty(),
                Map.of(
                    "FOUNDRY_JAVA_OPTS", "-Xmx1g",
                    "FOUNDRY_LOG_LEVEL", "DEBUG",
                    "FOUNDRY_SERVER", "http://127.0.0.1:8080",
                    "FOUNDRY_API_KEY", "ofk_client",
                    "FOUNDRY_CLI_CONFIG", "/etc/foundry-cli.yaml",
                    "FOUNDRY_HTTP_PORT", "9191"),
                Map.of())
            .config();

    assertThat(config.http().port()).isEqualTo(9191);
  }

  @Test
  void an_unknown_key_in_the_file_fails_with_its_name_and_position() throws IOException {
    Path file = write("foundry.yaml", "http:\n  port: 8080\n  prot: 9090\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid -> {
              Problem problem = invalid.problems().getFirst();
              assertThat(problem.path()).isEqualTo("http.prot");
              assertThat(problem.position()).contains(new SourcePosition("foundry.yaml", 3, 9));
              assertThat(problem.message()).contains("unknown configuration key");
            });
  }

  @Test
  void an_unknown_foundry_environment_variable_fails_but_others_are_ignored() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(), Map.of("FOUNDRY_HTTP_PROT", "1", "HOME", "/root"), Map.of()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid ->
                assertThat(invalid.problems())
                    .singleElement()
                    .satisfies(
                        problem -> assertThat(problem.path()).isEqualTo("FOUNDRY_HTTP_PROT")));
    assertThat(
            ConfigLoader.load(Optional.empty(), Map.of("FOUNDRY_JAVA_OPTS", "-Xmx1g"), Map.of())
                .config()
                .http()
                .port())
        .isEqualTo(8080);
  }

  @Test
  void every_bad_value_is_reported_at_once_naming_where_it_was_set() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    Optional.empty(),
                    Map.of(
                        "FOUNDRY_HTTP_PORT", "eighty",
                        "FOUNDRY_SERVER_ROLE", "boss",
                        "FOUNDRY_OUTBOUND_ALLOWED_NETWORKS", "10.0.0.0/8,localhost",
                        "FOUNDRY_HTTP_MAX_BODY_SIZE", "lots"),
                    Map.of()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid ->
                assertThat(invalid.problems())
                    .extracting(Problem::format)
                    .containsExactlyInAnyOrder(
                        "server.role: expected api, worker or all, got \"boss\" [FOUNDRY_SERVER_ROLE]",
                        "http.port: expected a port number from 0 to 65535, got \"eighty\""
                            + " [FOUNDRY_HTTP_PORT]",
                        "http.max_body_size: expected a positive size such as 10MiB or 1048576, got"
                            + " \"lots\" [FOUNDRY_HTTP_MAX_BODY_SIZE]",
                        "outbound.allowed_networks: expected CIDR blocks such as 127.0.0.0/8, got"
                            + " \"localhost\" [FOUNDRY_OUTBOUND_ALLOWED_NETWORKS]"));
  }

  @Test
  void the_effective_configuration_masks_secrets_and_names_origins() {
    LoadedConfig loaded =
        ConfigLoader.load(
            Optional.empty(),
            Map.of(
                "FOUNDRY_ADMIN_KEY", "a-very-secret-admin-key-of-forty-characters",
                "FOUNDRY_STORAGE_DB_PASSWORD", "hunter2"),
            Map.of());

    assertThat(String.join("\n", loaded.effective()))
        .doesNotContain("a-very-secret-admin-key")
        .doesNotContain("hunter2")
        .contains("auth.admin_key = ****  [FOUNDRY_ADMIN_KEY]")
        .contains("storage.db_password = ****  [FOUNDRY_STORAGE_DB_PASSWORD]")
        .contains("http.port = 8080  [default]");
    assertThat(loaded.config().auth().adminKey().orElseThrow().reveal())
        .isEqualTo("a-very-secret-admin-key-of-forty-characters");
  }

  @Test
  void a_short_admin_key_is_refused_without_showing_it() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(Optional.empty(), Map.of("FOUNDRY_ADMIN_KEY", "short"), Map.of()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid ->
                assertThat(invalid.problems().getFirst().format())
                    .contains("auth.admin_key")
                    .doesNotContain("short\""));
  }

  @Test
  void malformed_yaml_is_reported_with_its_position() throws IOException {
    Path file = write("foundry.yaml", "http:\n  port: [8080\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()))
        .isInstanceOfSatisfying(
            FoundryException.class,
            invalid ->
                assertThat(invalid.problems().getFirst().position())
                    .hasValueSatisfying(
                        where -> assertThat(where.source()).isEqualTo("foundry.yaml")));
  }
}
