package org.openfoundry.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

class UntrustedJsonTest {

  @Test
  void reads_values_nested_as_deep_as_the_limit() {
    JsonNode read = UntrustedJson.mapper().readTree(nested(UntrustedJson.MAX_DEPTH));

    assertThat(read.isArray()).isTrue();
  }

  @Test
  void refuses_values_nested_one_level_deeper_than_the_limit_and_names_it() {
    JacksonException refused =
        catchThrowableOfType(
            JacksonException.class,
            () -> UntrustedJson.mapper().readTree(nested(UntrustedJson.MAX_DEPTH + 1)));

    assertThat(UntrustedJson.limitPassed(refused))
        .contains("values are nested more than 64 levels deep");
  }

  @Test
  void refuses_a_string_longer_than_the_limit_and_names_it() {
    String json = "[\"" + "a".repeat(UntrustedJson.MAX_STRING_LENGTH + 1) + "\"]";

    JacksonException refused =
        catchThrowableOfType(JacksonException.class, () -> UntrustedJson.mapper().readTree(json));

    assertThat(UntrustedJson.limitPassed(refused))
        .contains("a string is longer than 33554432 characters");
  }

  @Test
  void refuses_a_number_longer_than_the_limit_and_names_it() {
    String json = "[" + "9".repeat(UntrustedJson.MAX_NUMBER_LENGTH + 1) + "]";

    JacksonException refused =
        catchThrowableOfType(JacksonException.class, () -> UntrustedJson.mapper().readTree(json));

    assertThat(UntrustedJson.limitPassed(refused))
        .contains("a number is longer than 1000 characters");
  }

  @Test
  void refuses_a_key_longer_than_the_limit_and_names_it() {
    String json = "{\"" + "k".repeat(UntrustedJson.MAX_NAME_LENGTH + 1) + "\": 1}";

    JacksonException refused =
        catchThrowableOfType(JacksonException.class, () -> UntrustedJson.mapper().readTree(json));

    assertThat(UntrustedJson.limitPassed(refused))
        .contains("a key is longer than 10000 characters");
  }

  @Test
  void builders_keep_the_limits() {
    JacksonException refused =
        catchThrowableOfType(
            JacksonException.class,
            () -> UntrustedJson.builder().build().readTree(nested(UntrustedJson.MAX_DEPTH + 1)));

    assertThat(UntrustedJson.limitPassed(refused)).isPresent();
  }

  @Test
  void says_nothing_of_limits_for_text_that_is_simply_not_json() {
    JacksonException broken =
        catchThrowableOfType(
            JacksonException.class, () -> UntrustedJson.mapper().readTree("{\"a\": tru}"));

    assertThat(UntrustedJson.limitPassed(broken)).isEmpty();
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
