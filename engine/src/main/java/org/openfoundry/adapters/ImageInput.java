package org.openfoundry.adapters;

import java.util.Map;

/** How a data row's image reaches a vendor: as its URL, or fetched and sent inline as base64. */
enum ImageInput {
  URL,
  INLINE;

  static final Map<String, ImageInput> WORDS = Map.of("url", URL, "inline", INLINE);
}
