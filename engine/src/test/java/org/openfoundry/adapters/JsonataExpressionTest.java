package org.openfoundry.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
