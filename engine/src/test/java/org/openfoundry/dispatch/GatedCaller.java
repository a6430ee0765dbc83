package org.openfoundry.dispatch;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * A task caller whose calls wait at a gate until the test opens it, so that a test decides when
 * each attempt ends. Every call succeeds with an empty prediction once through.
 */
final class GatedCaller implements TaskCaller {
  private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<LeasedTask> started = new LinkedBlockingQueue<>();

  @Override
  public AttemptOutcome attempt(LeasedTask task, RunDispatchContext context, EndpointCall call)
      throws InterruptedException {
    started.add(task);
    gate(task).await();
    ObjectNode empty = Runs.JSON.createObjectNode();
    return new AttemptOutcome.Succeeded(200, Duration.ofMillis(1), "{}", empty, empty);
  }

  /** The next call to start, waiting up to five seconds for one. */
  LeasedTask nextStarted() throws InterruptedException {
    LeasedTask task = started.poll(5, TimeUnit.SECONDS);
    if (task == null) {
      throw new AssertionError("no call started within five seconds");
    }
    return task;
  }

  boolean noneStarted() {
    return started.isEmpty();
  }

  void open(LeasedTask task) {
    gate(task).countDown();
  }

  private CountDownLatch gate(LeasedTask task) {
    return gates.computeIfAbsent(task.id() + "#" + task.attempt(), key -> new CountDownLatch(1));
  }
}
