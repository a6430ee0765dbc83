package org.openfoundry.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.openfoundry.cli.text.JsonText;
import org.openfoundry.cli.text.Table;
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

  /**
   * Prints a listing: the items as a JSON array with {@code --json}, else {@code whenEmpty} when
   * there are none, else one table row per item.
   */
  protected int printListing(
      FoundryClient client,
      List<JsonNode> items,
      boolean json,
      String whenEmpty,
      Table table,
      Function<JsonNode, String[]> cells) {
    if (json) {
      printJson(client.mapper().valueToTree(items));
      return 0;
    }
    if (items.isEmpty()) {
      out().println(whenEmpty);
      out().flush();
      return 0;
    }
    items.forEach(item -> table.row(cells.apply(item)));
    table.print(out());
    return 0;
  }

  /** Prints a JSON answer whole, indented: the output of {@code --json}. */
  protected void printJson(JsonNode json) {
    out().println(JsonText.pretty(json));
    out().flush();
  }
}
