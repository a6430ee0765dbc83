package org.openfoundry.adapters;

import java.util.Map;

/**
 * How a model's answer to a data row is read: a JSON object in our response format, free text for
 * the ontology's text classification, or whichever of the two the answer is.
 */
enum AnswerMode {
  AUTO,
  JSON,
  TEXT;

  static final Map<String, AnswerMode> WORDS = Map.of("auto", AUTO, "json", JSON, "text", TEXT);
}
