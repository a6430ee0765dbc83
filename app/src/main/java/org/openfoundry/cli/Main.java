package org.openfoundry.cli;

import org.openfoundry.cli.chat.ChatCommand;
import org.openfoundry.cli.chat.CompareCommand;
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
      ChatCommand.class,
      CompareCommand.class,
      ManifestCommand.class,
      ResponseCommand.class,
      ServeCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
