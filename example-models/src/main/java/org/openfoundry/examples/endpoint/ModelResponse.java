package org.openfoundry.examples.endpoint;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** A task response: answers keyed by ontology feature name, written in the wire format. */
public record ModelResponse(Map<String, Answer> answers) {
  private static final double SCORE_PRECISION = 10_000;

  public ModelResponse {
    requireNonNull(answers, "answers is null");
    answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers));
  }

  /** The JSON object the endpoint sends back. */
  public ObjectNode toJson() {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode response = json.objectNode();
    answers.forEach((name, answer) -> response.set(name, write(json, answer)));
    return response;
  }

  private static JsonNode write(JsonNodeFactory json, Answer answer) {
    return switch (answer) {
      case Answer.Boxes boxes -> {
        ObjectNode node = json.objectNode();
        ArrayNode coordinates = node.putArray("boxes");
        ArrayNode scores = node.putArray("scores");
        for (Answer.ScoredBox box : boxes.boxes()) {
          coordinates.addArray().add(box.left()).add(box.top()).add(box.width()).add(box.height());
          scores.add(round(box.score()));
        }
        yield node;
      }
      case Answer.Masks masks -> {
        ObjectNode node = json.objectNode();
        ArrayNode encoded = node.putArray("masks");
        ArrayNode scores = node.putArray("scores");
        for (Answer.ScoredMask mask : masks.masks()) {
          ObjectNode rle = encoded.addObject();
          rle.putArray("size").add(mask.height()).add(mask.width());
          rle.put("counts", mask.counts());
          scores.add(round(mask.score()));
        }
        yield node;
      }
      case Answer.Entities entities -> {
        ArrayNode spans = json.arrayNode();
        for (Answer.EntitySpan span : entities.spans()) {
          spans
              .addObject()
              .put("start", span.start())
              .put("end", span.end())
              .put("text", span.text());
        }
        yield spans;
      }
      case Answer.Radio radio -> json.stringNode(radio.value());
      case Answer.Checklist checklist -> {
        ArrayNode values = json.arrayNode();
        checklist.values().forEach(values::add);
        yield values;
      }
      case Answer.FreeText text -> json.stringNode(text.text());
    };
  }

  private static double round(double score) {
    return Math.round(score * SCORE_PRECISION) / SCORE_PRECISION;
  }
}
