package org.openfoundry.dispatch;

import java.util.OptionalInt;

/**
 * The stable error codes a failed attempt records, apart from {@code ENDPOINT_HTTP_<status>} for an
 * endpoint that answered with a status other than 2xx. Their names never change once published.
 */
public enum EndpointError {
  /** The connection was refused or the host name did not resolve. */
  ENDPOINT_UNREACHABLE,
  /**
   * The endpoint's host resolved only to addresses the outbound policy refuses (loopback, private,
   * link-local, cloud metadata, ...); not retried.
   */
  OUTBOUND_BLOCKED,
  /** No connection could be opened within the connect timeout. */
  ENDPOINT_CONNECT_TIMEOUT,
  /** The endpoint stayed silent for longer than the read timeout. */
  ENDPOINT_TIMEOUT,
  /** The exchange as a whole outlasted the total timeout. */
  ENDPOINT_TOTAL_TIMEOUT,
  /** The connection was closed or reset before the response was complete. */
  ENDPOINT_CONNECTION_RESET,
  /** The endpoint answered with something that is not HTTP. */
  ENDPOINT_PROTOCOL_ERROR,
  /** The response body grew past the model's size cap; the read was aborted. */
  RESPONSE_TOO_LARGE,
  /** The 2xx response body is not JSON. */
  RESPONSE_NOT_JSON,
  /** The 2xx response body is JSON, but not an object keyed by feature names. */
  RESPONSE_NOT_OBJECT,
  /** Not one feature of the response could be turned into a prediction. */
  PREDICTION_INVALID,
  /**
   * The model's secret cannot be sent as an HTTP header value (not printable ASCII); no request is
   * sent, and the attempt is not retried.
   */
  SECRET_INVALID,
  /**
   * The task's leases kept lapsing (a worker died or stalled in the middle of its call, again and
   * again) until it had made {@code max_attempts} and {@link RetryPolicy#LAPSES_ALLOWED} more
   * attempts, which only lapses can add: it is not called again.
   */
  LEASE_LAPSED_REPEATEDLY,
  /** The run's pinned manifest does not say how to call its endpoint. */
  MANIFEST_INVALID,
  /** Something went wrong on our side while making the attempt. */
  DISPATCH_ERROR;

  private static final String HTTP_PREFIX = "ENDPOINT_HTTP_";

  /** {@code ENDPOINT_HTTP_503} for a 503. */
  public static String forStatus(int status) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("expected an HTTP status, got " + status);
    }
    return HTTP_PREFIX + status;
  }

  /** The status of an {@code ENDPOINT_HTTP_<status>} code, or empty for any other code. */
  public static OptionalInt statusOf(String code) {
    if (!code.startsWith(HTTP_PREFIX)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(code.substring(HTTP_PREFIX.length())));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}
