package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the CLI finds its server and key, and what it says when they do not work. */
class ConnectionAndAuthTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void a_wrong_key_is_refused_with_the_servers_message_and_where_the_key_came_from() {
    Cli.Result listed = Cli.against(server, "ofk_not-a-key-at-all").run("models", "list");

    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.out()).isEmpty();
    assertThat(listed.err())
        .isEqualToIgnoringNewLines(
            "error: the API key is not valid or was revoked (the key came from FOUNDRY_API_KEY)");
  }

  @Test
  void no_key_at_all_says_where_to_put_one() {
    Cli.Result listed =
        new Cli(Map.of("FOUNDRY_SERVER", server.url.toString())).run("datasets", "list");

    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.err())
        .contains("this route needs an API key")
        .contains("no API key was given: pass --api-key, set FOUNDRY_API_KEY");
  }

  @Test
  void a_key_whose_role_does_not_allow_the_route_is_refused() {
    Cli.Result listed = Cli.against(server, server.metricsKey).run("runs", "list");

    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.err()).contains("a metrics key may not call GET /api/v1/runs");
  }

  @Test
  void a_server_that_is_not_running_is_named_in_one_line() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    Cli.Result listed =
        new Cli(Map.of("FOUNDRY_API_KEY", "ofk_x"))
            .run("models", "list", "--server", "http://127.0.0.1:" + port);

    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.err().lines())
        .containsExactly(
            "error: cannot reach the server at http://127.0.0.1:"
                + port
                + ": the connection was refused; is the server running (foundry serve or foundry"
                + " demo)?");
  }

  @Test
  void flags_win_over_variables_which_win_over_the_config_file(@TempDir Path folder)
      throws Exception {
    Path config =
        Files.writeString(
            folder.resolve("cli.yaml"),
            "server: http://127.0.0.1:1\napi_key: " + server.memberKey + "\n");
    Cli fromFile =
        new Cli(
            Map.of(
                "FOUNDRY_CLI_CONFIG", config.toString(), "FOUNDRY_SERVER", server.url.toString()));

    Cli.Result fileKey = fromFile.run("models", "list");
    Cli.Result flagKey = fromFile.run("models", "list", "--api-key", "ofk_wrong");

    assertThat(fileKey.exit()).as(fileKey.both()).isZero();
    assertThat(flagKey.exit()).isEqualTo(1);
    assertThat(flagKey.err()).contains("(the key came from --api-key)");
  }

  @Test
  void the_default_config_file_is_read_from_the_home_folder() throws Exception {
    Cli cli = new Cli(Map.of());
    Path config = cli.home().resolve(".config/openfoundry/cli.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "server: " + server.url + "\napi_key: " + server.memberKey + "\n");

    Cli.Result listed = cli.run("datasets", "list");

    assertThat(listed.exit()).as(listed.both()).isZero();
  }

  @Test
  void an_unknown_key_in_the_config_file_is_named_with_its_line(@TempDir Path folder)
      throws Exception {
    Path config =
        Files.writeString(folder.resolve("cli.yaml"), "server: http://localhost:8080\napikey: x\n");

    Cli.Result listed =
        new Cli(Map.of("FOUNDRY_CLI_CONFIG", config.toString())).run("models", "list");

    assertThat(listed.exit()).isEqualTo(1);
    assertThat(listed.err())
        .contains(
            config
                + ":2:1 apikey: unknown key; expected server or api_key (did you mean `api_key`?)");
  }

  @Test
  void a_server_url_that_is_not_one_is_a_usage_error() {
    Cli.Result listed = new Cli(Map.of()).run("models", "list", "--server", "localhost:8080");

    assertThat(listed.exit()).isEqualTo(2);
    assertThat(listed.err()).contains("expected an http or https URL");
  }
}
