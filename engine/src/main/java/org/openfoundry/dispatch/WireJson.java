package org.openfoundry.dispatch;

import org.openfoundry.json.UntrustedJson;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the wire, with the limits of JSON read from outside (a response is the
 * endpoint's to write): immutable and thread-safe once built.
 */
final class WireJson {
  static final JsonMapper MAPPER =
      UntrustedJson.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private WireJson() {}
}
