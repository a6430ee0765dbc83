package org.openfoundry.server.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The configuration and how it came to be: one line per key with its effective value and origin,
 * secrets shown as {@code ****}, ready to be logged at start-up.
 */
public record LoadedConfig(ServerConfig config, List<String> effective) {
  public LoadedConfig {
    requireNonNull(config, "config is null");
    effective = List.copyOf(effective);
  }
}
