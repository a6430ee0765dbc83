package org.openfoundry.cli;

import java.io.PrintWriter;
import org.openfoundry.cli.client.CliEnvironment;
import org.openfoundry.cli.datasets.DatasetsCommand;
import org.openfoundry.cli.demo.DemoCommand;
import org.openfoundry.cli.models.ModelsCommand;
import org.openfoundry.cli.runs.RunsCommand;
import org.openfoundry.problems.FoundryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code foundry} command. */
@Command(
    name = "foundry",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "OpenFoundry: run custom ML models behind HTTP endpoints over your data.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      ModelsCommand.class,
      DatasetsCommand.class,
      RunsCommand.class,
      ManifestCommand.class,
      ResponseCommand.class,
      ServeCommand.class
    })
public final class Main implements Runnable {
  /** The exit status of a failed command: the server refused, or could not be reached. */
  public static final int FAILED = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return commandLine(CliEnvironment.system());
  }

  /** The command line whose commands read {@code environment} instead of this process's. */
  public static CommandLine commandLine(CliEnvironment environment) {
    return new CommandLine(new Main(), new CommandFactory(environment))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::failed);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * A command that throws prints one message, and every detail the server gave, never a stack
   * trace: the user needs what went wrong and where, not which class noticed.
   */
  private static int failed(
      Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
    PrintWriter err = command.getErr();
    if (failure instanceof FoundryException known) {
      err.println("error: " + known.describe());
    } else {
      err.println(
          "error: "
              + (failure.getMessage() == null
                  ? failure.getClass().getSimpleName()
                  : failure.getMessage()));
    }
    err.flush();
    return FAILED;
  }

  /** Reads the version from the jar manifest, falling back to "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"foundry " + (version == null ? "development" : version)};
    }
  }
}
