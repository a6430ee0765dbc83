package org.openfoundry.apikeys;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a key may do: everything, everything but managing keys, or only reading metrics. */
public enum ApiKeyRole {
  ADMIN,
  MEMBER,
  METRICS;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ApiKeyRole> parse(String text) {
    return Arrays.stream(values())
        .filter(role -> role.word().equalsIgnoreCase(text == null ? "" : text.trim()))
        .findFirst();
  }
}
