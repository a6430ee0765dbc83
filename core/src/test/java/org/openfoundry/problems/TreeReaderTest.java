package org.openfoundry.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

class TreeReaderTest {
  @Test
  void builds_paths_of_keys_and_indexes_quoting_keys_that_are_not_words() {
    String path =
        TreeReader.child(TreeReader.index(TreeReader.child("ontology", "tools"), 1), "name");

    assertThat(path).isEqualTo("ontology.tools[1].name");
    assertThat(TreeReader.child("properties", "max tokens"))
        .isEqualTo("properties[\"max tokens\"]");
    assertThat(TreeReader.child("", "name")).isEqualTo("name");
  }

  @Test
  void splits_a_path_into_the_segments_it_was_built_from() {
    String path =
        TreeReader.child(TreeReader.index(TreeReader.child("a", "we[ird].\"key\""), 3), "b");

    assertThat(TreeReader.segments(path)).containsExactly("a", "we[ird].\"key\"", 3, "b");
    assertThat(TreeReader.join(TreeReader.segments(path))).isEqualTo(path);
    assertThat(TreeReader.parent(path))
        .isEqualTo(TreeReader.index(TreeReader.child("a", "we[ird].\"key\""), 3));
    assertThat(TreeReader.parent("name")).isEmpty();
  }

  @Test
  void describes_values_as_a_message_shows_them() {
    JsonNodeFactory nodes = JsonNodeFactory.instance;

    assertThat(TreeReader.describe(nodes.stringNode("high"))).isEqualTo("\"high\"");
    assertThat(TreeReader.describe(nodes.numberNode(1.5))).isEqualTo("1.5");
    assertThat(TreeReader.describe(nodes.arrayNode())).isEqualTo("an empty list");
    assertThat(TreeReader.describe(JsonMapper.shared().readTree("{\"a\": 1}")))
        .isEqualTo("a mapping");
    assertThat(TreeReader.describe(nodes.stringNode("x".repeat(100))))
        .isEqualTo("\"" + "x".repeat(60) + "\"... (a string of 100 characters)");
  }

  @Test
  void records_a_problem_for_each_value_of_the_wrong_type() {
    Problems problems = new Problems();
    TreeReader reader = new TreeReader(problems);
    JsonNodeFactory nodes = JsonNodeFactory.instance;

    assertThat(reader.string(nodes.numberNode(7), "a")).isEmpty();
    assertThat(reader.integer(nodes.numberNode(3.0), "b", 1, 5)).hasValue(3);
    assertThat(reader.integer(nodes.numberNode(9), "c", 1, 5)).isEmpty();
    assertThat(reader.bool(nodes.stringNode("yes"), "d")).isEmpty();
    reader.unknownKeys(JsonMapper.shared().readTree("{\"nmae\": 1}"), "", List.of("name"));

    assertThat(problems.all())
        .extracting(Problem::format)
        .containsExactly(
            "a: expected a string, got 7 (put it in quotes)",
            "c: expected an integer from 1 to 5, got 9",
            "d: expected true or false, got \"yes\"",
            "warning: nmae: unknown key, ignored (did you mean `name`?)");
  }
}
