package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What an endpoint answered: the status, the headers, and the body as text (capped). */
public record AdapterReply(int status, Map<String, List<String>> headers, String body) {
  public AdapterReply {
    requireNonNull(headers, "headers is null");
    requireNonNull(body, "body is null");
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("expected an HTTP status, got " + status);
    }
    headers = Map.copyOf(headers);
  }

  public static AdapterReply json(int status, String body) {
    return new AdapterReply(status, Map.of("Content-Type", List.of("application/json")), body);
  }

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The first value of a header, its name compared without case. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .flatMap(entry -> entry.getValue().stream())
        .findFirst();
  }
}
