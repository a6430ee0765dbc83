package org.openfoundry.adapters;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A request the fake endpoint received: method, path with query, headers and JSON body. */
record RecordedRequest(
    String method, String path, Map<String, List<String>> headers, JsonNode body) {

  Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .flatMap(entry -> entry.getValue().stream())
        .findFirst();
  }
}
