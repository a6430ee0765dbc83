package org.openfoundry.chat;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Who speaks a message: the system instructions, the user, or the assistant (the model). */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT;

  /** The lower-case word of the chat request: {@code system}, {@code user}, {@code assistant}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts the word in any case; empty for anything else. */
  public static Optional<Role> parse(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String wanted = word.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(role -> role.name().equals(wanted)).findFirst();
  }
}
