package org.openfoundry.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.openfoundry.manifest.LoadedManifest;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.manifest.ManifestLoader;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Feature;
import org.openfoundry.params.Parameter;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

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
      Manifest manifest = loaded.manifest();
      out.println(file + ": valid");
      line(out, "name", manifest.name());
      line(
          out,
          "endpoint",
          manifest.inferenceEndpoint().getHost()
              + " ("
              + manifest.inferenceEndpoint().getScheme()
              + ", adapter "
              + manifest.endpoint().adapter()
              + ")");
      line(out, "rate", manifest.rateLimit().map(rate -> rate.describe()).orElse("no limit"));
      line(
          out,
          "asset types",
          manifest.allowedAssetTypes().isEmpty()
              ? "any"
              : manifest.allowedAssetTypes().stream()
                  .map(AssetType::word)
                  .collect(Collectors.joining(", ")));
      line(out, "features", features(manifest));
      line(out, "parameters", parameters(manifest));
      if (loaded.warnings().isEmpty()) {
        line(out, "warnings", "none");
        return;
      }
      line(out, "warnings", String.valueOf(loaded.warnings().size()));
      for (Problem warning : loaded.warnings()) {
        out.println("    " + located(file, warning));
      }
    }

    private static String features(Manifest manifest) {
      if (manifest.ontology().isEmpty()) {
        return "none (the model answers without a predefined set of classes)";
      }
      Map<String, List<String>> byKind = new LinkedHashMap<>();
      for (Feature feature : manifest.ontology().features()) {
        byKind
            .computeIfAbsent(feature.kind().word(), kind -> new ArrayList<>())
            .add(feature.name());
      }
      return byKind.entrySet().stream()
          .map(entry -> entry.getKey() + ": " + String.join(", ", entry.getValue()))
          .collect(Collectors.joining("; "));
    }

    private static String parameters(Manifest manifest) {
      if (!manifest.parameters().isDeclared()) {
        return "any (no schema)";
      }
      List<Parameter> parameters = manifest.parameters().parameters();
      if (parameters.isEmpty()) {
        return "none declared";
      }
      return parameters.stream().map(Check::parameter).collect(Collectors.joining(", "));
    }

    private static String parameter(Parameter parameter) {
      List<String> facts = new ArrayList<>();
      if (!parameter.types().isEmpty()) {
        facts.add(String.join(" or ", parameter.types()));
      }
      if (parameter.required()) {
        facts.add("required");
      }
      parameter
          .defaultValue()
          .map(JsonNode::toString)
          .ifPresent(value -> facts.add("default " + value));
      return facts.isEmpty()
          ? parameter.name()
          : parameter.name() + " (" + String.join(", ", facts) + ")";
    }

    private static void line(PrintWriter out, String label, String value) {
      out.printf("  %-12s %s%n", label + ":", value);
    }

    /** A problem with its file in front when it has no position of its own. */
    private static String located(Path file, Problem problem) {
      return problem.position().isPresent() ? problem.format() : file + ": " + problem.format();
    }
  }
}
