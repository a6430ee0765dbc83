package org.openfoundry.directrun;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

class JsonTest {
  private static final JsonMapper UNLIMITED =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(1000).build())
                  .build())
          .build();

  @Test
  void reads_a_raw_response_back_only_within_the_limits_on_outside_json() {
    String deep = "[".repeat(100) + "]".repeat(100);

    assertThat(Json.sameJson("{\"a\": [1]}", UNLIMITED.readTree("{\"a\": [1]}"))).isTrue();
    assertThat(Json.sameJson(deep, UNLIMITED.readTree(deep))).isFalse();
  }
}
