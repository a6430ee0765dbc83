package org.openfoundry.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parameter schemas and values written to hurt: patterns that backtrack without end, values long
 * enough to exhaust the matcher's stack, and schema keywords of the wrong type. Each ends in a
 * reported problem, quickly.
 */
class HostileSchemaTest {
  private static final Duration QUICKLY = Duration.ofSeconds(10);
  private static final String CATASTROPHIC = "^(.*a){12}$";

  @Test
  void a_default_that_makes_its_pattern_backtrack_without_end_fails_the_check_quickly() {
    ObjectNode schema = stringSchema(CATASTROPHIC);
    ((ObjectNode) schema.path("properties").path("code")).put("default", "a".repeat(40) + "!");

    List<String> problems = assertTimeoutPreemptively(QUICKLY, () -> problems(schema));

    assertThat(problems)
        .containsExactly(
            "schema.properties.code.default: the pattern ^(.*a){12}$ backtracks too much on this"
                + " default, matching it takes too long; write a simpler pattern");
  }

  @Test
  void a_value_that_makes_a_pattern_backtrack_without_end_is_refused_quickly() {
    ParameterSchema schema = ParameterSchema.of(stringSchema(CATASTROPHIC));
    ObjectNode given = JsonNodeFactory.instance.objectNode().put("code", "a".repeat(40) + "!");

    FoundryException refused =
        assertTimeoutPreemptively(
            QUICKLY,
            () -> catchThrowableOfType(FoundryException.class, () -> schema.resolve(given)));

    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS);
    assertThat(refused.getMessage()).contains("the pattern ^(.*a){12}$ backtracks too much");
  }

  @Test
  void a_value_long_enough_to_exhaust_the_matchers_stack_is_refused_not_thrown_as_an_error() {
    ParameterSchema schema = ParameterSchema.of(stringSchema("^(a|b)*$"));
    ObjectNode given = JsonNodeFactory.instance.objectNode().put("code", "ab".repeat(200_000));

    FoundryException refused =
        catchThrowableOfType(FoundryException.class, () -> schema.resolve(given));

    assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_PARAMETERS);
    assertThat(refused.getMessage()).contains("the pattern ^(a|b)*$ backtracks too much");
  }

  @Test
  void a_sane_pattern_still_accepts_and_refuses_values() {
    ParameterSchema schema = ParameterSchema.of(stringSchema("^[A-Z]{3}$"));

    assertThat(
            schema.resolve(JsonNodeFactory.instance.objectNode().put("code", "ABC")).path("code"))
        .isEqualTo(JsonNodeFactory.instance.stringNode("ABC"));
    assertThat(
            catchThrowableOfType(
                    FoundryException.class,
                    () -> schema.resolve(JsonNodeFactory.instance.objectNode().put("code", "abc")))
                .code())
        .isEqualTo(ErrorCode.INVALID_PARAMETERS);
  }

  @Test
  void refuses_a_pattern_longer_than_the_limit() {
    String longest = "a".repeat(BoundedPatterns.MAX_LENGTH + 1);

    assertThat(problems(stringSchema(longest)))
        .containsExactly(
            "schema.properties.code.pattern: expected a regular expression of at most 1000"
                + " characters, got one of 1001");
  }

  @Test
  void reports_type_and_required_entries_that_are_not_strings_instead_of_throwing() {
    JsonNode schema = json("{\"type\": [{}], \"required\": [{\"a\": 1}], \"properties\": {}}");

    assertThat(problems(schema)).isNotEmpty().allMatch(problem -> problem.startsWith("schema."));
  }

  private static ObjectNode stringSchema(String pattern) {
    ObjectNode schema = JsonNodeFactory.instance.objectNode();
    schema.putObject("properties").putObject("code").put("type", "string").put("pattern", pattern);
    return schema;
  }

  private static List<String> problems(JsonNode schema) {
    Problems problems = new Problems();
    Optional<ParameterSchema> read = ParameterSchema.read(schema, "schema", problems);
    assertThat(read).isEmpty();
    return problems.all().stream().map(Problem::format).toList();
  }

  private static JsonNode json(String text) {
    return JsonMapper.shared().readTree(text);
  }
}
