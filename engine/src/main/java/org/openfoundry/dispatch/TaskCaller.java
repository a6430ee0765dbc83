package org.openfoundry.dispatch;

/**
 * Makes one attempt of a leased task against its model and says what it came to. Never throws for
 * anything the endpoint does; an interrupt means the dispatcher is shutting down.
 */
public interface TaskCaller {
  AttemptOutcome attempt(LeasedTask task, RunDispatchContext context, EndpointCall call)
      throws InterruptedException;
}
