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
import java.util.concurrent.locks.LockSupport;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class of the tests' own class path run in a child JVM of the tests' JDK, its output (both
 * streams) appended to a log file for failure messages, so that a test can kill it outright.
 */
public final class JavaProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(20);

  private final String name;
  private final Process process;
  private final Path log;

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with {@code arguments} and {@code environment} added to this one's,
   * logging to {@code <folder>/<name>.log}.
   */
  public static JavaProcess start(
      String name,
      Class<?> mainClass,
      List<String> arguments,
      Map<String, String> environment,
      Path folder) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small heap and the quick compiler: the machine is shared and the child does little work.
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            mainClass.getName()));
    command.addAll(arguments);
    Path log = folder.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(environment);
    try {
      return new JavaProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the process " + name, e);
    }
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the process gets no chance to finish anything. */
  public void kill() {
    process.destroyForcibly();
    await(Duration.ofSeconds(30));
  }

  /** SIGTERM: the process runs its shutdown hooks. */
  public void stop() {
    process.destroy();
    await(Duration.ofSeconds(60));
  }

  /** Waits for the process to end by itself and returns its exit code. */
  public int awaitExit(Duration within) {
    await(within);
    return process.exitValue();
  }

  /**
   * Waits until the output holds a match of {@code pattern} and returns the first; fails when the
   * process ends first or {@code within} passes.
   */
  public MatchResult awaitOutput(Pattern pattern, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      Matcher found = pattern.matcher(output());
      if (found.find()) {
        return found.toMatchResult();
      }
      if (!process.isAlive()) {
        throw new AssertionError(
            "process " + name + " ended before printing " + pattern + ":\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "process "
                + name
                + " did not print "
                + pattern
                + " within "
                + within
                + ":\n"
                + output());
      }
      LockSupport.parkNanos(POLL.toNanos());
    }
  }

  /** The process's output so far, for failure messages. */
  public String output() {
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
        throw new AssertionError("process " + name + " did not end within " + within);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for process " + name, e);
    }
  }
}
