package org.openfoundry.predictions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Classification;
import org.openfoundry.ontology.FeatureKind;
import org.openfoundry.ontology.Ontology;
import org.openfoundry.ontology.Option;
import org.openfoundry.ontology.Tool;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The ontology and example responses the parser tests read against. */
final class Fixtures {
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** A cat may be standing or sitting; a sitting cat says which parts are visible. */
  static final Classification POSE =
      new Classification(
          "pose",
          "How is the cat?",
          FeatureKind.RADIO,
          false,
          List.of(
              Option.of("standing"),
              new Option(
                  "Sitting",
                  "sitting",
                  1,
                  List.of(Classification.checklist("visible parts", "head", "tail")))));

  static final Ontology ONTOLOGY =
      new Ontology(
          Optional.of(AssetType.IMAGE),
          List.of(
              new Tool("cat", FeatureKind.RECTANGLE, Optional.empty(), List.of(POSE)),
              Tool.of("dog", FeatureKind.RECTANGLE),
              Tool.of("road", FeatureKind.RASTER_SEGMENTATION),
              Tool.of("lake", FeatureKind.POLYGON),
              Tool.of("eye", FeatureKind.POINT),
              Tool.of("lane", FeatureKind.EDGE),
              Tool.of("person", FeatureKind.NAMED_ENTITY),
              Tool.of("organization", FeatureKind.NAMED_ENTITY)),
          List.of(
              Classification.text("summary"),
              new Classification(
                  "sentiment",
                  "How does the text feel?",
                  FeatureKind.RADIO,
                  false,
                  List.of(
                      new Option("Positive", "positive", 0, List.of()),
                      new Option("Negative", "negative", 1, List.of()),
                      new Option("Neutral", "neutral", 2, List.of()))),
              Classification.checklist("emotion", "joy", "fear", "anger")));

  static final String ROW_TEXT = "Tom and Bob are happy to work at IBM";

  private Fixtures() {}

  static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  /** The repository's {@code examples/responses.json}. */
  static JsonNode examples() {
    try {
      return JSON.readTree(Files.readString(Path.of("../examples/responses.json")));
    } catch (IOException missing) {
      throw new UncheckedIOException(missing);
    }
  }

  static ParseContext context() {
    return ParseContext.of(ONTOLOGY);
  }
}
