package org.openfoundry.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openfoundry.cli.text.JsonText;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A command that talks to a server: it has {@code --server} and {@code --api-key}, opens a {@link
 * FoundryClient} for its run and closes it after. Errors are left to the command line's handler,
 * which prints the server's message and details.
 */
public abstract class ServerCommand implements Callable<Integer> {
  @Mixin protected ConnectionOptions connection = new ConnectionOptions();

  @Spec protected CommandSpec spec;

  protected final CliEnvironment environment;

  protected ServerCommand(CliEnvironment environment) {
    this.environment = requireNonNull(environment, "environment is null");
  }

  @Override
  public final Integer call() {
    try (FoundryClient client =
        new FoundryClient(ServerSettings.resolve(connection, environment))) {
      return call(client);
    }
  }

  /** Does the command's work; returns its exit status. */
  protected abstract int call(FoundryClient client);

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a JSON answer whole, indented: the output of {@code --json}. */
  protected void printJson(JsonNode json) {
    out().println(JsonText.pretty(json));
    out().flush();
  }
}
