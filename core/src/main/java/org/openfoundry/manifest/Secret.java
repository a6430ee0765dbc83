package org.openfoundry.manifest;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** One secret of a model, named when the manifest gives secrets as a mapping. Never printed. */
public record Secret(Optional<String> name, String value) {
  public Secret {
    requireNonNull(name, "name is null");
    requireNonNull(value, "value is null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a secret is blank");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("a secret contains a line break or a control character");
    }
  }

  @Override
  public String toString() {
    return "Secret[" + name.map(found -> "name=" + found + ", ").orElse("") + "value=****]";
  }
}
