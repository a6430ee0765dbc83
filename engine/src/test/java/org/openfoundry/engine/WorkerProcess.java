package org.openfoundry.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An engine worker in a child JVM, started from the tests' own class path and JDK, its output kept
 * in a log file for the failure message.
 */
final class WorkerProcess implements AutoCloseable {
  private final String owner;
  private final JavaProcess process;

  private WorkerProcess(String owner, JavaProcess process) {
    this.owner = owner;
    this.process = process;
  }

  /** Starts {@code EngineWorkerMain} with {@code arguments} after {@code --owner <owner>}. */
  static WorkerProcess start(
      String owner, List<String> arguments, Map<String, String> environment, Path folder) {
    List<String> command = new ArrayList<>(List.of("--owner", owner));
    command.addAll(arguments);
    return new WorkerProcess(
        owner, JavaProcess.start(owner, EngineWorkerMain.class, command, environment, folder));
  }

  String owner() {
    return owner;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the worker gets no chance to finish anything. */
  void kill() {
    process.kill();
  }

  /** SIGTERM: the worker lets its calls finish and writes their outcomes. */
  void stop() {
    process.stop();
  }

  /** Whether the worker has said that its node runs (it claims from then on). */
  boolean hasStarted() {
    return output().contains("engine worker " + owner + " started");
  }

  /** The worker's output so far, for failure messages. */
  String output() {
    return process.output();
  }

  @Override
  public void close() {
    process.close();
  }
}
