package org.openfoundry.dispatch;

import static java.util.Objects.requireNonNull;

/** A run's context with its endpoint settings read, or the reason they cannot be. */
sealed interface RunPlan {
  RunDispatchContext context();

  record Ready(RunDispatchContext context, EndpointCall call) implements RunPlan {
    public Ready {
      requireNonNull(context, "context is null");
      requireNonNull(call, "call is null");
    }
  }

  record Unusable(RunDispatchContext context, String reason) implements RunPlan {
    public Unusable {
      requireNonNull(context, "context is null");
      requireNonNull(reason, "reason is null");
    }
  }
}
