package org.openfoundry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class YamlTreeTest {
  @Test
  void keeps_the_position_of_every_key_and_list_element() {
    YamlTree.Parsed parsed =
        parse(
            """
            ontology:
              tools:
                - name: person
                  tool: rectangle
                - {name: bicycle, tool: rectangle}
            """);

    assertThat(parsed.positions().find("ontology")).contains(at(1, 1));
    assertThat(parsed.positions().find("ontology.tools")).contains(at(2, 3));
    assertThat(parsed.positions().find("ontology.tools[0]")).contains(at(3, 7));
    assertThat(parsed.positions().find("ontology.tools[0].tool")).contains(at(4, 7));
    assertThat(parsed.positions().find("ontology.tools[1].name")).contains(at(5, 8));
    assertThat(parsed.positions().find("ontology.tools[1].color"))
        .as("a key that was not written is placed at its parent")
        .contains(at(5, 7));
  }

  @Test
  void reads_the_core_schema_types_as_json() {
    JsonNode root =
        parse(
                """
                text: hello
                quoted: "0.5"
                integer: 42
                hex: 0x1F
                octal: 0o17
                big: 123456789012345678901234567890
                float: 1.5e3
                yes_is_a_string: yes
                boolean: True
                nothing: ~
                list: [1, two]
                """)
            .root()
            .orElseThrow();

    assertThat(root)
        .isEqualTo(
            JsonMapper.shared()
                .readTree(
                    """
                    {"text": "hello", "quoted": "0.5", "integer": 42, "hex": 31, "octal": 15,
                     "big": 123456789012345678901234567890, "float": 1500.0,
                     "yes_is_a_string": "yes", "boolean": true, "nothing": null,
                     "list": [1, "two"]}
                    """));
  }

  @Test
  void expands_aliases_and_merge_keys_within_the_limits() {
    JsonNode root =
        parse(
                """
                base: &base {connect: 1s, read: 2s}
                timeouts:
                  <<: *base
                  read: 5s
                """)
            .root()
            .orElseThrow();

    assertThat(root.get("timeouts").get("connect").stringValue()).isEqualTo("1s");
    assertThat(root.get("timeouts").get("read").stringValue()).isEqualTo("5s");
  }

  @Test
  void reports_every_duplicate_key_and_keeps_the_first_value() {
    YamlTree.Parsed parsed = parse("a: 1\nb: 2\na: 3\nb: 4\n");

    assertThat(parsed.root().orElseThrow().get("a").intValue()).isEqualTo(1);
    assertThat(parsed.problems())
        .extracting(Problem::format)
        .containsExactly(
            "model.yaml:3:1 a: duplicate key (first written at model.yaml:1:1)",
            "model.yaml:4:1 b: duplicate key (first written at model.yaml:2:1)");
  }

  @Test
  void refuses_an_alias_bomb_before_it_expands() {
    StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (char level = 'b'; level <= 'j'; level++) {
      bomb.append(level).append(": &").append(level).append(" [");
      bomb.append(("*" + (char) (level - 1) + ", ").repeat(9)).append("]\n");
    }

    assertThat(fatal(bomb.toString()))
        .isEqualTo("model.yaml:7:28 the document uses more than 50 aliases; a manifest needs few");
  }

  @Test
  void refuses_a_document_that_few_aliases_expand_past_the_node_limit() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char level = 'b'; level <= 'f'; level++) {
      bomb.append(level).append(": &").append(level).append(" [");
      bomb.append(("*" + (char) (level - 1) + ", ").repeat(9)).append("]\n");
    }

    assertThat(fatal(bomb.toString()))
        .startsWith("model.yaml:")
        .endsWith(
            "the document expands to more than 100000 values (aliases repeat what they point to);"
                + " a manifest is far smaller");
  }

  @Test
  void refuses_a_document_larger_than_one_mebibyte() {
    String huge = "name: " + "x".repeat(YamlTree.MAX_CODE_POINTS) + "\n";

    assertThat(fatal(huge))
        .isEqualTo(
            "the document is larger than 1 MiB (1048576 characters); a manifest is far smaller");
  }

  @Test
  void refuses_a_file_larger_than_one_mebibyte_of_text(@TempDir Path folder) throws Exception {
    Path file = folder.resolve("model.yaml");
    Files.writeString(file, "readme: |\n" + "  padding\n".repeat(120_000));

    assertThatThrownBy(() -> new ManifestLoader().load(file))
        .isInstanceOfSatisfying(
            FoundryException.class,
            thrown ->
                assertThat(thrown.problems())
                    .extracting(Problem::message)
                    .containsExactly(
                        "the document is larger than 1 MiB (1048576 characters); a manifest is far"
                            + " smaller"));
  }

  @Test
  void refuses_nesting_deep_enough_to_overflow_the_stack() {
    String deep = "a: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";

    assertThat(fatal(deep)).isEqualTo("model.yaml:1:67 values are nested more than 64 levels deep");
  }

  @Test
  void refuses_an_alias_that_contains_itself() {
    assertThat(fatal("a: &loop [*loop]\n"))
        .endsWith("values are nested more than 64 levels deep, or an alias contains itself");
  }

  @Test
  void reads_an_empty_document_as_no_tree() {
    assertThat(parse("# only a comment\n").root()).isEmpty();
  }

  private static YamlTree.Parsed parse(String yaml) {
    return YamlTree.parse("model.yaml", new StringReader(yaml));
  }

  private static String fatal(String yaml) {
    try {
      parse(yaml);
    } catch (FoundryException thrown) {
      assertThat(thrown.code()).isEqualTo(ErrorCode.INVALID_MANIFEST);
      assertThat(thrown.problems()).hasSize(1);
      return thrown.problems().getFirst().format();
    }
    throw new AssertionError("expected the document to be refused");
  }

  private static SourcePosition at(int line, int column) {
    return new SourcePosition("model.yaml", line, column);
  }
}
