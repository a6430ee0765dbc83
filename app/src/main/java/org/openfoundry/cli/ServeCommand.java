package org.openfoundry.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.client.ServerSettings;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.server.Application;
import org.openfoundry.server.config.ConfigKey;
import org.openfoundry.server.config.ConfigLoader;
import org.openfoundry.server.config.LoadedConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code foundry serve}: runs the API, the workers, or both, until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the OpenFoundry server: the REST API, the workers that call model endpoints, or both.",
      "Settings come from defaults, the configuration file, FOUNDRY_* environment variables and"
          + " these options, later ones winning. An unknown key stops the start with its name.",
      "Exits 2 when the configuration is invalid and 1 when the server cannot start."
    })
final class ServeCommand implements Callable<Integer> {
  /**
   * Variables of this command line rather than of the server: the client's server, key and config
   * file, and the log level that the logging configuration reads.
   */
  static final Set<String> NOT_SERVER_VARIABLES =
      Set.of(
          ServerSettings.SERVER_VARIABLE,
          ServerSettings.KEY_VARIABLE,
          ServerSettings.CONFIG_VARIABLE,
          "FOUNDRY_LOG_LEVEL");

  @Spec CommandSpec spec;

  private final CliEnvironment environment;

  ServeCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "A YAML or .properties configuration file (default: $FOUNDRY_CONFIG).")
  Path config;

  @Option(names = "--port", paramLabel = "N", description = "The HTTP port (http.port).")
  Integer port;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description = "The database: jdbc:sqlite:FILE or jdbc:postgresql://... (storage.db_url).")
  String database;

  @Option(names = "--role", paramLabel = "ROLE", description = "api, worker or all (server.role).")
  String role;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    LoadedConfig loaded;
    try {
      loaded = ConfigLoader.load(configFile(), serverVariables(), overrides());
    } catch (FoundryException invalid) {
      err.println(invalid.describe());
      err.flush();
      return 2;
    }
    if (environment.variable("FOUNDRY_LOG_LEVEL").isEmpty()) {
      // A server says what it does: its own logs at INFO unless the operator chose otherwise.
      System.setProperty("FOUNDRY_LOG_LEVEL", "INFO");
    }
    Application application;
    try {
      application = Application.start(loaded, System.out, Clock.systemUTC());
    } catch (FoundryException failed) {
      err.println("cannot start: " + failed.describe());
      err.flush();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  application.close();
                  stopped.countDown();
                },
                "foundry-shutdown"));
    stopped.await();
    return 0;
  }

  private Optional<Path> configFile() {
    if (config != null) {
      return Optional.of(config);
    }
    return environment.variable("FOUNDRY_CONFIG").map(Path::of);
  }

  Map<String, String> serverVariables() {
    Map<String, String> variables = new HashMap<>(environment.variables());
    variables.keySet().removeAll(NOT_SERVER_VARIABLES);
    return variables;
  }

  Map<ConfigKey, String> overrides() {
    Map<ConfigKey, String> overrides = new EnumMap<>(ConfigKey.class);
    if (port != null) {
      overrides.put(ConfigKey.HTTP_PORT, port.toString());
    }
    if (database != null) {
      overrides.put(ConfigKey.STORAGE_DB_URL, database);
    }
    if (role != null) {
      overrides.put(ConfigKey.SERVER_ROLE, role);
    }
    return overrides;
  }
}
