package org.openfoundry.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.SourcePosition;
import org.snakeyaml.engine.v2.api.YamlUnicodeReader;
import tools.jackson.databind.JsonNode;

/**
 * Loads a {@code model.yaml} (or the same manifest as JSON) safely from untrusted text, and reports
 * every problem at once, each at its {@code file:line:column} with its key path, what was found and
 * what was expected. Unknown keys are warnings, with the closest known key suggested.
 */
public final class ManifestLoader {
  /** Larger files are refused before they are read: four bytes per character at most. */
  private static final long MAX_FILE_BYTES = 4L * YamlTree.MAX_CODE_POINTS;

  private final AdapterCheck adapters;

  /** A loader that leaves the adapter options unchecked. */
  public ManifestLoader() {
    this(AdapterCheck.none());
  }

  /** A loader that checks the adapter and its options with {@code adapters}. */
  public ManifestLoader(AdapterCheck adapters) {
    this.adapters = Objects.requireNonNull(adapters, "adapters is null");
  }

  /**
   * Loads the manifest in {@code file}, named in problems by the path as given.
   *
   * @throws FoundryException {@code INVALID_MANIFEST} with every problem, warnings included, when
   *     the file cannot be read or any problem is an error
   */
  public LoadedManifest load(Path file) {
    String source = file.toString();
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new FoundryException(
            ErrorCode.INVALID_MANIFEST,
            source + " is not a valid manifest",
            List.of(
                Problem.error(
                    "",
                    "the file is larger than "
                        + MAX_FILE_BYTES / (1024 * 1024)
                        + " MiB; a manifest is far smaller")));
      }
      try (InputStream input = Files.newInputStream(file)) {
        return load(source, new YamlUnicodeReader(input));
      }
    } catch (IOException unreadable) {
      throw new FoundryException(
          ErrorCode.INVALID_MANIFEST,
          source + " cannot be read",
          List.of(Problem.error("", "cannot read the file: " + unreadable.getMessage())),
          unreadable);
    }
  }

  /** Loads the manifest in {@code text}, named {@code source} in problems. */
  public LoadedManifest load(String source, String text) {
    return load(source, new StringReader(text));
  }

  /** Loads the manifest read from {@code text}, named {@code source} in problems. */
  public LoadedManifest load(String source, Reader text) {
    YamlTree.Parsed parsed = YamlTree.parse(source, text);
    Problems problems = new Problems();
    parsed.problems().forEach(problems::add);
    Optional<JsonNode> root = parsed.root().filter(node -> !node.isNull());
    if (root.isEmpty()) {
      problems.add(
          Problem.error(
                  "",
                  "the file is empty; a manifest is a mapping of keys such as name and"
                      + " inference_endpoint")
              .at(new SourcePosition(source, 1, 1)));
      throw ManifestReader.invalid(source, problems.all());
    }
    Optional<Manifest> manifest = new ManifestReader(problems).read(root.get());
    manifest.ifPresent(
        read ->
            adapters
                .check(
                    read.endpoint().adapter(),
                    read.inferenceEndpoint(),
                    read.endpoint().adapterOptions())
                .forEach(problems::add));
    List<Problem> located = new ArrayList<>();
    for (Problem problem : problems.all()) {
      located.add(parsed.positions().locate(problem));
    }
    located.sort(BY_POSITION);
    if (problems.hasErrors() || manifest.isEmpty()) {
      throw ManifestReader.invalid(source, located);
    }
    return new LoadedManifest(manifest.get(), located);
  }

  /** Problems in the order of the text, those without a position last. */
  private static final Comparator<Problem> BY_POSITION =
      Comparator.comparing(
              (Problem problem) ->
                  problem.position().map(SourcePosition::line).orElse(Integer.MAX_VALUE))
          .thenComparing(problem -> problem.position().map(SourcePosition::column).orElse(0));
}
