package org.openfoundry.server;

/** A group of routes for one feature (models, datasets, runs, ...), registered at start-up. */
public interface Resource {
  void register(Routes routes);
}
