package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import tools.jackson.databind.node.ObjectNode;

/**
 * How to call one model version's endpoint, read from its manifest: where, how to authenticate, the
 * timeouts, the concurrency cap, the attempts allowed, the response size cap, the rate and the
 * output ontology sent with each request.
 */
public record EndpointCall(
    URI endpoint,
    Auth auth,
    Timeouts timeouts,
    int maxConcurrency,
    int maxAttempts,
    long maxResponseBytes,
    OptionalDouble requestsPerSecond,
    Optional<ObjectNode> ontology) {

  public static final int DEFAULT_MAX_CONCURRENCY = 8;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

  public EndpointCall {
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(auth, "auth is null");
    requireNonNull(timeouts, "timeouts is null");
    requireNonNull(requestsPerSecond, "requestsPerSecond is null");
    requireNonNull(ontology, "ontology is null");
    String scheme =
        endpoint.getScheme() == null ? "" : endpoint.getScheme().toLowerCase(Locale.ROOT);
    if (!endpoint.isAbsolute()
        || !(scheme.equals("http") || scheme.equals("https"))
        || endpoint.getHost() == null) {
      throw new IllegalArgumentException(
          "endpoint must be an absolute http or https URL, got \"" + endpoint + "\"");
    }
    if (maxConcurrency < 1) {
      throw new IllegalArgumentException("maxConcurrency must be >= 1, got " + maxConcurrency);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    if (maxResponseBytes < 1) {
      throw new IllegalArgumentException("maxResponseBytes must be >= 1, got " + maxResponseBytes);
    }
    requestsPerSecond.ifPresent(
        rate -> {
          if (!Double.isFinite(rate) || rate <= 0) {
            throw new IllegalArgumentException(
                "requestsPerSecond must be a positive number, got " + rate);
          }
        });
    ontology = ontology.map(ObjectNode::deepCopy);
  }

  /**
   * Reads the manifest's canonical JSON; throws a {@link org.openfoundry.problems.FoundryException}
   * naming every key that cannot be used.
   */
  public static EndpointCall fromManifest(ObjectNode manifest) {
    return EndpointCallReader.read(manifest);
  }

  /** The header that carries the model's secret, and the scheme word before it (may be empty). */
  public record Auth(String header, String scheme) {
    public static final Auth BEARER = new Auth("Authorization", "Bearer");

    public Auth {
      requireNonNull(header, "header is null");
      requireNonNull(scheme, "scheme is null");
      if (header.isBlank() || !header.chars().allMatch(Auth::isTokenCharacter)) {
        throw new IllegalArgumentException(
            "header must be an HTTP field name, got \"" + header + "\"");
      }
      if (!scheme.chars().allMatch(Auth::isTokenCharacter)) {
        throw new IllegalArgumentException("scheme must be one word, got \"" + scheme + "\"");
      }
    }

    /** The header value for this secret: {@code Bearer s3cret}, or the secret alone. */
    String value(String secret) {
      return scheme.isEmpty() ? secret : scheme + " " + secret;
    }

    private static boolean isTokenCharacter(int character) {
      return character > 32 && character < 127 && "()<>@,;:\\\"/[]?={}".indexOf(character) < 0;
    }
  }

  /**
   * Connect: opening the connection; read: the longest silence while waiting for the response;
   * total: the whole exchange, however steadily the bytes arrive.
   */
  public record Timeouts(Duration connect, Duration read, Duration total) {
    public static final Timeouts DEFAULTS =
        new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300));

    public Timeouts {
      requirePositive(connect, "connect");
      requirePositive(read, "read");
      requirePositive(total, "total");
    }

    private static void requirePositive(Duration duration, String name) {
      requireNonNull(duration, name + " is null");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + duration);
      }
    }
  }
}
