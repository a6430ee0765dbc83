package org.openfoundry.runs;

import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;

/** A run or task was asked to move to a state its state machine does not allow from where it is. */
public final class IllegalTransitionException extends FoundryException {
  private final String from;
  private final String to;

  public IllegalTransitionException(String what, String from, String to) {
    super(ErrorCode.ILLEGAL_STATE_TRANSITION, what + " cannot move from " + from + " to " + to);
    this.from = from;
    this.to = to;
  }

  public String from() {
    return from;
  }

  public String to() {
    return to;
  }
}
