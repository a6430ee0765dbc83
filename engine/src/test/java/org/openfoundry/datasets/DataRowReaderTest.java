package org.openfoundry.datasets;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.datasets.DataRowReader.RowCheck;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.problems.Problem;

class DataRowReaderTest {

  @Test
  void reads_ndjson_rows_with_their_lines_and_defaults() {
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                """
                {"row_data": "https://img.example.com/a.jpg", "global_key": "a.jpg", "media_type": "image"}

                {"row_data": "Tom and Bob work at IBM", "media_type": "TEXT", "metadata": {"lang": "en"}, "attachments": [{"type": "TEXT", "value": "note"}]}
                """));

    List<NewDataRow> rows = drain(reader);

    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).line()).isEqualTo(1);
    assertThat(rows.get(0).globalKey()).contains("a.jpg");
    assertThat(rows.get(0).mediaType()).isEqualTo(AssetType.IMAGE);
    assertThat(rows.get(0).attachments().isArray()).isTrue();
    assertThat(rows.get(0).metadata().isObject()).isTrue();
    assertThat(rows.get(1).line()).isEqualTo(3);
    assertThat(rows.get(1).globalKey()).isEmpty();
    assertThat(rows.get(1).metadata().get("lang").asString()).isEqualTo("en");
    assertThat(reader.rejected()).isZero();
  }

  @Test
  void skips_bad_lines_and_names_each_with_its_line_path_and_value() {
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                """
                {"row_data": "https://img.example.com/a.jpg", "media_type": "image"}
                {"row_data": "https://img.example.com/b.jpg", "media_type": "picture"}
                not json at all
                {"media_type": "text"}
                {"row_data": "just words", "media_type": "image"}
                {"row_data": "https://img.example.com/c.jpg", "media_type": "image", "rowdata": 1}
                ["an", "array"]
                {"row_data": "https://img.example.com/d.jpg", "media_type": "image"}
                """));

    List<NewDataRow> rows = drain(reader);

    assertThat(rows).extracting(NewDataRow::line).containsExactly(1L, 8L);
    assertThat(reader.rejected()).isEqualTo(6);
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly(
            "data-rows:2:1 media_type: expected one of IMAGE, TEXT, VIDEO, HTML, CONVERSATIONAL,"
                + " got \"picture\"",
            reader.problems().get(1).format(),
            "data-rows:4:1 row_data: is required",
            "data-rows:5:1 row_data: expected the URL of the image, got \"just words\"",
            "data-rows:6:1 rowdata: unknown key; expected one of attachments, global_key,"
                + " media_type, metadata, row_data",
            "data-rows:7:1 expected a JSON object, got array [\"an\",\"array\"]");
    assertThat(reader.problems().get(1).format()).startsWith("data-rows:3:1 not JSON: ");
  }

  @Test
  void refuses_row_data_longer_than_64k_characters() {
    String longText = "x".repeat(NewDataRow.MAX_ROW_DATA_CHARS + 1);
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader("{\"row_data\": \"" + longText + "\", \"media_type\": \"text\"}\n"));

    assertThat(drain(reader)).isEmpty();
    assertThat(reader.problems().getFirst().format())
        .isEqualTo("data-rows:1:1 row_data: expected at most 65536 characters, got 65537");
  }

  @Test
  void counts_row_data_in_characters_not_utf16_units() {
    String emoji = "\uD83D\uDE00";
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                "{\"row_data\": \""
                    + emoji.repeat(NewDataRow.MAX_ROW_DATA_CHARS)
                    + "\", \"media_type\": \"text\"}\n"
                    + "{\"row_data\": \""
                    + emoji.repeat(NewDataRow.MAX_ROW_DATA_CHARS + 1)
                    + "\", \"media_type\": \"text\"}\n"));

    assertThat(drain(reader)).extracting(NewDataRow::line).containsExactly(1L);
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly("data-rows:2:1 row_data: expected at most 65536 characters, got 65537");
  }

  @Test
  void refuses_row_data_or_a_global_key_holding_a_nul_character() {
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                """
                {"row_data": "before\\u0000after", "media_type": "text"}
                {"row_data": "kept", "media_type": "text", "global_key": "a\\u0000b"}
                {"row_data": "fine", "media_type": "text"}
                """));

    assertThat(drain(reader)).extracting(NewDataRow::rowData).containsExactly("fine");
    assertThat(reader.problems())
        .extracting(problem -> problem.format())
        .containsExactly(
            "data-rows:1:1 row_data: contains the NUL character (U+0000) at index 6, which cannot"
                + " be stored",
            "data-rows:2:1 global_key: contains the NUL character (U+0000), which cannot be"
                + " stored");
  }

  @Test
  void refuses_text_holding_half_of_a_surrogate_pair_naming_the_field() {
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                """
                {"row_data": "a\\ud800b", "media_type": "text"}
                {"row_data": "kept", "media_type": "text", "global_key": "k-\\udc00"}
                {"row_data": "kept", "media_type": "text", "metadata": {"tags": ["ok", "\\udbff"]}}
                {"row_data": "kept", "media_type": "text", "metadata": {"\\ud800": 1}}
                {"row_data": "kept", "media_type": "text", "attachments": [{"value": "\\udfff!"}]}
                {"row_data": "\\ud83d\\ude00", "media_type": "text", "global_key": "k-\\ud83d\\ude00"}
                """));

    assertThat(drain(reader))
        .extracting(NewDataRow::globalKey)
        .containsExactly(Optional.of("k-\uD83D\uDE00"));
    String half = "half of a character without its other half, which cannot be stored";
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly(
            "data-rows:1:1 row_data: contains the unpaired surrogate U+D800 at index 1, " + half,
            "data-rows:2:1 global_key: contains the unpaired surrogate U+DC00 at index 2, " + half,
            "data-rows:3:1 metadata.tags[1]: contains the unpaired surrogate U+DBFF at index 0, "
                + half,
            "data-rows:4:1 not JSON: Broken surrogate pair in property name: expected '\\' to start"
                + " low surrogate, got 0x22",
            "data-rows:5:1 attachments[0].value: contains the unpaired surrogate U+DFFF at index"
                + " 0, "
                + half);
  }

  @Test
  void streams_a_json_array_and_reports_the_line_of_each_bad_entry() {
    DataRowReader reader =
        DataRowReader.jsonArray(
            new StringReader(
                """
                [
                  {"row_data": "https://img.example.com/a.jpg", "media_type": "image"},
                  {"row_data": "https://img.example.com/b.jpg"},
                  {"row_data": "some text", "media_type": "text", "global_key": "t-1"}
                ]
                """));

    List<NewDataRow> rows = drain(reader);

    assertThat(rows).extracting(NewDataRow::line).containsExactly(2L, 4L);
    assertThat(rows.get(1).globalKey()).isEqualTo(Optional.of("t-1"));
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly("data-rows:3:1 media_type: is required");
  }

  @Test
  void stops_at_a_broken_json_array_with_one_problem() {
    DataRowReader reader =
        DataRowReader.jsonArray(
            new StringReader(
                """
                [
                  {"row_data": "https://img.example.com/a.jpg", "media_type": "image"},
                  {"row_data": oops
                """));

    assertThat(drain(reader)).hasSize(1);
    assertThat(reader.rejected()).isEqualTo(1);
    assertThat(reader.problems().getFirst().format())
        .startsWith("data-rows:3:")
        .contains("not JSON");
  }

  @Test
  void refuses_an_ndjson_line_that_is_not_utf8_alone_naming_its_first_bad_byte() {
    byte[] body =
        bytes(
            "{\"row_data\": \"one\", \"media_type\": \"text\"}\n".getBytes(UTF_8),
            "{\"row_data\": \"caf\u00e9\", \"media_type\": \"text\"}\n".getBytes(ISO_8859_1),
            "{\"row_data\": \"cr\u00e8me \uD83D\uDE00\", \"media_type\": \"text\"}\n"
                .getBytes(UTF_8),
            new byte[] {'{', (byte) 0xC3});
    DataRowReader reader =
        DataRowReader.ndjson(
            new ByteArrayInputStream(body), DataRowReader.MAX_LINE_LENGTH, RowCheck.NONE);

    assertThat(drain(reader))
        .extracting(NewDataRow::rowData)
        .containsExactly("one", "cr\u00e8me \uD83D\uDE00");
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly(
            "data-rows:2:1 expected UTF-8 text, got the byte 0xE9 at byte 18 of the line (byte 60"
                + " of the input)",
            "data-rows:4:1 expected UTF-8 text, got the byte 0xC3 at byte 2 of the line (byte "
                + (body.length)
                + " of the input)");
  }

  @Test
  void ends_a_json_array_at_bytes_that_are_not_utf8_with_one_problem() {
    byte[] body =
        """
        [
          {"row_data": "one", "media_type": "text"},
          {"row_data": "cr\u00e8me", "media_type": "text"},
          {"row_data": "three", "media_type": "text"}
        ]
        """
            .getBytes(ISO_8859_1);
    DataRowReader reader = DataRowReader.jsonArray(new ByteArrayInputStream(body), RowCheck.NONE);

    assertThat(drain(reader)).extracting(NewDataRow::rowData).containsExactly("one");
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly(
            "data-rows:3:1 expected UTF-8 text, got the byte 0xE8 at byte 19 of the line (byte 66"
                + " of the input)");
  }

  @Test
  void skips_one_byte_order_mark_at_the_very_start_of_ndjson() {
    String ndjson =
        "\uFEFF{\"row_data\": \"one\", \"media_type\": \"text\"}\r\n"
            + "\uFEFF{\"row_data\": \"two\", \"media_type\": \"text\"}\r\n";
    DataRowReader chars = DataRowReader.ndjson(new StringReader(ndjson));
    DataRowReader bytes =
        DataRowReader.ndjson(
            new ByteArrayInputStream(ndjson.getBytes(UTF_8)),
            DataRowReader.MAX_LINE_LENGTH,
            RowCheck.NONE);

    for (DataRowReader reader : List.of(chars, bytes)) {
      assertThat(drain(reader)).extracting(NewDataRow::rowData).containsExactly("one");
      assertThat(reader.problems().getFirst().format()).startsWith("data-rows:2:1 not JSON: ");
    }
  }

  @Test
  void skips_a_byte_order_mark_at_the_very_start_of_a_json_array() {
    String array = "\uFEFF[{\"row_data\": \"one\", \"media_type\": \"text\"}]";
    DataRowReader chars = DataRowReader.jsonArray(new StringReader(array));
    DataRowReader bytes =
        DataRowReader.jsonArray(new ByteArrayInputStream(array.getBytes(UTF_8)), RowCheck.NONE);

    for (DataRowReader reader : List.of(chars, bytes)) {
      assertThat(drain(reader)).extracting(NewDataRow::rowData).containsExactly("one");
      assertThat(reader.problems()).isEmpty();
    }
  }

  @Test
  void merges_its_problems_with_the_stores_in_line_order() {
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                """
                {"row_data": "https://img.example.com/a.jpg", "media_type": "image"}
                {"row_data": "https://img.example.com/b.jpg"}
                """));
    drain(reader);
    ImportReport stored =
        new ImportReport(
            1,
            1,
            List.of(
                Problem.error("global_key", "taken")
                    .at(new org.openfoundry.problems.SourcePosition(DataRowReader.SOURCE, 1, 1))));

    ImportReport report = reader.report(stored);

    assertThat(report.imported()).isEqualTo(1);
    assertThat(report.rejected()).isEqualTo(2);
    assertThat(report.problems())
        .extracting(problem -> problem.position().orElseThrow().line())
        .containsExactly(1, 2);
  }

  @Test
  void refuses_a_line_longer_than_the_limit_and_reads_on_after_it() {
    String row = "{\"row_data\": \"%s\", \"media_type\": \"text\"}";
    String text =
        row.formatted("short")
            + "\n"
            + row.formatted("x".repeat(100))
            + "\n"
            + row.formatted("after")
            + "\r\n";

    DataRowReader reader = DataRowReader.ndjson(new StringReader(text), 60);
    List<NewDataRow> rows = drain(reader);

    assertThat(rows).extracting(NewDataRow::rowData).containsExactly("short", "after");
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly("data-rows:2:1 the line is longer than 60 characters, the limit");
  }

  @Test
  void reads_a_line_as_long_as_the_default_limit() {
    String row = "{\"row_data\": \"a\", \"media_type\": \"text\", \"metadata\": {\"pad\": \"%s\"}}";
    String padded = row.formatted("x".repeat(DataRowReader.MAX_LINE_LENGTH - row.length() + 2));
    assertThat(padded).hasSize(DataRowReader.MAX_LINE_LENGTH);

    DataRowReader reader = DataRowReader.ndjson(new StringReader(padded + "\n" + padded + "x\n"));

    assertThat(drain(reader)).hasSize(1);
    assertThat(reader.problems())
        .extracting(Problem::format)
        .containsExactly("data-rows:2:1 the line is longer than 1048576 characters, the limit");
  }

  @Test
  void refuses_a_line_holding_two_values_instead_of_dropping_the_second() {
    DataRowReader reader =
        DataRowReader.ndjson(
            new StringReader(
                "{\"row_data\": \"a\", \"media_type\": \"text\"} {\"row_data\": \"b\","
                    + " \"media_type\": \"text\"}\n"));

    assertThat(drain(reader)).isEmpty();
    assertThat(reader.problems()).singleElement().asString().contains("data-rows:1:1 not JSON: ");
  }

  @Test
  void refuses_an_array_nested_past_the_depth_limit_and_names_the_limit() {
    String deep = "[".repeat(UntrustedJson.MAX_DEPTH) + "]".repeat(UntrustedJson.MAX_DEPTH);

    DataRowReader reader = DataRowReader.jsonArray(new StringReader("[" + deep + "]"));

    assertThat(drain(reader)).isEmpty();
    assertThat(reader.problems())
        .extracting(Problem::message)
        .containsExactly("too large to read: values are nested more than 64 levels deep");
  }

  @Test
  void refuses_a_row_the_importers_own_check_refuses_and_reads_on() {
    DataRowReader.RowCheck noB =
        row ->
            row.rowData().endsWith("b.jpg")
                ? Optional.of(Problem.error("row_data", "no uploaded file named \"b.jpg\""))
                : Optional.empty();
    String rows =
        """
        {"row_data": "https://img.example.com/a.jpg", "media_type": "image"}
        {"row_data": "https://img.example.com/b.jpg", "media_type": "image"}
        {"row_data": "https://img.example.com/c.jpg", "media_type": "image"}
        """;

    DataRowReader lines = DataRowReader.ndjson(new StringReader(rows), 200, noB);
    DataRowReader array =
        DataRowReader.jsonArray(
            new StringReader("[\n" + String.join(",\n", rows.strip().split("\n")) + "\n]"), noB);

    assertThat(drain(lines)).extracting(NewDataRow::line).containsExactly(1L, 3L);
    assertThat(lines.rejected()).isEqualTo(1);
    assertThat(lines.problems())
        .extracting(Problem::format)
        .containsExactly("data-rows:2:1 row_data: no uploaded file named \"b.jpg\"");
    assertThat(drain(array)).extracting(NewDataRow::line).containsExactly(2L, 4L);
    assertThat(array.problems())
        .extracting(Problem::format)
        .containsExactly("data-rows:3:1 row_data: no uploaded file named \"b.jpg\"");
  }

  private static byte[] bytes(byte[]... parts) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.writeBytes(part);
    }
    return joined.toByteArray();
  }

  private static List<NewDataRow> drain(DataRowReader reader) {
    List<NewDataRow> rows = new ArrayList<>();
    reader.forEachRemaining(rows::add);
    return rows;
  }
}
