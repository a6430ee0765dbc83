package org.openfoundry.adapters;

/**
 * Sends an adapter's requests to the model's endpoint. The implementation owns the HTTP plumbing:
 * it adds the model's credentials and the task's idempotency key, enforces the outbound rules,
 * connect, read and total timeouts and the response size cap, and returns every reply whatever its
 * status; adapters decide what a status means for their vendor.
 */
@FunctionalInterface
public interface EndpointTransport {
  /**
   * Sends one request and waits for the reply.
   *
   * @throws org.openfoundry.problems.FoundryException when no reply could be had (timeout, refused
   *     connection, blocked address, oversized body)
   */
  AdapterReply exchange(AdapterRequest request);
}
