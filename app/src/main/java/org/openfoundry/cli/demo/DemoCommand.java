package org.openfoundry.cli.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openfoundry.cli.client.CliEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code foundry demo}: the platform, two real example models and their data, in one command. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start OpenFoundry on SQLite with the bundled example models, register them from their"
          + " manifests, import the sample datasets, run each model over its dataset with live"
          + " progress, and print what they found, the export commands, the admin key and the URL"
          + " to open. Then serve until Ctrl-C.",
      "Run it again to reuse the data folder: unchanged models and imported rows are kept, and"
          + " new runs are started."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "8080",
      description =
          "The server's port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = ".foundry/demo",
      description = "The data folder: database, keys and state (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--models-port",
      paramLabel = "N",
      description =
          "The example models' port (default: the one of the last run in this data folder, else"
              + " a free one).")
  Integer modelsPort;

  @Option(
      names = "--no-wait",
      description = "Stop after the summary instead of serving until Ctrl-C.")
  boolean noWait;

  private final CliEnvironment environment;

  DemoCommand(CliEnvironment environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    checkPort("--port", port);
    if (modelsPort != null) {
      checkPort("--models-port", modelsPort);
    }
    PrintWriter out = spec.commandLine().getOut();
    Demo demo =
        new Demo(new Demo.Options(port, data, Optional.ofNullable(modelsPort)), environment, out);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread stopper =
        new Thread(
            () -> {
              demo.close();
              stopped.countDown();
            },
            "foundry-demo-stop");
    // Ctrl-C at any step stops the servers cleanly.
    Runtime.getRuntime().addShutdownHook(stopper);
    List<DemoSummary.DemoRun> runs;
    try {
      runs = demo.run();
    } catch (RuntimeException failed) {
      stop(demo, stopper);
      throw failed;
    }
    int status = Demo.allFinished(runs) ? 0 : 1;
    if (noWait) {
      stop(demo, stopper);
      return status;
    }
    out.println();
    out.println("Serving " + demo.serverUrl() + " until Ctrl-C.");
    out.flush();
    stopped.await();
    return status;
  }

  private void checkPort(String option, int value) {
    if (value < 0 || value > 65_535) {
      throw new ParameterException(
          spec.commandLine(), option + ": expected a port from 0 to 65535, got " + value);
    }
  }

  private static void stop(Demo demo, Thread stopper) {
    try {
      Runtime.getRuntime().removeShutdownHook(stopper);
    } catch (IllegalStateException alreadyStopping) {
      // The JVM is shutting down and runs the hook itself.
      return;
    }
    demo.close();
  }
}
