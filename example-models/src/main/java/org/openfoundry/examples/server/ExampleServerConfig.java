package org.openfoundry.examples.server;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Where the example server listens and what it accepts: host and port (0 picks a free one), the
 * largest request body, the image fetch limits, and an optional bearer token that every model
 * request must then carry (to try a model registered with a secret).
 */
public record ExampleServerConfig(
    String host,
    int port,
    int maxRequestBytes,
    ImageFetchLimits imageFetch,
    Optional<String> bearerToken) {

  public static final int DEFAULT_PORT = 8081;

  public ExampleServerConfig {
    requireNonNull(host, "host is null");
    requireNonNull(imageFetch, "imageFetch is null");
    requireNonNull(bearerToken, "bearerToken is null");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be positive, got " + maxRequestBytes);
    }
    if (bearerToken.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("a bearer token must not be blank");
    }
  }

  /** Loopback, a free port, 1 MiB bodies, default image limits, no token. */
  public static ExampleServerConfig defaults() {
    return new ExampleServerConfig(
        "127.0.0.1", 0, 1 << 20, ImageFetchLimits.defaults(), Optional.empty());
  }

  public ExampleServerConfig withPort(int newPort) {
    return new ExampleServerConfig(host, newPort, maxRequestBytes, imageFetch, bearerToken);
  }

  public ExampleServerConfig withBearerToken(String token) {
    return new ExampleServerConfig(host, port, maxRequestBytes, imageFetch, Optional.of(token));
  }

  public ExampleServerConfig withImageFetch(ImageFetchLimits limits) {
    return new ExampleServerConfig(host, port, maxRequestBytes, limits, bearerToken);
  }

  public ExampleServerConfig withMaxRequestBytes(int bytes) {
    return new ExampleServerConfig(host, port, bytes, imageFetch, bearerToken);
  }

  @Override
  public String toString() {
    return "ExampleServerConfig[host="
        + host
        + ", port="
        + port
        + ", maxRequestBytes="
        + maxRequestBytes
        + ", imageFetch="
        + imageFetch
        + ", bearerToken="
        + bearerToken.map(token -> "(set)").orElse("(none)")
        + "]";
  }
}
