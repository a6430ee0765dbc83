package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code foundry demo --no-wait}: the real server, the real example models and their data, from
 * start to summary, twice in one data folder.
 */
@Timeout(300)
class DemoCommandTest {
  private static final Pattern ADMIN_KEY =
      Pattern.compile("export FOUNDRY_API_KEY=(ofk_[A-Za-z0-9_-]{43})");
  private static final Pattern SERVER = Pattern.compile("export FOUNDRY_SERVER=(http://\\S+)");

  @Test
  void
      runs_both_example_models_to_a_summary_of_boxes_masks_entities_and_classifications_and_reuses_its_data_folder(
          @TempDir Path data) throws Exception {
    Cli cli = new Cli(Map.of());

    Cli.Result first =
        cli.run(
            "demo", "--no-wait", "--port", "0", "--models-port", "0", "--data", data.toString());

    assertThat(first.exit()).as(first.both()).isZero();
    String out = first.out();
    assertThat(out)
        .contains("example-shapes     mdl_")
        .contains("version 1 (registered)")
        .contains("street-scenes      ds_")
        .contains("24 rows (24 imported)")
        .contains("news-snippets      ds_")
        .contains("example-shapes: SUCCEEDED 100.0% (24/24 done: 24 succeeded")
        .contains("example-language: SUCCEEDED 100.0% (24/24 done: 24 succeeded")
        .contains("example-shapes over street-scenes: SUCCEEDED, 24 of 24 rows in ")
        .contains("example-language over news-snippets: SUCCEEDED, 24 of 24 rows in ");
    assertThat(out).containsPattern("found: .*car \\d+ boxes");
    assertThat(out).containsPattern("scene-\\d\\d\\.png: .*car( x\\d)? \\(0\\.\\d\\d");
    assertThat(out).containsPattern("scene-\\d\\d\\.png: .*road mask \\d+% of the image");
    assertThat(out).containsPattern("scene-\\d\\d\\.png: .*; weather: (clear|cloudy)");
    assertThat(out).containsPattern("news-\\w\\w-\\d\\d: entity: \\p{Lu}\\p{L}+");
    assertThat(out).containsPattern("news-\\w\\w-\\d\\d: .*language: (en|de|fr)");
    assertThat(out)
        .contains("./foundry runs export run_")
        .contains("--format coco -o street-scenes.json");
    assertThat(out)
        .containsPattern("Open http://127\\.0\\.0\\.1:\\d+/ and sign in with the key above")
        .containsPattern("or http://127\\.0\\.0\\.1:\\d+/api/docs");
    Matcher key = ADMIN_KEY.matcher(out);
    assertThat(key.find()).isTrue();
    assertThat(Files.readString(data.resolve("demo.properties"))).contains(key.group(1));
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("demo.properties"))))
        .isEqualTo("rw-------");
    Matcher server = SERVER.matcher(out);
    assertThat(server.find()).isTrue();
    assertThat(data.resolve("foundry.db")).exists();

    Cli.Result second = cli.run("demo", "--no-wait", "--port", "0", "--data", data.toString());

    assertThat(second.exit()).as(second.both()).isZero();
    assertThat(second.out())
        .contains("version 1 (unchanged)")
        .contains("24 rows (already imported)")
        .contains("export FOUNDRY_API_KEY=" + key.group(1))
        .contains("example-shapes over street-scenes: SUCCEEDED, 24 of 24 rows in ");
  }

  @Test
  void a_taken_port_is_named_with_the_option_that_moves_the_server(@TempDir Path data)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Cli.Result result =
          new Cli(Map.of())
              .run(
                  "demo",
                  "--no-wait",
                  "--port",
                  Integer.toString(port),
                  "--models-port",
                  "0",
                  "--data",
                  data.toString());

      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err())
          .startsWith("error: cannot start OpenFoundry on port " + port + ": ")
          .contains("choose another port with --port N (0 picks a free one)");
      assertThat(result.out()).contains("Stopping the demo");
    }
  }

  @Test
  void the_example_models_port_of_an_earlier_run_being_taken_is_explained(@TempDir Path data)
      throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Files.writeString(data.resolve("demo.properties"), "models_port=" + port + "\n");

      Cli.Result result =
          new Cli(Map.of()).run("demo", "--no-wait", "--port", "0", "--data", data.toString());

      assertThat(result.exit()).isEqualTo(1);
      assertThat(result.err())
          .startsWith("error: the example models cannot listen on port " + port)
          .contains("the street-scenes rows of " + data + " point at");
    }
  }
}
