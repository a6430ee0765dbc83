package org.openfoundry.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code foundry response}: work with model responses offline. */
@Command(
    name = "response",
    mixinStandardHelpOptions = true,
    description = "Work with model responses offline.",
    subcommands = {ResponseCheckCommand.class})
final class ResponseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
