package org.openfoundry.adapters;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A JSONata expression of a manifest, compiled once when the manifest is loaded (a syntax error is
 * reported with its line and column in the expression) and evaluated per call with a time and depth
 * bound, so that a runaway mapping cannot hold a worker.
 */
final class JsonataExpression {
  private static final int MAX_DEPTH = 500;

  private final String key;
  private final Jsonata compiled;
  private final long timeoutMillis;

  private JsonataExpression(String key, Jsonata compiled, long timeoutMillis) {
    this.key = key;
    this.compiled = compiled;
    this.timeoutMillis = timeoutMillis;
  }

  /** The expression of option {@code key}, or empty with the syntax error reported. */
  static Optional<JsonataExpression> compile(
      Options options, String key, String source, long timeoutMillis) {
    try {
      return Optional.of(new JsonataExpression(key, Jsonata.jsonata(source), timeoutMillis));
    } catch (JException e) {
      options.error(
          key, "JSONata syntax error at " + where(source, e.getLocation()) + ": " + e.getMessage());
      return Optional.empty();
    } catch (RuntimeException e) {
      options.error(key, "JSONata syntax error: " + e.getMessage());
      return Optional.empty();
    }
  }

  String key() {
    return key;
  }

  /**
   * Evaluates the expression on {@code input} with the given variables ({@code $request}).
   *
   * @throws IllegalArgumentException with a message for people when evaluation fails
   */
  JsonNode evaluate(JsonNode input, Map<String, JsonNode> variables) {
    Object result;
    try {
      Jsonata.Frame frame = compiled.createFrame();
      frame.setRuntimeBounds(timeoutMillis, MAX_DEPTH);
      variables.forEach((name, value) -> frame.bind(name, toObject(value)));
      result = compiled.evaluate(toObject(input), frame);
    } catch (JException e) {
      throw new IllegalArgumentException(e.getMessage() + " (" + e.getError() + ")", e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }
    if (result == null) {
      return Json.NODES.missingNode();
    }
    if (result == Jsonata.NULL_VALUE) {
      return Json.NODES.nullNode();
    }
    try {
      return Json.MAPPER.valueToTree(result);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "the result is not JSON (a function?): " + e.getOriginalMessage(), e);
    }
  }

  private static Object toObject(JsonNode node) {
    return Json.MAPPER.convertValue(node, Object.class);
  }

  /** "line 2, column 12": JSONata reports the character just past the offending token. */
  static String where(String source, int location) {
    int offset = Math.max(0, Math.min(source.length(), location) - 1);
    int line = 1;
    int lineStart = 0;
    for (int index = 0; index < offset; index++) {
      if (source.charAt(index) == '\n') {
        line++;
        lineStart = index + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1) + " of the expression";
  }
}
