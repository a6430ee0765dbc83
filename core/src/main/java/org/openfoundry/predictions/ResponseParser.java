package org.openfoundry.predictions;

import java.util.Map;
import java.util.Optional;
import org.openfoundry.json.UntrustedJson;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.SourcePosition;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a model's task response into a {@link ParseReport}. A response is a JSON object keyed by
 * ontology feature names (see {@code docs/formats.md}), or uses the Labelbox annotation format's
 * {@code objects} and {@code classifications}; the two may be mixed. One bad feature never loses
 * the others: each problem is reported with its path and the rest is read on. A parser holds no
 * state between calls, so one instance serves every worker.
 */
public final class ResponseParser {
  /** The name positions in unreadable response text are reported against, unless given one. */
  public static final String SOURCE = "response";

  private final JsonMapper mapper;

  public ResponseParser() {
    // Python's json module writes NaN and Infinity; reading them lets the report name the exact
    // coordinate or score instead of rejecting the whole response.
    this.mapper = UntrustedJson.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  }

  /** Parses response text; text that is not JSON gives a report with one positioned error. */
  public ParseReport parse(String json, ParseContext context) {
    return parse(json, SOURCE, context);
  }

  /** Parses response text read from {@code source} (a file name), which positions then name. */
  public ParseReport parse(String json, String source, ParseContext context) {
    JsonNode tree;
    try {
      tree = mapper.readTree(json);
    } catch (JacksonException unreadable) {
      ParseRun run = new ParseRun(context);
      Problem problem =
          Problem.error(
              "",
              UntrustedJson.limitPassed(unreadable)
                  .map(limit -> "the response is too large to read: " + limit)
                  .orElseGet(() -> "not valid JSON: " + unreadable.getOriginalMessage()));
      run.problem(position(unreadable, source).map(problem::at).orElse(problem));
      return run.report();
    }
    return parse(tree, context);
  }

  public ParseReport parse(JsonNode response, ParseContext context) {
    ParseRun run = new ParseRun(context);
    if (response == null || !response.isObject()) {
      run.error(
          "", "expected a JSON object keyed by feature names, got " + Values.describe(response));
      return run.report();
    }
    NativeFormat wire = new NativeFormat(run);
    LabelboxFormat labelbox = new LabelboxFormat(run);
    for (Map.Entry<String, JsonNode> property : response.properties()) {
      String key = property.getKey();
      JsonNode value = property.getValue();
      if (run.resolver().resolve(key).isEmpty() && labelboxKey(key, key, value, labelbox, run)) {
        continue;
      }
      run.resolver()
          .resolve(key)
          .ifPresentOrElse(
              feature -> wire.read(key, feature, value),
              () -> run.error(key, run.resolver().unknown(key)));
    }
    return run.report();
  }

  /** Reads a key of the Labelbox annotation format; false when {@code key} is not one of them. */
  private static boolean labelboxKey(
      String key, String path, JsonNode value, LabelboxFormat labelbox, ParseRun run) {
    switch (key) {
      case "objects" -> {
        if (!value.isArray()) {
          return false;
        }
        labelbox.objects(value, path);
        return true;
      }
      case "classifications" -> {
        if (!value.isArray()) {
          return false;
        }
        labelbox.classifications(value, path);
        return true;
      }
      case "annotations" -> {
        if (!value.isObject()) {
          return false;
        }
        for (Map.Entry<String, JsonNode> inner : value.properties()) {
          String innerPath = path + "." + inner.getKey();
          if (!labelboxKey(inner.getKey(), innerPath, inner.getValue(), labelbox, run)) {
            run.error(
                innerPath,
                "expected objects, classifications or relationships in Labelbox annotations, got "
                    + inner.getKey());
          }
        }
        return true;
      }
      case "relationships" -> {
        if (!value.isArray()) {
          return false;
        }
        if (!value.isEmpty()) {
          run.warning(path, "ignored: relationships between objects are not read");
        }
        return true;
      }
      default -> {
        return false;
      }
    }
  }

  private static Optional<SourcePosition> position(JacksonException error, String source) {
    TokenStreamLocation location = error.getLocation();
    if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
      return Optional.empty();
    }
    return Optional.of(new SourcePosition(source, location.getLineNr(), location.getColumnNr()));
  }
}
