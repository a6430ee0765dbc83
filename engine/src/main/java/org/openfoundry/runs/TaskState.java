package org.openfoundry.runs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of one task: {@code QUEUED -> LEASED -> SUCCEEDED | FAILED | CANCELLED}, and {@code
 * LEASED -> QUEUED} when an attempt is retried after its backoff or its lease expired. {@code
 * FAILED -> QUEUED} is the "retry failed rows" action.
 */
public enum TaskState {
  QUEUED,
  LEASED,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  private static final Map<TaskState, Set<TaskState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(LEASED, CANCELLED),
          LEASED, EnumSet.of(QUEUED, SUCCEEDED, FAILED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(TaskState.class),
          FAILED, EnumSet.of(QUEUED),
          CANCELLED, EnumSet.of(QUEUED));

  public boolean canMoveTo(TaskState next) {
    return ALLOWED.get(this).contains(next);
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /**
   * Returns {@code next} or throws {@link IllegalTransitionException} when the move is not allowed.
   */
  public TaskState moveTo(TaskState next) {
    if (!canMoveTo(next)) {
      throw new IllegalTransitionException("task", name(), next.name());
    }
    return next;
  }
}
