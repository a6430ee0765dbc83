package org.openfoundry.adapters;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import tools.jackson.databind.node.ObjectNode;

/** Where a model's endpoint is and the manifest's {@code adapter_options} for its adapter. */
public record AdapterConfig(URI endpoint, ObjectNode options) {
  public AdapterConfig {
    requireNonNull(endpoint, "endpoint is null");
    options = requireNonNull(options, "options is null").deepCopy();
    if (!endpoint.isAbsolute()) {
      throw new IllegalArgumentException("expected an absolute endpoint URI, got " + endpoint);
    }
  }

  @Override
  public ObjectNode options() {
    return options.deepCopy();
  }
}
