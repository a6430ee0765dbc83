package org.openfoundry.adapters;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A JSONata expression of a manifest, compiled once when the manifest is loaded (a syntax error is
 * reported with its line and column in the expression) and evaluated per call with a time and depth
 * bound, so that a runaway mapping cannot hold a worker.
 */
final class JsonataExpression {
  /** The longest expression a manifest may hold; mappings are far shorter. */
  static final int MAX_LENGTH = 16_384;

  /** The deepest nesting of brackets, parentheses and braces an expression may have. */
  static final int MAX_NESTING = 100;

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
    if (source.length() > MAX_LENGTH) {
      options.error(
          key,
          "the JSONata expression is "
              + source.length()
              + " characters long, more than the limit of "
              + MAX_LENGTH);
      return Optional.empty();
    }
    OptionalInt tooDeep = tooDeep(source);
    if (tooDeep.isPresent()) {
      options.error(
          key,
          "the JSONata expression is nested more than "
              + MAX_NESTING
              + " levels deep at "
              + where(source, tooDeep.getAsInt() + 1));
      return Optional.empty();
    }
    try {
      return Optional.of(new JsonataExpression(key, Jsonata.jsonata(source), timeoutMillis));
    } catch (StackOverflowError tooLong) {
      // A long chain of operators nests as deeply as brackets do; the parser is pure, so the
      // overflow leaves nothing behind and the expression is refused like any other.
      options.error(key, "the JSONata expression is nested too deeply to compile");
      return Optional.empty();
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
    } catch (StackOverflowError e) {
      throw new IllegalArgumentException("the evaluation nested too deeply", e);
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

  /**
   * The offset of the first bracket that opens a level past {@link #MAX_NESTING}, skipping string
   * literals, quoted names and comments, so that the parser's recursion stays bounded.
   */
  static OptionalInt tooDeep(String source) {
    int depth = 0;
    int index = 0;
    while (index < source.length()) {
      char c = source.charAt(index);
      if (c == '"' || c == '\'' || c == '`') {
        index = closing(source, index, c);
      } else if (c == '/' && index + 1 < source.length() && source.charAt(index + 1) == '*') {
        int end = source.indexOf("*/", index + 2);
        index = end < 0 ? source.length() : end + 2;
      } else {
        if (c == '(' || c == '[' || c == '{') {
          if (++depth > MAX_NESTING) {
            return OptionalInt.of(index);
          }
        } else if (c == ')' || c == ']' || c == '}') {
          depth = Math.max(0, depth - 1);
        }
        index++;
      }
    }
    return OptionalInt.empty();
  }

  /** The offset just past the quote that closes the one at {@code open}. */
  private static int closing(String source, int open, char quote) {
    int index = open + 1;
    while (index < source.length()) {
      char c = source.charAt(index);
      if (c == '\\' && quote != '`') {
        index += 2;
      } else if (c == quote) {
        return index + 1;
      } else {
        index++;
      }
    }
    return source.length();
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
