package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ManifestCommandTest {
  private static final String EXAMPLE = Path.of("..", "examples", "model.yaml").toString();

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @Test
  void summarizes_a_valid_manifest_and_exits_0() {
    int exit = run("manifest", "check", EXAMPLE);

    assertThat(exit).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                EXAMPLE + ": valid",
                "  name:        My custom model",
                "  endpoint:    models.example.com (https, adapter openfoundry)",
                "  rate:        0.1 requests/s, one every 10 s",
                "  asset types: image",
                "  features:    rectangle: person, bicycle; radio: label",
                "  parameters:  prompt (string, required, default \"\"), confidence (number,"
                    + " default 0.25), max_new_tokens (integer, default 1024), use_attachments"
                    + " (boolean, default false)",
                "  warnings:    none",
                ""));
  }

  @Test
  void lists_the_warnings_of_a_valid_manifest(@TempDir Path folder) throws Exception {
    Path file =
        write(folder, "name: m\ninference_endpoint: http://localhost:9000/\nmax_token: 5\n");

    int exit = run("manifest", "check", file.toString());

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("  rate:        no limit")
        .contains("  parameters:  any (no schema)")
        .contains("  warnings:    1")
        .contains(
            "    "
                + file
                + ":3:1 warning: max_token: unknown key, ignored (did you mean `max_tokens`?)");
  }

  @Test
  void prints_every_problem_of_an_invalid_manifest_one_per_line_and_exits_1(@TempDir Path folder)
      throws Exception {
    Path file =
        write(
            folder,
            """
            name: m
            inference_endpoint: /predict
            requests_per_second: 0
            requests_per_secnd: 1
            """);

    int exit = run("manifest", "check", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().lines())
        .containsExactly(
            file
                + ":2:1 inference_endpoint: expected an absolute http or https URL such as"
                + " https://models.example.com/predict, got \"/predict\"",
            file
                + ":3:1 requests_per_second: expected a positive number of requests per second"
                + " (0.1 means one call every 10 s; leave the key out for no limit), got 0",
            file
                + ":4:1 warning: requests_per_secnd: unknown key, ignored (did you mean"
                + " `requests_per_second`?)",
            file + " is not a valid manifest: 2 errors");
  }

  @Test
  void checks_every_file_and_fails_when_any_is_invalid(@TempDir Path folder) throws Exception {
    Path missing = folder.resolve("missing.yaml");

    int exit = run("manifest", "check", EXAMPLE, missing.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).startsWith(EXAMPLE + ": valid");
    assertThat(err.toString()).startsWith(missing + ": cannot read the file: ");
  }

  @Test
  void exits_2_without_a_file() {
    int exit = run("manifest", "check");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'FILE'");
  }

  private int run(String... arguments) {
    CommandLine commandLine = Main.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(arguments);
  }

  private static Path write(Path folder, String text) throws Exception {
    Path file = folder.resolve("model.yaml");
    Files.writeString(file, text);
    return file;
  }
}
