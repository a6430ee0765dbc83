package org.openfoundry.manifest;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The secrets of a model, in the order the manifest gives them: one string, a list, or a mapping of
 * named secrets. The first is the one sent in the endpoint's auth header; adapters can ask for
 * others by name. They are write-only: {@link #toString} masks them and they never enter the
 * manifest's JSON.
 */
public record Secrets(List<Secret> entries) {
  private static final Secrets NONE = new Secrets(List.of());

  public Secrets {
    entries = List.copyOf(entries);
    Set<String> names = new HashSet<>();
    for (Secret secret : entries) {
      if (secret.name().isPresent() && !names.add(secret.name().get())) {
        throw new IllegalArgumentException("two secrets are named " + secret.name().get());
      }
    }
  }

  public static Secrets none() {
    return NONE;
  }

  /** A single unnamed secret, as the registration form and {@code secrets: token} give it. */
  public static Secrets of(String value) {
    return new Secrets(List.of(new Secret(Optional.empty(), value)));
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The secret sent in the auth header: the first one. */
  public Optional<String> primary() {
    return entries.stream().findFirst().map(Secret::value);
  }

  public Optional<String> named(String name) {
    return entries.stream()
        .filter(secret -> secret.name().filter(name::equals).isPresent())
        .findFirst()
        .map(Secret::value);
  }

  @Override
  public String toString() {
    return "Secrets["
        + entries.size()
        + (entries.size() == 1 ? " secret" : " secrets")
        + ", masked]";
  }
}
