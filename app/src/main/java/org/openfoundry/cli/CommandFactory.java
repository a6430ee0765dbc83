package org.openfoundry.cli;

import static java.util.Objects.requireNonNull;

import java.lang.reflect.Constructor;
import org.openfoundry.cli.client.CliEnvironment;
import picocli.CommandLine;

/**
 * Creates the commands: those with a constructor taking the {@link CliEnvironment} get it, so that
 * they read variables, standard input and the clock from it rather than from the process; the
 * others are made as picocli would.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final CliEnvironment environment;
  private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

  CommandFactory(CliEnvironment environment) {
    this.environment = requireNonNull(environment, "environment is null");
  }

  @Override
  public <K> K create(Class<K> type) throws Exception {
    Constructor<K> withEnvironment;
    try {
      withEnvironment = type.getDeclaredConstructor(CliEnvironment.class);
    } catch (NoSuchMethodException none) {
      return fallback.create(type);
    }
    withEnvironment.setAccessible(true);
    return withEnvironment.newInstance(environment);
  }
}
