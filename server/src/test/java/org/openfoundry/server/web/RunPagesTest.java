package org.openfoundry.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunPagesTest {

  @Test
  void lays_out_a_raw_response_and_shows_one_past_the_json_limits_as_it_is() {
    String deep = "[".repeat(100) + "]".repeat(100);

    assertThat(RunPages.pretty("{\"cat\":[1]}")).contains("\"cat\" : [ 1 ]");
    assertThat(RunPages.pretty(deep)).isEqualTo(deep);
    assertThat(RunPages.pretty("not json")).isEqualTo("not json");
  }
}
