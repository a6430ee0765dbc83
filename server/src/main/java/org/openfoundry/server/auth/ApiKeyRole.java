package org.openfoundry.server.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.openfoundry.server.Access;

/** What a key may do: everything, everything but managing keys, or only reading metrics. */
public enum ApiKeyRole {
  ADMIN,
  MEMBER,
  METRICS;

  /** Whether a key with this role may call a route with the given access level. */
  public boolean allows(Access access) {
    return switch (access) {
      case PUBLIC -> true;
      case ADMIN -> this == ADMIN;
      case MEMBER -> this == ADMIN || this == MEMBER;
      case METRICS -> true;
    };
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<ApiKeyRole> parse(String text) {
    return Arrays.stream(values())
        .filter(role -> role.word().equalsIgnoreCase(text == null ? "" : text.trim()))
        .findFirst();
  }
}
