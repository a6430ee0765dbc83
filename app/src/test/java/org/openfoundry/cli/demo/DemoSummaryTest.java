package org.openfoundry.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DemoSummaryTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode line(String row, String feature, String answer) {
    return JSON.readTree(
        "{\"dataRow\": {\"globalKey\": \""
            + row
            + "\"}, \"name\": \""
            + feature
            + "\", \"answer\": {\"name\": \""
            + answer
            + "\"}}");
  }

  @Test
  void picks_rows_that_show_new_features_first_then_new_answers() {
    Map<String, List<JsonNode>> byRow =
        DemoSummary.byRow(
            List.of(
                line("en-1", "language", "en"),
                line("en-2", "language", "en"),
                line("en-2", "contains", "names"),
                line("en-3", "language", "en"),
                line("de-1", "language", "de"),
                line("fr-1", "language", "fr")));

    assertThat(DemoSummary.pick(byRow)).containsExactly("en-2", "de-1", "fr-1");
  }

  @Test
  void shows_every_row_when_there_are_fewer_than_three() {
    Map<String, List<JsonNode>> byRow =
        DemoSummary.byRow(List.of(line("only", "weather", "clear")));

    assertThat(DemoSummary.pick(byRow)).containsExactly("only");
  }
}
