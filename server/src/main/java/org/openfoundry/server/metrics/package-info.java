/**
 * Prometheus metrics at {@code /metrics}: request rates and latencies per route, model call
 * latencies per model, task outcomes per error code, queue depth and tasks in flight per model. The
 * queue figures are read from the task queue when the metrics are scraped, so they hold across
 * every node sharing the database.
 */
package org.openfoundry.server.metrics;
