package org.openfoundry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foundry datasets ...} against the real server. */
class DatasetsCommandTest {
  private static TestServer server;
  private static Cli cli;

  @TempDir Path folder;

  @BeforeAll
  static void start() {
    server = new TestServer();
    cli = Cli.against(server, server.memberKey);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void creates_a_dataset_imports_ndjson_rows_and_shows_them() {
    Cli.Result created =
        cli.run("datasets", "create", "street", "--description", "pictures of streets");
    Path rows = Manifests.write(folder, "rows.ndjson", Manifests.imageRows("street", 3));

    Cli.Result imported = cli.run("datasets", "import", "street", rows.toString());

    assertThat(created.exit()).as(created.both()).isZero();
    assertThat(created.out()).matches("Created dataset street \\(ds_\\w+\\)\\s*");
    assertThat(imported.exit()).as(imported.both()).isZero();
    assertThat(imported.out()).startsWith("Imported 3 rows into street (ds_");
    assertThat(imported.err()).isEmpty();
    Cli.Result shown = cli.run("datasets", "show", "street");
    assertThat(shown.out())
        .contains("rows:        3")
        .contains("description: pictures of streets")
        .contains("street-2")
        .contains("https://img.example.com/street-3.jpg");
    assertThat(cli.run("datasets", "list").out()).containsPattern("ds_\\w+\\s+street\\s+3\\s");
  }

  @Test
  void a_bad_row_is_refused_at_its_line_of_the_file_and_the_other_rows_are_imported() {
    cli.run("datasets", "create", "mixed");
    Path rows =
        Manifests.write(
            folder,
            "mixed.ndjson",
            Manifests.imageRows("mixed", 2)
                + "{\"row_data\": \"hello\", \"global_key\": \"mixed-3\", \"media_type\": \"sound\"}\n"
                + Manifests.imageRows("mixed-late", 1));

    Cli.Result imported = cli.run("datasets", "import", "mixed", rows.toString());

    assertThat(imported.exit()).isEqualTo(1);
    assertThat(imported.out()).startsWith("Imported 3 rows into mixed (ds_").contains("refused 1");
    assertThat(imported.err()).contains(rows + ":3:").contains("media_type: ").contains("sound");
  }

  @Test
  void imports_a_json_array_from_standard_input() {
    cli.run("datasets", "create", "piped");
    String array =
        """
        [{"row_data": "https://img.example.com/p-1.jpg", "global_key": "piped-1", "media_type": "image"},
         {"row_data": "A text row.", "global_key": "piped-2", "media_type": "text"}]
        """;

    Cli.Result imported = cli.runWithInput(array, "datasets", "import", "piped", "-");

    assertThat(imported.exit()).as(imported.both()).isZero();
    assertThat(imported.out()).startsWith("Imported 2 rows into piped");
  }

  @Test
  void imports_files_saved_with_a_byte_order_mark() {
    cli.run("datasets", "create", "marked");
    Path array =
        Manifests.write(
            folder,
            "marked.json",
            "\uFEFF[{\"row_data\": \"An array row.\", \"media_type\": \"text\"}]");
    Path lines =
        Manifests.write(
            folder,
            "marked.ndjson",
            "\uFEFF{\"row_data\": \"A line row.\", \"media_type\": \"text\"}\r\n");

    Cli.Result fromArray = cli.run("datasets", "import", "marked", array.toString());
    Cli.Result fromLines = cli.run("datasets", "import", "marked", lines.toString());

    assertThat(fromArray.exit()).as(fromArray.both()).isZero();
    assertThat(fromArray.out()).startsWith("Imported 1 rows into marked");
    assertThat(fromLines.exit()).as(fromLines.both()).isZero();
    assertThat(fromLines.out()).startsWith("Imported 1 rows into marked");
  }

  @Test
  void two_datasets_with_one_name_must_be_told_apart_by_id() {
    cli.run("datasets", "create", "twin");
    cli.run("datasets", "create", "twin");

    Cli.Result shown = cli.run("datasets", "show", "twin");

    assertThat(shown.exit()).isEqualTo(1);
    assertThat(shown.err()).contains("2 datasets are called \"twin\"; give one of their ids: ds_");
  }

  @Test
  void a_missing_file_is_named() {
    cli.run("datasets", "create", "nothing");

    Cli.Result imported =
        cli.run("datasets", "import", "nothing", folder.resolve("gone.ndjson").toString());

    assertThat(imported.exit()).isEqualTo(1);
    assertThat(imported.err())
        .contains("cannot read " + folder.resolve("gone.ndjson") + ": no such file");
  }
}
