package org.openfoundry.dispatch;

/**
 * Hears about every completion once the task queue has taken it; {@code applied} is false when the
 * lease had been lost, so the queue ignored it. Called on the dispatcher's writer thread: keep it
 * quick and never block.
 */
@FunctionalInterface
public interface CompletionListener {
  void completed(Completion completion, boolean applied);
}
