package org.openfoundry.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS =
      List.of("name", "inference_endpoint", "requests_per_second", "readme", "max_tokens");

  @Test
  void suggests_the_closest_key_for_a_typo() {
    assertThat(Suggestions.closest("requests_per_secnd", KEYS)).contains("requests_per_second");
    assertThat(Suggestions.closest("naem", KEYS)).contains("name");
    assertThat(Suggestions.closest("max-tokens", KEYS)).contains("max_tokens");
    assertThat(Suggestions.closest("requestsPerSecond", KEYS)).contains("requests_per_second");
  }

  @Test
  void suggests_nothing_when_no_key_is_close() {
    assertThat(Suggestions.closest("colour", KEYS)).isEmpty();
    assertThat(Suggestions.closest("ab", List.of("xy"))).isEmpty();
    assertThat(Suggestions.didYouMean("colour", KEYS)).isEmpty();
  }

  @Test
  void counts_a_swap_of_neighbours_as_one_edit() {
    assertThat(Suggestions.distance("raedme", "readme")).isEqualTo(1);
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
  }
}
