package org.openfoundry.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.problems.FoundryException;

class ServerSettingsTest {
  @TempDir Path home;

  private final Map<String, String> variables = new HashMap<>();

  private CliEnvironment environment() {
    return new CliEnvironment(
        variables, home, new ByteArrayInputStream(new byte[0]), false, Clock.systemUTC());
  }

  private ServerSettings resolve(ConnectionOptions options) {
    return ServerSettings.resolve(options, environment());
  }

  private static ConnectionOptions none() {
    return new ConnectionOptions(Optional.empty(), Optional.empty());
  }

  @Test
  void with_nothing_given_the_server_is_localhost_8080_and_there_is_no_key() {
    ServerSettings settings = resolve(none());

    assertThat(settings.server()).isEqualTo(URI.create("http://localhost:8080"));
    assertThat(settings.apiKey()).isEmpty();
  }

  @Test
  void the_config_file_under_home_gives_what_the_variables_do_not() throws Exception {
    Path file = home.resolve(".config/openfoundry/cli.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "server: https://foundry.example.com/\napi_key: ofk_from_file\n");
    variables.put("FOUNDRY_API_KEY", "ofk_from_variable");

    ServerSettings settings = resolve(none());

    assertThat(settings.server()).isEqualTo(URI.create("https://foundry.example.com"));
    assertThat(settings.apiKey()).contains("ofk_from_variable");
    assertThat(settings.keyOrigin()).isEqualTo("FOUNDRY_API_KEY");
  }

  @Test
  void xdg_config_home_moves_the_default_config_file() throws Exception {
    Path config = home.resolve("elsewhere");
    Files.createDirectories(config.resolve("openfoundry"));
    Files.writeString(config.resolve("openfoundry/cli.yaml"), "api_key: ofk_xdg\n");
    variables.put("XDG_CONFIG_HOME", config.toString());

    assertThat(resolve(none()).apiKey()).contains("ofk_xdg");
  }

  @Test
  void the_flags_win_over_everything() {
    variables.put("FOUNDRY_SERVER", "http://from-variable:1");
    variables.put("FOUNDRY_API_KEY", "ofk_from_variable");

    ServerSettings settings =
        resolve(
            new ConnectionOptions(
                Optional.of(URI.create("http://from-flag:2")), Optional.of("ofk_from_flag")));

    assertThat(settings.server()).isEqualTo(URI.create("http://from-flag:2"));
    assertThat(settings.apiKey()).contains("ofk_from_flag");
    assertThat(settings.keyOrigin()).isEqualTo("--api-key");
  }

  @Test
  void a_config_file_named_by_the_variable_must_exist() {
    variables.put("FOUNDRY_CLI_CONFIG", home.resolve("missing.yaml").toString());

    assertThatThrownBy(() -> resolve(none()))
        .isInstanceOf(FoundryException.class)
        .hasMessage(
            "the CLI config file "
                + home.resolve("missing.yaml")
                + " named by FOUNDRY_CLI_CONFIG does not exist");
  }

  @Test
  void a_bad_server_variable_is_named() {
    variables.put("FOUNDRY_SERVER", "ftp://files.example.com");

    assertThatThrownBy(() -> resolve(none()))
        .isInstanceOf(FoundryException.class)
        .satisfies(
            failure ->
                assertThat(((FoundryException) failure).describe())
                    .contains(
                        "FOUNDRY_SERVER: expected an http or https URL such as"
                            + " http://localhost:8080, got \"ftp://files.example.com\""));
  }

  @Test
  void every_problem_of_a_config_file_is_reported_at_its_position() {
    Path file = home.resolve("cli.yaml");

    assertThatThrownBy(() -> CliConfigFile.parse(file, "server: not a url\ntimeout: 5\napi_key:\n"))
        .isInstanceOf(FoundryException.class)
        .satisfies(
            failure ->
                assertThat(((FoundryException) failure).problems())
                    .extracting(problem -> problem.format())
                    .containsExactly(
                        file
                            + ":1:9 server: expected an http or https URL such as"
                            + " http://localhost:8080, got \"not a url\"",
                        file + ":2:1 timeout: unknown key; expected server or api_key",
                        file + ":3:1 api_key: expected a value"));
  }

  @Test
  void the_key_never_shows_in_the_settings_text() {
    ServerSettings settings = ServerSettings.of(URI.create("http://localhost:8080"), "ofk_secret");

    assertThat(settings.toString()).doesNotContain("ofk_secret").contains("****");
  }
}
