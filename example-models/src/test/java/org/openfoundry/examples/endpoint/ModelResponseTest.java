package org.openfoundry.examples.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelResponseTest {

  @Test
  void writes_each_answer_in_the_shape_of_its_kind() {
    Map<String, Answer> answers = new LinkedHashMap<>();
    answers.put("car", new Answer.Boxes(List.of(new Answer.ScoredBox(1, 2, 30, 40, 0.912345))));
    answers.put("road", new Answer.Masks(List.of(new Answer.ScoredMask(3, 5, "3250N", 0.8))));
    answers.put("person", new Answer.Entities(List.of(new Answer.EntitySpan(8, 11, "Bob"))));
    answers.put("sentiment", new Answer.Radio("positive"));
    answers.put("emotion", new Answer.Checklist(List.of("joy", "fear")));
    answers.put("summary", new Answer.FreeText("Tom and Bob"));

    assertThat(new ModelResponse(answers).toJson().toString())
        .isEqualTo(
            "{\"car\":{\"boxes\":[[1,2,30,40]],\"scores\":[0.9123]},"
                + "\"road\":{\"masks\":[{\"size\":[3,5],\"counts\":\"3250N\"}],\"scores\":[0.8]},"
                + "\"person\":[{\"start\":8,\"end\":11,\"text\":\"Bob\"}],"
                + "\"sentiment\":\"positive\","
                + "\"emotion\":[\"joy\",\"fear\"],"
                + "\"summary\":\"Tom and Bob\"}");
  }

  @Test
  void refuses_a_span_whose_text_does_not_fit_its_offsets() {
    assertThatThrownBy(() -> new Answer.EntitySpan(5, 8, "Bob!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5..8");
  }

  @Test
  void refuses_a_score_outside_zero_to_one() {
    assertThatThrownBy(() -> new Answer.ScoredBox(0, 0, 1, 1, 1.2))
        .hasMessage("score must be in [0, 1], got 1.2");
  }
}
