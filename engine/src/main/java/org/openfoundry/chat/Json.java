package org.openfoundry.chat;

import tools.jackson.databind.JsonNode;

/** How bad input is named in messages: its kind and a short excerpt of its value. */
final class Json {
  private static final int EXCERPT = 60;

  private Json() {}

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
    return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "...";
  }
}
