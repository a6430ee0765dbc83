/**
 * The run engine put together: an {@link org.openfoundry.engine.EngineNode} builds the store, the
 * task queue, the rate limiter (in memory on SQLite, shared on PostgreSQL), the endpoint client,
 * the adapters and the dispatcher from one configuration, starts them and closes them in reverse
 * order; {@link org.openfoundry.engine.EngineWorkerMain} runs one as a worker process.
 */
package org.openfoundry.engine;
