package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.engine.JavaProcess;
import org.openfoundry.server.config.ConfigKey;
import org.openfoundry.store.SqliteLockHolder;
import picocli.CommandLine;

class ServeCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine command = Main.commandLine();
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  @Test
  void an_unknown_key_in_the_configuration_stops_the_start_with_exit_2(@TempDir Path folder)
      throws Exception {
    Path config = Files.writeString(folder.resolve("foundry.yaml"), "http:\n  prot: 8080\n");

    int exit = run("serve", "--config", config.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .contains("the configuration is invalid")
        .contains("foundry.yaml:2:9 http.prot: unknown configuration key");
  }

  @Test
  void a_bad_role_on_the_command_line_is_named() {
    int exit = run("serve", "--role", "boss");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("server.role: expected api, worker or all, got \"boss\"");
  }

  @Test
  void the_options_override_their_keys() {
    ServeCommand serve = new ServeCommand(CliEnvironment.system());
    serve.port = 9001;
    serve.database = "jdbc:postgresql://db/foundry";
    serve.role = "worker";

    assertThat(serve.overrides())
        .containsEntry(ConfigKey.HTTP_PORT, "9001")
        .containsEntry(ConfigKey.STORAGE_DB_URL, "jdbc:postgresql://db/foundry")
        .containsEntry(ConfigKey.SERVER_ROLE, "worker");
  }

  @Test
  void the_clis_own_variables_and_the_log_level_are_not_taken_for_server_settings() {
    Cli cli =
        new Cli(
            Map.of(
                "FOUNDRY_SERVER", "http://localhost:9000",
                "FOUNDRY_API_KEY", "ofk_for_the_cli",
                "FOUNDRY_LOG_LEVEL", "DEBUG",
                "FOUNDRY_HTTP_PROT", "8080"));

    Cli.Result served = cli.run("serve");

    assertThat(served.exit()).isEqualTo(2);
    assertThat(served.err())
        .contains("FOUNDRY_HTTP_PROT: unknown environment variable")
        .doesNotContain("FOUNDRY_SERVER:")
        .doesNotContain("FOUNDRY_API_KEY:")
        .doesNotContain("FOUNDRY_LOG_LEVEL:");
  }

  @Test
  @Timeout(120)
  void a_database_file_another_process_holds_stops_the_start_with_exit_1_naming_the_file(
      @TempDir Path folder) throws IOException {
    Path dataDir = Files.createDirectories(folder.resolve("data"));
    Path file = dataDir.resolve("foundry.db");
    try (JavaProcess holder =
        SqliteLockHolder.start(file, "CREATE TABLE notes (note TEXT)", folder)) {
      long began = System.nanoTime();
      Cli.Result served =
          new Cli(
                  Map.of(
                      "FOUNDRY_STORAGE_DATA_DIR", dataDir.toString(),
                      "FOUNDRY_HTTP_HOST", "127.0.0.1",
                      "FOUNDRY_HTTP_PORT", "0",
                      "FOUNDRY_ADMIN_KEY", TestServer.ADMIN_KEY,
                      "FOUNDRY_LOG_LEVEL", "WARN"))
              .run("serve");

      assertThat(served.exit()).as(served.both()).isEqualTo(1);
      assertThat(served.err())
          .contains(
              "cannot start: the database file "
                  + file
                  + " is locked by another process; stop it or use another file");
      assertThat(holder.isAlive()).as("the other process still holds the file").isTrue();
      System.out.printf(
          "foundry serve gave up on the held file after %.1f s%n",
          (System.nanoTime() - began) / 1e9);
    }
  }
}
