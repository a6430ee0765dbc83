package org.openfoundry.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.Console;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a command may read from the process it runs in: environment variables, the home folder,
 * standard input, whether standard output is a terminal, and the clock. Tests give their own.
 */
public record CliEnvironment(
    Map<String, String> variables, Path home, InputStream stdin, boolean interactive, Clock clock) {

  public CliEnvironment {
    variables = Map.copyOf(variables);
    requireNonNull(home, "home is null");
    requireNonNull(stdin, "stdin is null");
    requireNonNull(clock, "clock is null");
  }

  /** The environment of this process. */
  public static CliEnvironment system() {
    return new CliEnvironment(
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        System.in,
        stdoutIsTerminal(),
        Clock.systemUTC());
  }

  /** A variable's value, empty when it is unset or blank. */
  public Optional<String> variable(String name) {
    return Optional.ofNullable(variables.get(name)).filter(value -> !value.isBlank());
  }

  /**
   * Java 21 has a console only when both ends are a terminal; from Java 22 the console may exist
   * for redirected output too and {@code Console.isTerminal()} tells, so it is asked when present.
   */
  private static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException olderJava) {
      return true;
    }
  }
}
