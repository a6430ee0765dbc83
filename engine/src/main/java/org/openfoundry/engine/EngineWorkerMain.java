package org.openfoundry.engine;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.openfoundry.problems.FoundryException;

/**
 * A worker process: one engine node working the task queue of the database it is given until the
 * process is asked to stop (SIGTERM or SIGINT), when calls in flight get the grace period to
 * finish. A worker killed outright loses nothing: its leases lapse and other workers, or this one
 * restarted, take the tasks again. Responses are read with the core parser, as the server's own
 * dispatcher reads them.
 */
public final class EngineWorkerMain {
  private EngineWorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    WorkerOptions options;
    try {
      options = WorkerOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(WorkerOptions.USAGE);
      System.exit(2);
      return;
    }
    EngineNode node;
    try {
      node = EngineNode.open(options.config(System.getenv()), Clock.systemUTC());
    } catch (FoundryException e) {
      System.err.println("the worker did not start: " + e.describe());
      System.exit(1);
      return;
    }
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  closed.countDown();
                },
                "worker-shutdown"));
    node.start();
    System.out.println("engine worker " + node.owner() + " started");
    System.out.flush();
    // The dispatcher runs on virtual threads, which do not keep the process alive on their own.
    closed.await();
  }
}
