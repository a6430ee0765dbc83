package org.openfoundry.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a node runs: the HTTP API, the dispatcher's workers, or both. */
public enum ServerRole {
  API,
  WORKER,
  ALL;

  public boolean servesApi() {
    return this == API || this == ALL;
  }

  public boolean runsWorkers() {
    return this == WORKER || this == ALL;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Case-insensitive: {@code api}, {@code worker} or {@code all}. */
  public static Optional<ServerRole> parse(String text) {
    return Arrays.stream(values())
        .filter(role -> role.word().equalsIgnoreCase(text == null ? "" : text.trim()))
        .findFirst();
  }
}
