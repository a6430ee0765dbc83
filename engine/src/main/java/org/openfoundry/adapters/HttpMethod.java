package org.openfoundry.adapters;

/** The HTTP methods adapters use: POST to send work, GET to poll for its result. */
public enum HttpMethod {
  GET,
  POST
}
