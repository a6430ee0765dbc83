package org.openfoundry.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An engine worker in a child JVM, started from the tests' own class path and JDK, its output kept
 * in a log file for the failure message.
 */
final class WorkerProcess implements AutoCloseable {
  private final String owner;
  private final Process process;
  private final Path log;

  private WorkerProcess(String owner, Process process, Path log) {
    this.owner = owner;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code EngineWorkerMain} with {@code arguments} after {@code --owner <owner>}. */
  static WorkerProcess start(
      String owner, List<String> arguments, Map<String, String> environment, Path folder) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small heap and the quick compiler: the machine is shared and the worker does little work.
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            EngineWorkerMain.class.getName(),
            "--owner",
            owner));
    command.addAll(arguments);
    Path log = folder.resolve(owner + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    try {
      return new WorkerProcess(owner, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the worker " + owner, e);
    }
  }

  String owner() {
    return owner;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the worker gets no chance to finish anything. */
  void kill() {
    process.destroyForcibly();
    await(Duration.ofSeconds(30));
  }

  /** SIGTERM: the worker lets its calls finish and writes their outcomes. */
  void stop() {
    process.destroy();
    await(Duration.ofSeconds(60));
  }

  /** Whether the worker has said that its node runs (it claims from then on). */
  boolean hasStarted() {
    return output().contains("engine worker " + owner + " started");
  }

  /** The worker's output so far, for failure messages. */
  String output() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

  private void await(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("worker " + owner + " did not end within " + within);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for worker " + owner, e);
    }
  }
}
