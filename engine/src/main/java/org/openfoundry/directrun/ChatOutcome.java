package org.openfoundry.directrun;

import java.time.Duration;

/** What one conversation sent to one model came to: an answer, or why there is none. */
public sealed interface ChatOutcome permits ChatAnswer, ChatFailure {
  ChatModel model();

  /** Attempts made, counting from 1; 0 when the call was given up before any. */
  int attempts();

  /** From the call's start to its end, waits for slots and backoff included. */
  Duration elapsed();
}
