package org.openfoundry.adapters;

import org.openfoundry.json.UntrustedJson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The adapters' JSON mappers, and how values are named in messages. */
final class Json {
  /** Converts between trees and values the adapters built themselves. */
  static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** Reads what endpoints answer, with the limits of JSON from outside. */
  static final JsonMapper ANSWERS = UntrustedJson.mapper();

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int EXCERPT = 80;

  private Json() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isString()) {
      return "\"" + shorten(node.stringValue()) + "\"";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "a list";
    }
    return shorten(node.toString());
  }

  static String shorten(String text) {
    String flat = text.replace('\n', ' ');
    return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "...";
  }
}
