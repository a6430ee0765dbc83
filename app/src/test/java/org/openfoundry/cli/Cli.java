package org.openfoundry.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.openfoundry.cli.client.CliEnvironment;
import picocli.CommandLine;

/**
 * Runs {@code foundry} commands in this JVM as a user would type them, with their own environment
 * variables, an empty home folder (no config file is read by accident) and standard input, and
 * keeps what they printed and their exit status.
 */
public final class Cli {
  private final Map<String, String> variables;
  private final Path home;

  public Cli(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
    try {
      this.home = Files.createTempDirectory("openfoundry-cli-home");
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  /** A CLI pointed at {@code server} with {@code key} through the environment. */
  public static Cli against(TestServer server, String key) {
    Map<String, String> variables = new HashMap<>();
    variables.put("FOUNDRY_SERVER", server.url.toString());
    variables.put("FOUNDRY_API_KEY", key);
    return new Cli(variables);
  }

  /** What a command printed, and its exit status. */
  public record Result(int exit, String out, String err) {
    /** Both streams, for assertion messages. */
    public String both() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  public Path home() {
    return home;
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  public Result runWithInput(String stdin, String... args) {
    CliEnvironment environment =
        new CliEnvironment(
            variables,
            home,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            false,
            Clock.systemUTC());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = Main.commandLine(environment);
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
