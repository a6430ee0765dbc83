package org.openfoundry.dispatch;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.Problems;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the manifest keys the dispatcher needs straight from its canonical JSON. Kept to this one
 * class so that it can give way to the typed manifest without touching anything else.
 */
final class EndpointCallReader {
  private static final Pattern DURATION =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  private final ObjectNode manifest;
  private final Problems problems = new Problems();

  private EndpointCallReader(ObjectNode manifest) {
    this.manifest = manifest;
  }

  static EndpointCall read(ObjectNode manifest) {
    return new EndpointCallReader(manifest).read();
  }

  private EndpointCall read() {
    Optional<URI> endpoint = endpoint();
    EndpointCall.Auth auth = auth();
    EndpointCall.Timeouts timeouts = timeouts();
    int maxConcurrency = positiveInt("max_concurrency", EndpointCall.DEFAULT_MAX_CONCURRENCY);
    int maxAttempts = positiveInt("max_attempts", EndpointCall.DEFAULT_MAX_ATTEMPTS);
    long maxResponseBytes =
        positiveLong("max_response_bytes", EndpointCall.DEFAULT_MAX_RESPONSE_BYTES);
    OptionalDouble rate = requestsPerSecond();
    Optional<ObjectNode> ontology = ontology();
    problems.throwIfErrors(
        ErrorCode.INVALID_MANIFEST, "the manifest does not say how to call its endpoint");
    return new EndpointCall(
        endpoint.orElseThrow(),
        auth,
        timeouts,
        maxConcurrency,
        maxAttempts,
        maxResponseBytes,
        rate,
        ontology);
  }

  private Optional<URI> endpoint() {
    JsonNode node = manifest.path("inference_endpoint");
    if (node.isMissingNode() || node.isNull()) {
      problems.error(
          "inference_endpoint", "expected the endpoint's http or https URL, got nothing");
      return Optional.empty();
    }
    if (!node.isString()) {
      problems.error("inference_endpoint", "expected an http or https URL, got " + node);
      return Optional.empty();
    }
    try {
      URI uri = new URI(node.stringValue().trim());
      String scheme = uri.getScheme();
      if (uri.getHost() == null
          || scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        problems.error("inference_endpoint", "expected an http or https URL, got " + node);
        return Optional.empty();
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      problems.error(
          "inference_endpoint",
          "expected an http or https URL, got " + node + ": " + e.getReason());
      return Optional.empty();
    }
  }

  private EndpointCall.Auth auth() {
    JsonNode node = manifest.path("auth");
    if (node.isMissingNode() || node.isNull()) {
      return EndpointCall.Auth.BEARER;
    }
    if (!node.isObject()) {
      problems.error("auth", "expected an object with header and scheme, got " + node);
      return EndpointCall.Auth.BEARER;
    }
    String header = string(node, "auth.header", EndpointCall.Auth.BEARER.header());
    String scheme = string(node, "auth.scheme", EndpointCall.Auth.BEARER.scheme());
    try {
      return new EndpointCall.Auth(header.trim(), scheme.trim());
    } catch (IllegalArgumentException e) {
      problems.error("auth", e.getMessage());
      return EndpointCall.Auth.BEARER;
    }
  }

  private EndpointCall.Timeouts timeouts() {
    JsonNode node = manifest.path("timeouts");
    EndpointCall.Timeouts defaults = EndpointCall.Timeouts.DEFAULTS;
    if (node.isMissingNode() || node.isNull()) {
      return defaults;
    }
    if (!node.isObject()) {
      problems.error("timeouts", "expected an object with connect, read and total, got " + node);
      return defaults;
    }
    return new EndpointCall.Timeouts(
        duration(node, "connect", defaults.connect()),
        duration(node, "read", defaults.read()),
        duration(node, "total", defaults.total()));
  }

  private Duration duration(JsonNode timeouts, String key, Duration fallback) {
    JsonNode node = timeouts.path(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    Optional<Duration> parsed = parseDuration(node);
    if (parsed.isEmpty()) {
      problems.error(
          "timeouts." + key,
          "expected a positive duration such as 10s, 500ms, 2m or a number of seconds, got "
              + node);
      return fallback;
    }
    return parsed.get();
  }

  /** {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h}, or a number of seconds. */
  static Optional<Duration> parseDuration(JsonNode node) {
    if (node.isNumber()) {
      return positive(secondsToDuration(node.doubleValue()));
    }
    if (!node.isString()) {
      return Optional.empty();
    }
    Matcher matcher = DURATION.matcher(node.stringValue().trim());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    double amount = Double.parseDouble(matcher.group(1));
    double seconds =
        switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
          case "ms" -> amount / 1000;
          case "s" -> amount;
          case "m" -> amount * 60;
          default -> amount * 3600;
        };
    return positive(secondsToDuration(seconds));
  }

  private static Optional<Duration> secondsToDuration(double seconds) {
    if (!Double.isFinite(seconds) || seconds > Long.MAX_VALUE / 1_000_000_000.0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.round(seconds * 1_000_000_000.0)));
  }

  private static Optional<Duration> positive(Optional<Duration> duration) {
    return duration.filter(value -> !value.isNegative() && !value.isZero());
  }

  private int positiveInt(String key, int fallback) {
    return (int) positiveNumber(key, fallback, Integer.MAX_VALUE, "expected a whole number >= 1");
  }

  private long positiveLong(String key, long fallback) {
    return positiveNumber(key, fallback, Long.MAX_VALUE, "expected a number of bytes >= 1");
  }

  private long positiveNumber(String key, long fallback, long max, String expected) {
    JsonNode node = manifest.path(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      problems.error(key, expected + ", got " + node);
      return fallback;
    }
    long value = node.longValue();
    if (value < 1 || value > max) {
      problems.error(key, expected + ", got " + node);
      return fallback;
    }
    return value;
  }

  private OptionalDouble requestsPerSecond() {
    JsonNode node = manifest.path("requests_per_second");
    if (node.isMissingNode() || node.isNull()) {
      return OptionalDouble.empty();
    }
    if (!node.isNumber() || !Double.isFinite(node.doubleValue()) || node.doubleValue() <= 0) {
      problems.error(
          "requests_per_second", "expected a positive number such as 0.1 or 5, got " + node);
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(node.doubleValue());
  }

  private Optional<ObjectNode> ontology() {
    JsonNode node = manifest.path("ontology");
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      problems.error("ontology", "expected an object with tools and classifications, got " + node);
      return Optional.empty();
    }
    return Optional.of((ObjectNode) node);
  }

  private String string(JsonNode parent, String path, String fallback) {
    String key = path.substring(path.lastIndexOf('.') + 1);
    JsonNode node = parent.path(key);
    if (node.isMissingNode() || node.isNull()) {
      return fallback;
    }
    if (!node.isString()) {
      problems.error(path, "expected a string, got " + node);
      return fallback;
    }
    return node.stringValue();
  }
}
