package org.openfoundry.ontology;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The kind of data a row holds, and so which feature kinds can describe it. */
public enum AssetType {
  IMAGE,
  TEXT,
  VIDEO,
  HTML,
  CONVERSATIONAL;

  /** Case-insensitive: {@code image}, {@code IMAGE} and {@code Image} are the same. */
  public static Optional<AssetType> parse(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String wanted = word.trim().toUpperCase(Locale.ROOT);
    return Arrays.stream(values()).filter(type -> type.name().equals(wanted)).findFirst();
  }

  /** The lower-case word used in manifests. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
