package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;

class JsonataExpressionTest {
  private final Problems problems = new Problems();
  private final Options options = new Options(Fixtures.object("{}"), problems);

  private JsonataExpression compile(String source) {
    return JsonataExpression.compile(options, "request_mapping", source, 1000).orElseThrow();
  }

  @Test
  void gives_the_same_answers_when_shared_between_threads() throws Exception {
    JsonataExpression doubled = compile("{\"id\": id, \"twice\": n * 2, \"tag\": $tag}");
    JsonataExpression summed = compile("$sum(values)");
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
      for (int task = 0; task < 400; task++) {
        int n = task;
        results.add(
            threads.submit(
                () -> {
                  JsonNode one =
                      doubled.evaluate(
                          Fixtures.json("{\"id\": " + n + ", \"n\": " + n + "}"),
                          Map.of("tag", Fixtures.json("\"t" + n + "\"")));
                  JsonNode two =
                      summed.evaluate(Fixtures.json("{\"values\": [" + n + ", 1]}"), Map.of());
                  return one.path("id").asInt() == n
                      && one.path("twice").asInt() == 2 * n
                      && one.path("tag").stringValue().equals("t" + n)
                      && two.asInt() == n + 1;
                }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    }
  }

  @Test
  void stops_an_evaluation_that_runs_too_deep() {
    JsonataExpression endless =
        JsonataExpression.compile(
                options, "response_mapping", "($f := function($x) { $f($x + 1) }; $f(0))", 1000)
            .orElseThrow();

    assertThatThrownBy(() -> endless.evaluate(Fixtures.json("{}"), Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void places_a_syntax_error_by_line_and_column() {
    assertThat(JsonataExpression.compile(options, "response_mapping", "a.b.]", 1000)).isEmpty();
    assertThat(problems.errors().getFirst().format())
        .startsWith(
            "adapter_options.response_mapping: JSONata syntax error at line 1, column 5 of the expression:");
  }

  @Test
  void reports_a_broken_regular_expression_as_a_syntax_error() {
    assertThat(JsonataExpression.compile(options, "response_mapping", "$match(x, /[a/)", 1000))
        .isEmpty();
    assertThat(problems.errors().getFirst().format())
        .startsWith("adapter_options.response_mapping: JSONata syntax error");
  }

  @Test
  void refuses_an_expression_longer_than_the_limit() {
    String source = "a" + " ".repeat(JsonataExpression.MAX_LENGTH);

    assertThat(JsonataExpression.compile(options, "request_mapping", source, 1000)).isEmpty();
    assertThat(problems.errors().getFirst().format())
        .isEqualTo(
            "adapter_options.request_mapping: the JSONata expression is 16385 characters long,"
                + " more than the limit of 16384");
  }

  @Test
  void refuses_brackets_nested_past_the_limit_at_the_first_one_too_deep() {
    String source = "x.(\n" + "[".repeat(150) + "]".repeat(150) + ")";

    assertThat(JsonataExpression.compile(options, "response_mapping", source, 1000)).isEmpty();
    assertThat(problems.errors().getFirst().format())
        .isEqualTo(
            "adapter_options.response_mapping: the JSONata expression is nested more than 100"
                + " levels deep at line 2, column 100 of the expression");
  }

  @Test
  void counts_no_brackets_inside_strings_names_or_comments() {
    String brackets = "(".repeat(150);
    String source =
        "\"" + brackets + "\" & '" + brackets + "' & `" + brackets + "` /* " + brackets + " */";

    assertThat(JsonataExpression.tooDeep(source)).isEmpty();
  }

  @Test
  void refuses_or_compiles_long_chains_of_operators_without_overflowing_the_stack() {
    for (String link : List.of("1+", "-", "a.", "$not(", "1 ? 2 : ")) {
      String source = link.repeat((JsonataExpression.MAX_LENGTH - 1) / link.length()) + "1";
      Problems found = new Problems();

      Optional<JsonataExpression> compiled =
          JsonataExpression.compile(new Options(Fixtures.object("{}"), found), "m", source, 1000);

      assertThat(compiled.isPresent() || !found.errors().isEmpty()).as(link).isTrue();
      compiled.ifPresent(
          expression ->
              assertThat(catchThrowable(() -> expression.evaluate(Fixtures.json("{}"), Map.of())))
                  .as(link)
                  .satisfiesAnyOf(
                      thrown -> assertThat(thrown).isNull(),
                      thrown -> assertThat(thrown).isInstanceOf(IllegalArgumentException.class)));
    }
  }
}
