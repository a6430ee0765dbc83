/**
 * Direct runs: one conversation sent straight to a model version through its adapter, under the
 * same secret, timeouts, retries, rate limit, concurrency cap and outbound rules as a run, ahead of
 * the model's batch work. The answer keeps the model's raw response byte for byte, the assistant's
 * text where the adapter finds it, the latency, the token usage when reported and the attempts.
 */
package org.openfoundry.directrun;
