package org.openfoundry.cli.models;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openfoundry.manifest.Manifest;
import org.openfoundry.ontology.AssetType;
import org.openfoundry.ontology.Feature;
import org.openfoundry.params.Parameter;
import tools.jackson.databind.JsonNode;

/**
 * A manifest for people, one labelled line per fact: endpoint, rate, asset types, features by kind
 * and inference parameters. {@code manifest check} and {@code models show} print it.
 */
public final class ManifestSummary {
  private ManifestSummary() {}

  /** Prints the endpoint's host (not its path, which may carry tokens) and the rest. */
  public static void print(Manifest manifest, PrintWriter out) {
    line(out, "name", manifest.name());
    printDetails(manifest, out);
  }

  /** Everything {@link #print} shows but the name. */
  public static void printDetails(Manifest manifest, PrintWriter out) {
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
    line(out, "asset types", assetTypes(manifest));
    line(out, "features", features(manifest));
    line(out, "parameters", parameters(manifest));
  }

  /** One line: two spaces, the label and its colon in 13 columns, the value. */
  public static void line(PrintWriter out, String label, String value) {
    out.printf("  %-12s %s%n", label + ":", value);
  }

  static String assetTypes(Manifest manifest) {
    return manifest.allowedAssetTypes().isEmpty()
        ? "any"
        : manifest.allowedAssetTypes().stream()
            .map(AssetType::word)
            .collect(Collectors.joining(", "));
  }

  static String features(Manifest manifest) {
    if (manifest.ontology().isEmpty()) {
      return "none (the model answers without a predefined set of classes)";
    }
    Map<String, List<String>> byKind = new LinkedHashMap<>();
    for (Feature feature : manifest.ontology().features()) {
      byKind.computeIfAbsent(feature.kind().word(), kind -> new ArrayList<>()).add(feature.name());
    }
    return byKind.entrySet().stream()
        .map(entry -> entry.getKey() + ": " + String.join(", ", entry.getValue()))
        .collect(Collectors.joining("; "));
  }

  static String parameters(Manifest manifest) {
    if (!manifest.parameters().isDeclared()) {
      return "any (no schema)";
    }
    List<Parameter> parameters = manifest.parameters().parameters();
    if (parameters.isEmpty()) {
      return "none declared";
    }
    return parameters.stream().map(ManifestSummary::parameter).collect(Collectors.joining(", "));
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
}
