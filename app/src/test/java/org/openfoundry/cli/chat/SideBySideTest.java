package org.openfoundry.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SideBySideTest {
  @Test
  void wraps_each_answer_in_its_own_column_within_the_width() {
    List<String> rows =
        SideBySide.render(
            List.of("alpha", "beta"), List.of("one two three four five six", "seven"), 33);

    assertThat(rows)
        .containsExactly(
            "alpha           | beta",
            "--------------- | ---------------",
            "one two three   | seven",
            "four five six   |");
  }

  @Test
  void keeps_paragraphs_and_cuts_words_longer_than_a_line() {
    assertThat(SideBySide.wrap("abcdefghijkl\n\nnext", 5))
        .containsExactly("abcde", "fghij", "kl", "", "next");
  }
}
