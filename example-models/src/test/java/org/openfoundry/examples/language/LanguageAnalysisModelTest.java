package org.openfoundry.examples.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openfoundry.examples.endpoint.Answer;
import org.openfoundry.examples.endpoint.DataRowRef;
import org.openfoundry.examples.endpoint.InferenceParams;
import org.openfoundry.examples.endpoint.ModelRequest;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class LanguageAnalysisModelTest {
  private final LanguageAnalysisModel model = LoadedLanguageModel.get();

  @Test
  void answers_every_feature_for_an_english_text() {
    Map<String, Answer> answers =
        predict(
            "Mayor Ana Lopez met officials of the University of Leeds in Berlin on Monday. "
                + "They signed 3 agreements. Will more follow?");

    assertThat(answers.get("language")).isEqualTo(new Answer.Radio("en"));
    assertThat(answers.get("summary"))
        .isEqualTo(
            new Answer.FreeText(
                "Mayor Ana Lopez met officials of the University of Leeds in Berlin on Monday."));
    assertThat(answers.get("contains"))
        .isEqualTo(new Answer.Checklist(List.of("names", "numbers", "question")));
    assertThat(entityTexts(answers))
        .contains("University of Leeds", "Berlin")
        .anyMatch(text -> text.endsWith("Ana Lopez"));
  }

  @Test
  void gives_entity_offsets_in_utf16_characters_that_cover_their_text() {
    String text = "Gäste 😀 aus Köln trafen gestern Angela Merkel im Rathaus von München.";
    Map<String, Answer> answers = predict(text);

    List<Answer.EntitySpan> spans = ((Answer.Entities) answers.get("entity")).spans();
    assertThat(spans).isNotEmpty();
    for (Answer.EntitySpan span : spans) {
      assertThat(text.substring(span.start(), span.end())).isEqualTo(span.text());
    }
    assertThat(spans)
        .extracting(Answer.EntitySpan::text)
        .contains("Köln", "Angela Merkel", "München");
    assertThat(answers.get("language")).isEqualTo(new Answer.Radio("de"));
  }

  @Test
  void answers_language_and_summary_but_no_entities_for_a_language_without_a_tagger() {
    Map<String, Answer> answers =
        predict(
            "El equipo de fútbol de Sevilla ganó la final de la copa después de una tanda de"
                + " penaltis. Los aficionados celebraron la victoria en las calles.");

    assertThat(answers.get("language")).isEqualTo(new Answer.Radio("es"));
    assertThat(answers).containsKey("summary").doesNotContainKeys("entity", "contains");
  }

  @Test
  void leaves_the_language_out_when_it_is_less_sure_than_the_confidence_asked_for() {
    String text = "The council approved the budget on Tuesday after a long debate about roads.";

    assertThat(predict(text, 0.2)).containsKey("language");
    assertThat(predict(text, 1.0)).doesNotContainKey("language");
  }

  @Test
  void names_a_language_by_the_options_value_label_or_code_and_falls_back_to_other() {
    Classification byCode = Classification.radio("language", "eng", "deu");
    Classification byName = Classification.radio("language", "English", "German");
    Classification withOther = Classification.radio("language", "fr", "other");
    Classification open = new Classification("language", "", FeatureKind.RADIO, false, List.of());

    assertThat(Languages.answer(byCode, "deu")).contains("deu");
    assertThat(Languages.answer(byName, "deu")).contains("German");
    assertThat(Languages.answer(withOther, "deu")).contains("other");
    assertThat(Languages.answer(byCode, "fra")).isEmpty();
    assertThat(Languages.answer(open, "deu")).contains("de");
  }

  private Map<String, Answer> predict(String text) {
    return predict(text, LanguageAnalysisModel.DEFAULT_CONFIDENCE);
  }

  private Map<String, Answer> predict(String text, double confidence) {
    ObjectNode params =
        JsonMapper.builder().build().createObjectNode().put("confidence", confidence);
    ModelRequest request =
        new ModelRequest(
            new DataRowRef(Optional.empty(), Optional.empty(), text),
            Ontology.empty(),
            new InferenceParams(params));
    return model.predict(request).answers();
  }

  private static List<String> entityTexts(Map<String, Answer> answers) {
    return ((Answer.Entities) answers.get("entity"))
        .spans().stream().map(Answer.EntitySpan::text).toList();
  }
}
