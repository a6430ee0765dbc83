package org.openfoundry.runs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a run: {@code QUEUED -> RUNNING -> (PAUSED <-> RUNNING) -> SUCCEEDED |
 * PARTIALLY_SUCCEEDED | FAILED | CANCELLED}. "Retry failed" moves a finished run that has failed
 * tasks back to RUNNING.
 */
public enum RunState {
  QUEUED,
  RUNNING,
  PAUSED,
  SUCCEEDED,
  PARTIALLY_SUCCEEDED,
  FAILED,
  CANCELLED;

  private static final Set<RunState> FINISHED =
      EnumSet.of(SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, CANCELLED);

  private static final Map<RunState, Set<RunState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, PAUSED, CANCELLED, SUCCEEDED),
          RUNNING, EnumSet.of(PAUSED, SUCCEEDED, PARTIALLY_SUCCEEDED, FAILED, CANCELLED),
          PAUSED, EnumSet.of(RUNNING, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(RunState.class),
          PARTIALLY_SUCCEEDED, EnumSet.of(RUNNING),
          FAILED, EnumSet.of(RUNNING),
          CANCELLED, EnumSet.noneOf(RunState.class));

  public boolean canMoveTo(RunState next) {
    return ALLOWED.get(this).contains(next);
  }

  public boolean isFinished() {
    return FINISHED.contains(this);
  }

  /**
   * Returns {@code next} or throws {@link IllegalTransitionException} when the move is not allowed.
   */
  public RunState moveTo(RunState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("run", name(), next.name());
    }
    return next;
  }
}
