package org.openfoundry.engine;

import static java.util.Objects.requireNonNull;

import org.openfoundry.dispatch.DispatcherConfig;
import org.openfoundry.dispatch.EndpointClientConfig;
import org.openfoundry.dispatch.ResponsePostProcessor;
import org.openfoundry.store.DatabaseConfig;

/**
 * What a node is built from: the database, where the master key comes from, how the dispatcher
 * works the queue (its owner names this node on leases), the endpoint client's settings, and how
 * responses become predictions.
 */
public record EngineConfig(
    DatabaseConfig database,
    MasterKeySource masterKey,
    DispatcherConfig dispatcher,
    EndpointClientConfig client,
    ResponsePostProcessor postProcessor) {

  public EngineConfig {
    requireNonNull(database, "database is null");
    requireNonNull(masterKey, "masterKey is null");
    requireNonNull(dispatcher, "dispatcher is null");
    requireNonNull(client, "client is null");
    requireNonNull(postProcessor, "postProcessor is null");
  }
}
