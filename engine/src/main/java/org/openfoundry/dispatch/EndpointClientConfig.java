package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;

/**
 * Settings of the one HTTP client a process keeps for model endpoints. {@code connectTimeoutCap}
 * bounds every connect attempt at the socket level; each model's own, shorter connect timeout is
 * applied per request on top of it.
 */
public record EndpointClientConfig(
    String userAgent,
    Duration connectTimeoutCap,
    Duration idleConnectionTimeout,
    int maxConnectionsPerEndpoint,
    int maxClientThreads) {

  public EndpointClientConfig {
    requireNonNull(userAgent, "userAgent is null");
    requirePositive(connectTimeoutCap, "connectTimeoutCap");
    requirePositive(idleConnectionTimeout, "idleConnectionTimeout");
    if (maxConnectionsPerEndpoint < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerEndpoint must be >= 1, got " + maxConnectionsPerEndpoint);
    }
    if (maxClientThreads < 4) {
      throw new IllegalArgumentException("maxClientThreads must be >= 4, got " + maxClientThreads);
    }
  }

  /**
   * {@code OpenFoundry/<version>}; connects cut at 60 s; idle pooled connections closed after 30 s;
   * up to 256 connections per endpoint (the per-model concurrency cap is the real limit).
   */
  public static EndpointClientConfig defaults() {
    return new EndpointClientConfig(
        "OpenFoundry/" + productVersion(), Duration.ofSeconds(60), Duration.ofSeconds(30), 256, 16);
  }

  /** The version this build of OpenFoundry carries. */
  public static String productVersion() {
    try (InputStream in = EndpointClientConfig.class.getResourceAsStream("engine.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the engine's version", e);
    }
  }

  private static void requirePositive(Duration duration, String name) {
    requireNonNull(duration, name + " is null");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + duration);
    }
  }
}
