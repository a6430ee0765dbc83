package org.openfoundry.problems;

/**
 * Stable error codes shared by the API, the CLI and stored task outcomes. The server maps each to
 * an HTTP status in one place; the names never change once published.
 */
public enum ErrorCode {
  INVALID_INPUT,
  INVALID_MANIFEST,
  INVALID_PARAMETERS,
  INVALID_RESPONSE,
  INVALID_RLE,
  UNAUTHORIZED,
  FORBIDDEN,
  NOT_FOUND,
  CONFLICT,
  ILLEGAL_STATE_TRANSITION,
  PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE,
  OUTBOUND_BLOCKED,
  UNREADABLE_ROW_DATA,
  UNAVAILABLE,
  ADAPTER_ENDPOINT_FAILED,
  ADAPTER_RESPONSE_INVALID,
  ADAPTER_MAPPING_FAILED,
  ADAPTER_TIMEOUT,
  INTERNAL
}
