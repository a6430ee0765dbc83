package org.openfoundry.examples.endpoint;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code inference_params} of a request. A model reads the parameters it knows, each with its
 * range and default; the platform has already checked them against the manifest's schema, but a
 * model called directly must still reject a bad value with its path.
 */
public record InferenceParams(ObjectNode values) {
  public InferenceParams {
    requireNonNull(values, "values is null");
    values = values.deepCopy();
  }

  public static InferenceParams none() {
    return new InferenceParams(JsonNodeFactory.instance.objectNode());
  }

  /** The named number, {@code fallback} when absent or null; out of range is a bad request. */
  public double number(String name, double minimum, double maximum, double fallback) {
    JsonNode value = values.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber() || value.doubleValue() < minimum || value.doubleValue() > maximum) {
      throw invalid(
          name,
          String.format(
              Locale.ROOT,
              "expected a number from %s to %s, got %s",
              plain(minimum),
              plain(maximum),
              Json.quote(value)));
    }
    return value.doubleValue();
  }

  /** The named whole number, {@code fallback} when absent or null; out of range is bad. */
  public int integer(String name, int minimum, int maximum, int fallback) {
    JsonNode value = values.get(name);
    if (value == null || value.isNull()) {
      return fallback;
    }
    boolean whole = value.isIntegralNumber() || (value.isNumber() && value.doubleValue() % 1 == 0);
    if (!whole || value.doubleValue() < minimum || value.doubleValue() > maximum) {
      throw invalid(
          name,
          "expected a whole number from "
              + minimum
              + " to "
              + maximum
              + ", got "
              + Json.quote(value));
    }
    return value.intValue();
  }

  private static FoundryException invalid(String name, String message) {
    Problem problem = Problem.error("inference_params." + name, message);
    return new FoundryException(
        ErrorCode.INVALID_INPUT, "bad inference parameter: " + problem.format(), List.of(problem));
  }

  private static String plain(double number) {
    return number % 1 == 0 ? Long.toString((long) number) : Double.toString(number);
  }
}
