package org.openfoundry.cli.client;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.SourcePosition;
import org.openfoundry.problems.Suggestions;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The CLI's config file, YAML with two keys: {@code server} (a URL) and {@code api_key}. An unknown
 * key or a bad value is an error naming the file, line and column.
 */
record CliConfigFile(Path path, Optional<URI> server, Optional<String> apiKey) {
  private static final List<String> KEYS = List.of("server", "api_key");

  CliConfigFile {
    requireNonNull(path, "path is null");
    requireNonNull(server, "server is null");
    requireNonNull(apiKey, "apiKey is null");
  }

  /**
   * The file named by {@code FOUNDRY_CLI_CONFIG} (which must exist), else the default one when it
   * exists.
   */
  static Optional<CliConfigFile> find(CliEnvironment environment) {
    Optional<String> named = environment.variable(ServerSettings.CONFIG_VARIABLE);
    if (named.isPresent()) {
      return Optional.of(read(Path.of(named.get()), true));
    }
    Path standard = ServerSettings.defaultConfigFile(environment);
    return Files.isRegularFile(standard) ? Optional.of(read(standard, false)) : Optional.empty();
  }

  static CliConfigFile read(Path path, boolean named) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException missing) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "the CLI config file "
              + path
              + (named ? " named by " + ServerSettings.CONFIG_VARIABLE : "")
              + " does not exist");
    } catch (IOException unreadable) {
      throw new FoundryException(
          ErrorCode.INVALID_INPUT,
          "cannot read the CLI config file " + path + ": " + unreadable.getMessage());
    }
    return parse(path, text);
  }

  static CliConfigFile parse(Path path, String text) {
    String source = path.toString();
    Problems problems = new Problems();
    Optional<URI> server = Optional.empty();
    Optional<String> apiKey = Optional.empty();
    for (NodeTuple tuple : entries(source, text, problems)) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        problems.add(
            located(Problem.error("", "expected a plain key"), source, tuple.getKeyNode()));
        continue;
      }
      Node value = tuple.getValueNode();
      if (!(value instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
        problems.add(
            located(Problem.error(key.getValue(), "expected a value"), source, tuple.getKeyNode()));
        continue;
      }
      switch (key.getValue()) {
        case "server" -> {
          server = ServerSettings.parseUrl(scalar.getValue());
          if (server.isEmpty()) {
            problems.add(
                located(
                    Problem.error(
                        "server",
                        "expected an http or https URL such as http://localhost:8080, got \""
                            + scalar.getValue()
                            + "\""),
                    source,
                    value));
          }
        }
        case "api_key" -> apiKey = Optional.of(scalar.getValue().strip());
        default ->
            problems.add(
                located(
                    Problem.error(
                        key.getValue(),
                        "unknown key; expected server or api_key"
                            + Suggestions.didYouMean(key.getValue(), KEYS)),
                    source,
                    tuple.getKeyNode()));
      }
    }
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, "the CLI config file " + path + " is invalid");
    return new CliConfigFile(path, server, apiKey);
  }

  private static List<NodeTuple> entries(String source, String text, Problems problems) {
    Optional<Node> root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(source).build()).composeString(text);
    } catch (MarkedYamlEngineException malformed) {
      Problem problem = Problem.error("", "not valid YAML: " + malformed.getProblem());
      problems.add(
          malformed.getProblemMark().map(mark -> problem.at(at(source, mark))).orElse(problem));
      return List.of();
    } catch (YamlEngineException malformed) {
      problems.error("", "not valid YAML: " + malformed.getMessage());
      return List.of();
    }
    if (root.isEmpty()) {
      return List.of();
    }
    if (!(root.get() instanceof MappingNode mapping)) {
      problems.add(
          located(
              Problem.error("", "expected a mapping with server and api_key"), source, root.get()));
      return List.of();
    }
    return mapping.getValue();
  }

  private static Problem located(Problem problem, String source, Node node) {
    return node.getStartMark().map(mark -> problem.at(at(source, mark))).orElse(problem);
  }

  private static SourcePosition at(String source, Mark mark) {
    return new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1);
  }

  @Override
  public String toString() {
    return "CliConfigFile[path="
        + path
        + ", server="
        + server
        + ", apiKey="
        + apiKey.map(key -> "****").orElse("(none)")
        + "]";
  }
}
