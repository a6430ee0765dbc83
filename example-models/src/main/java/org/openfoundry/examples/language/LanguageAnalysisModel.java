package org.openfoundry.examples.language;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openfoundry.examples.endpoint.Answer;
import org.openfoundry.examples.endpoint.ExampleModel;
import org.openfoundry.examples.endpoint.ModelRequest;
import org.openfoundry.examples.endpoint.ModelResponse;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.Feature;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Tool;

/**
 * The language example model over text rows: {@code language} (radio), {@code entity} (proper-noun
 * spans), {@code summary} (the lead sentence) and {@code contains} (checklist: names, numbers, a
 * question). Parameter: {@code confidence} (default 0.2) drops a language guess or a name whose
 * confidence is lower. Entities and the checklist need a tagger, so they are answered for English,
 * German and French only; other languages get the language and the summary.
 */
public final class LanguageAnalysisModel implements ExampleModel {
  public static final String NAME = "language";

  static final double DEFAULT_CONFIDENCE = 0.2;

  private final TextAnalyser analyser;

  private LanguageAnalysisModel(TextAnalyser analyser) {
    this.analyser = requireNonNull(analyser, "analyser is null");
  }

  /** Loads the OpenNLP models from the class path: a second or two, once. */
  public static LanguageAnalysisModel load() {
    return new LanguageAnalysisModel(new TextAnalyser(TrainedModels.load()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AssetType assetType() {
    return AssetType.TEXT;
  }

  @Override
  public List<Feature> features() {
    return Arrays.stream(LanguageFeature.values()).map(LanguageFeature::toFeature).toList();
  }

  @Override
  public ModelResponse predict(ModelRequest request) {
    double confidence = request.params().number("confidence", 0, 1, DEFAULT_CONFIDENCE);
    List<Feature> wanted = request.featuresToAnswer(features());
    Analysis analysis = analyser.analyse(request.dataRow().rowData());
    Map<String, Answer> answers = new LinkedHashMap<>();
    for (Feature feature : wanted) {
      LanguageFeature known = LanguageFeature.named(feature.name()).orElseThrow();
      answer(feature, known, analysis, confidence)
          .ifPresent(answer -> answers.put(feature.name(), answer));
    }
    return new ModelResponse(answers);
  }

  private static Optional<Answer> answer(
      Feature feature, LanguageFeature known, Analysis analysis, double confidence) {
    return switch (known) {
      case LANGUAGE -> language(feature, analysis, confidence);
      case ENTITY ->
          feature instanceof Tool tool
                  && tool.kind() == FeatureKind.NAMED_ENTITY
                  && analysis.tagged()
              ? Optional.of(new Answer.Entities(ProperNouns.spans(analysis, confidence)))
              : Optional.empty();
      case SUMMARY -> summary(feature, analysis);
      case CONTAINS -> contains(feature, analysis);
    };
  }

  private static Optional<Answer> language(Feature feature, Analysis analysis, double confidence) {
    if (!(feature instanceof Classification classification)
        || classification.kind() != FeatureKind.RADIO) {
      return Optional.empty();
    }
    return analysis
        .language()
        .filter(found -> found.confidence() >= confidence)
        .flatMap(found -> Languages.answer(classification, found.code()))
        .map(Answer.Radio::new);
  }

  private static Optional<Answer> summary(Feature feature, Analysis analysis) {
    if (feature.kind() != FeatureKind.TEXT || analysis.sentences().isEmpty()) {
      return Optional.empty();
    }
    Analysis.Sentence lead = analysis.sentences().getFirst();
    return Optional.of(new Answer.FreeText(analysis.text().substring(lead.start(), lead.end())));
  }

  private static Optional<Answer> contains(Feature feature, Analysis analysis) {
    if (!(feature instanceof Classification classification)
        || classification.kind() != FeatureKind.CHECKLIST
        || !analysis.tagged()) {
      return Optional.empty();
    }
    List<String> found = new ArrayList<>();
    if (hasTag(analysis, "PROPN")) {
      found.add(LanguageFeature.NAMES);
    }
    if (hasTag(analysis, "NUM")) {
      found.add(LanguageFeature.NUMBERS);
    }
    if (analysis.sentences().stream()
        .anyMatch(
            sentence ->
                analysis
                    .text()
                    .substring(sentence.start(), sentence.end())
                    .strip()
                    .endsWith("?"))) {
      found.add(LanguageFeature.QUESTION);
    }
    List<String> values =
        classification.options().isEmpty()
            ? found
            : found.stream()
                .map(classification::option)
                .flatMap(Optional::stream)
                .map(option -> option.value())
                .toList();
    return Optional.of(new Answer.Checklist(values));
  }

  private static boolean hasTag(Analysis analysis, String tag) {
    return analysis.sentences().stream()
        .flatMap(sentence -> sentence.tokens().stream())
        .anyMatch(token -> token.tag().equals(tag));
  }
}
