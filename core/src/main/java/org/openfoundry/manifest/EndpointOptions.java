package org.openfoundry.manifest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * How the platform calls a model's endpoint: the auth header, the timeouts, how many calls may be
 * in flight, how many attempts a task gets, the largest response it reads, and the adapter that
 * maps requests and responses with its options (checked by the adapter, not here).
 */
public record EndpointOptions(
    Auth auth,
    Timeouts timeouts,
    int maxConcurrency,
    int maxAttempts,
    long maxResponseBytes,
    String adapter,
    ObjectNode adapterOptions) {

  public static final int DEFAULT_MAX_CONCURRENCY = 8;
  public static final int MAX_CONCURRENCY = 1_000;
  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final int MAX_ATTEMPTS = 20;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;
  public static final long MAX_RESPONSE_BYTES = 1024L * 1024 * 1024;
  public static final String DEFAULT_ADAPTER = "openfoundry";

  static final Pattern ADAPTER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

  public EndpointOptions {
    requireNonNull(auth, "auth is null");
    requireNonNull(timeouts, "timeouts is null");
    requireNonNull(adapter, "adapter is null");
    between("maxConcurrency", maxConcurrency, 1, MAX_CONCURRENCY);
    between("maxAttempts", maxAttempts, 1, MAX_ATTEMPTS);
    between("maxResponseBytes", maxResponseBytes, 1, MAX_RESPONSE_BYTES);
    if (!ADAPTER_NAME.matcher(adapter).matches()) {
      throw new IllegalArgumentException("adapter is not a name: " + adapter);
    }
    adapterOptions = requireNonNull(adapterOptions, "adapterOptions is null").deepCopy();
  }

  /** Options without adapter options, as before adapters took any. */
  public EndpointOptions(
      Auth auth,
      Timeouts timeouts,
      int maxConcurrency,
      int maxAttempts,
      long maxResponseBytes,
      String adapter) {
    this(
        auth,
        timeouts,
        maxConcurrency,
        maxAttempts,
        maxResponseBytes,
        adapter,
        JsonNodeFactory.instance.objectNode());
  }

  /** A copy: the options of a manifest do not change once read. */
  @Override
  public ObjectNode adapterOptions() {
    return adapterOptions.deepCopy();
  }

  /** Authorization: Bearer, 10 s / 60 s / 300 s, 8 in flight, 5 attempts, 32 MiB, openfoundry. */
  public static EndpointOptions defaults() {
    return new EndpointOptions(
        Auth.defaults(),
        Timeouts.defaults(),
        DEFAULT_MAX_CONCURRENCY,
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_MAX_RESPONSE_BYTES,
        DEFAULT_ADAPTER);
  }

  private static void between(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be from " + min + " to " + max + ", got " + value);
    }
  }

  /**
   * The header that carries the secret and the scheme before it; an empty scheme sends the bare
   * secret, as {@code X-Api-Key} headers want.
   */
  public record Auth(String header, String scheme) {
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** Headers the platform sets itself, which a secret must not replace. */
    static final Set<String> RESERVED_HEADERS =
        Set.of(
            "host",
            "content-length",
            "content-type",
            "transfer-encoding",
            "connection",
            "idempotency-key",
            "accept",
            "user-agent");

    public Auth {
      requireNonNull(header, "header is null");
      requireNonNull(scheme, "scheme is null");
      if (!TOKEN.matcher(header).matches()) {
        throw new IllegalArgumentException("not an HTTP header name: " + header);
      }
      if (RESERVED_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("the platform sets the header " + header + " itself");
      }
      if (!scheme.isEmpty() && !TOKEN.matcher(scheme).matches()) {
        throw new IllegalArgumentException("not an auth scheme: " + scheme);
      }
    }

    public static Auth defaults() {
      return new Auth("Authorization", "Bearer");
    }

    /** {@code Bearer <secret>}, or the bare secret when the scheme is empty. */
    public String headerValue(String secret) {
      return scheme.isEmpty() ? secret : scheme + " " + secret;
    }
  }

  /**
   * How long to wait to connect, for the response to start after the request was sent, and for a
   * whole call.
   */
  public record Timeouts(Duration connect, Duration read, Duration total) {
    public static final Duration LONGEST = Duration.ofHours(24);

    public Timeouts {
      positive("connect", connect);
      positive("read", read);
      positive("total", total);
    }

    public static Timeouts defaults() {
      return new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(300));
    }

    private static void positive(String name, Duration duration) {
      requireNonNull(duration, name + " is null");
      if (duration.isNegative() || duration.isZero() || duration.compareTo(LONGEST) > 0) {
        throw new IllegalArgumentException(
            name + " must be positive and at most 24 h, got " + duration);
      }
    }
  }
}
