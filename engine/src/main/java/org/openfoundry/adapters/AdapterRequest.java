package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One HTTP request an adapter wants sent: method, absolute URI, the vendor headers it needs (the
 * transport adds credentials, the idempotency key and content type), and a JSON body for POST.
 */
public record AdapterRequest(
    HttpMethod method, URI uri, Map<String, String> headers, Optional<JsonNode> body) {

  public AdapterRequest {
    requireNonNull(method, "method is null");
    requireNonNull(uri, "uri is null");
    requireNonNull(body, "body is null");
    if (!uri.isAbsolute()) {
      throw new IllegalArgumentException("expected an absolute URI, got " + uri);
    }
    if (method == HttpMethod.GET && body.isPresent()) {
      throw new IllegalArgumentException("a GET request has no body");
    }
    headers = Map.copyOf(headers);
  }

  public static AdapterRequest post(URI uri, JsonNode body) {
    return new AdapterRequest(HttpMethod.POST, uri, Map.of(), Optional.of(body));
  }

  public static AdapterRequest get(URI uri) {
    return new AdapterRequest(HttpMethod.GET, uri, Map.of(), Optional.empty());
  }

  public AdapterRequest withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new AdapterRequest(method, uri, more, body);
  }
}
