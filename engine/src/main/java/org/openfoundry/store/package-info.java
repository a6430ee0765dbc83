/**
 * The durable store: one schema on a SQLite file (the zero-set-up default) or on PostgreSQL (for
 * many nodes), migrated by Flyway on open and reached through a connection pool and JDBI. It
 * implements the model, dataset and run repositories, the task queue with its leases and fenced
 * completions, and the rate limiter shared by every node on PostgreSQL.
 */
package org.openfoundry.store;
