package org.openfoundry.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openfoundry.cli.models.ManifestSummary;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code foundry manifest}: work with {@code model.yaml} manifests offline. */
@Command(
    name = "manifest",
    mixinStandardHelpOptions = true,
    description = "Work with model.yaml manifests.",
    subcommands = {ManifestCommand.Check.class})
final class ManifestCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code foundry manifest check FILE...}: exit 0 when every file is valid, 1 otherwise. */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Check model.yaml manifests: print a summary of each valid one, and every problem of each"
            + " invalid one as file:line:column path: message.",
        "Exits 0 when every file is valid and 1 when any is not."
      })
  static final class Check implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The manifests to check.")
    List<Path> files = new ArrayList<>();

    @Override
    public Integer call() {
      ManifestLoader loader = new ManifestLoader();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      boolean allValid = true;
      for (Path file : files) {
        try {
          summarize(file, loader.load(file), out);
        } catch (FoundryException invalid) {
          allValid = false;
          for (Problem problem : invalid.problems()) {
            err.println(located(file, problem));
          }
          err.println(invalid.getMessage());
        }
      }
      out.flush();
      err.flush();
      return allValid ? 0 : 1;
    }

    private static void summarize(Path file, LoadedManifest loaded, PrintWriter out) {
      out.println(file + ": valid");
      ManifestSummary.print(loaded.manifest(), out);
      if (loaded.warnings().isEmpty()) {
        ManifestSummary.line(out, "warnings", "none");
        return;
      }
      ManifestSummary.line(out, "warnings", String.valueOf(loaded.warnings().size()));
      for (Problem warning : loaded.warnings()) {
        out.println("    " + located(file, warning));
      }
    }

    /** A problem with its file in front when it has no position of its own. */
    private static String located(Path file, Problem problem) {
      return problem.position().isPresent() ? problem.format() : file + ": " + problem.format();
    }
  }
}
