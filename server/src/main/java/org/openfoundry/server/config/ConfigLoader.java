package org.openfoundry.server.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.openfoundry.models.SecretValue;
import org.openfoundry.outbound.Cidr;
import org.openfoundry.problems.ErrorCode;
import org.openfoundry.problems.FoundryException;
import org.openfoundry.problems.Problem;
import org.openfoundry.problems.Problems;
import org.openfoundry.problems.SourcePosition;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the configuration from its defaults, a file ({@code .properties}, or YAML with nested or
 * dotted keys), {@code FOUNDRY_*} environment variables and command-line overrides, later sources
 * winning. Every problem is reported at once, each naming the key and where it was set.
 */
public final class ConfigLoader {
  /**
   * Environment variables that start with FOUNDRY_ but are not server settings: the launcher's JVM
   * options, the configuration file's path, the log level the logging configuration reads, and the
   * CLI client's server, key and config file. One shell can hold them all while it runs a server.
   */
  public static final Set<String> NOT_CONFIGURATION =
      Set.of(
          "FOUNDRY_JAVA_OPTS",
          "FOUNDRY_CONFIG",
          "FOUNDRY_LOG_LEVEL",
          "FOUNDRY_SERVER",
          "FOUNDRY_API_KEY",
          "FOUNDRY_CLI_CONFIG");

  private record Raw(String text, String origin, Optional<SourcePosition> position) {}

  private ConfigLoader() {}

  /**
   * Loads and validates the configuration; throws {@link FoundryException} with code {@code
   * INVALID_INPUT} listing every unknown key and bad value.
   */
  public static LoadedConfig load(
      Optional<Path> file, Map<String, String> environment, Map<ConfigKey, String> overrides) {
    requireNonNull(file, "file is null");
    Problems problems = new Problems();
    Map<ConfigKey, Raw> raw = new EnumMap<>(ConfigKey.class);
    for (ConfigKey key : ConfigKey.values()) {
      raw.put(key, new Raw(key.defaultValue(), "default", Optional.empty()));
    }
    file.ifPresent(path -> readFile(path, raw, problems));
    readEnvironment(environment, raw, problems);
    overrides.forEach((key, text) -> raw.put(key, new Raw(text, "command line", Optional.empty())));
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, "the configuration is invalid");
    ServerConfig config = new Builder(raw, problems).build();
    problems.throwIfErrors(ErrorCode.INVALID_INPUT, "the configuration is invalid");
    return new LoadedConfig(config, describe(raw));
  }

  private static void readFile(Path path, Map<ConfigKey, Raw> raw, Problems problems) {
    String source = path.getFileName().toString();
    Map<String, Raw> entries = new TreeMap<>();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      if (source.endsWith(".properties")) {
        Properties properties = new Properties();
        properties.load(reader);
        properties.forEach(
            (key, value) ->
                entries.put(
                    key.toString(), new Raw(value.toString().trim(), source, Optional.empty())));
      } else {
        readYaml(source, reader, entries, problems);
      }
    } catch (IOException unreadable) {
      problems.error("", "cannot read the configuration file " + source + ": " + unreadable);
      return;
    }
    entries.forEach(
        (key, value) ->
            ConfigKey.byKey(key)
                .ifPresentOrElse(
                    known -> raw.put(known, value),
                    () ->
                        problems.add(
                            positioned(
                                Problem.error(
                                    key,
                                    "unknown configuration key in "
                                        + source
                                        + "; expected one of "
                                        + knownKeys()),
                                value.position()))));
  }

  private static void readYaml(
      String source, Reader reader, Map<String, Raw> entries, Problems problems) {
    LoadSettings settings = LoadSettings.builder().setLabel(source).build();
    Optional<Node> root;
    try {
      root = new Compose(settings).composeReader(reader);
    } catch (MarkedYamlEngineException malformed) {
      Problem problem = Problem.error("", "not valid YAML: " + malformed.getProblem());
      problems.add(
          positioned(
              problem,
              malformed
                  .getProblemMark()
                  .map(
                      mark ->
                          new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1))));
      return;
    } catch (YamlEngineException malformed) {
      problems.error("", "not valid YAML: " + malformed.getMessage());
      return;
    }
    if (root.isEmpty()) {
      return;
    }
    if (!(root.get() instanceof MappingNode mapping)) {
      problems.add(
          positioned(
              Problem.error("", "expected a mapping of configuration keys"),
              position(source, root.get())));
      return;
    }
    flatten(source, "", mapping, entries, problems);
  }

  private static void flatten(
      String source,
      String prefix,
      MappingNode mapping,
      Map<String, Raw> entries,
      Problems problems) {
    for (NodeTuple tuple : mapping.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        problems.add(
            positioned(
                Problem.error(prefix, "expected a plain key"),
                position(source, tuple.getKeyNode())));
        continue;
      }
      String key = prefix.isEmpty() ? keyNode.getValue() : prefix + "." + keyNode.getValue();
      Node value = tuple.getValueNode();
      Optional<SourcePosition> where = position(source, value);
      switch (value) {
        case MappingNode nested -> flatten(source, key, nested, entries, problems);
        case ScalarNode scalar ->
            entries.put(key, new Raw(scalar.getValue(), at(source, where), where));
        case SequenceNode sequence -> {
          List<String> items = new ArrayList<>();
          for (Node item : sequence.getValue()) {
            if (item instanceof ScalarNode scalar) {
              items.add(scalar.getValue());
            } else {
              problems.add(
                  positioned(Problem.error(key, "expected a list of plain values"), where));
            }
          }
          entries.put(key, new Raw(String.join(",", items), at(source, where), where));
        }
        default ->
            problems.add(positioned(Problem.error(key, "expected a value or a mapping"), where));
      }
    }
  }

  private static void readEnvironment(
      Map<String, String> environment, Map<ConfigKey, Raw> raw, Problems problems) {
    new TreeMap<>(environment)
        .forEach(
            (name, value) -> {
              if (!name.startsWith("FOUNDRY_") || NOT_CONFIGURATION.contains(name)) {
                return;
              }
              ConfigKey.byEnvironmentVariable(name)
                  .ifPresentOrElse(
                      key -> raw.put(key, new Raw(value.trim(), name, Optional.empty())),
                      () ->
                          problems.error(
                              name,
                              "unknown environment variable; expected one of "
                                  + Arrays.stream(ConfigKey.values())
                                      .map(ConfigKey::environmentVariable)
                                      .collect(Collectors.joining(", "))));
            });
  }

  private static List<String> describe(Map<ConfigKey, Raw> raw) {
    List<String> lines = new ArrayList<>();
    raw.forEach(
        (key, value) -> {
          String shown;
          if (value.text().isEmpty()) {
            shown = "(not set)";
          } else if (key.secret()) {
            shown = "****";
          } else {
            shown = value.text();
          }
          lines.add(key.key() + " = " + shown + "  [" + value.origin() + "]");
        });
    return lines;
  }

  private static String knownKeys() {
    return Arrays.stream(ConfigKey.values()).map(ConfigKey::key).collect(Collectors.joining(", "));
  }

  private static Optional<SourcePosition> position(String source, Node node) {
    return node.getStartMark()
        .map(mark -> new SourcePosition(source, mark.getLine() + 1, mark.getColumn() + 1));
  }

  private static String at(String source, Optional<SourcePosition> where) {
    return where.map(SourcePosition::toString).orElse(source);
  }

  private static Problem positioned(Problem problem, Optional<SourcePosition> where) {
    return where.map(problem::at).orElse(problem);
  }

  /** Turns the raw texts into the typed records, adding a problem for each bad value. */
  private static final class Builder {
    private final Map<ConfigKey, Raw> raw;
    private final Problems problems;

    Builder(Map<ConfigKey, Raw> raw, Problems problems) {
      this.raw = raw;
      this.problems = problems;
    }

    ServerConfig build() {
      ServerRole role =
          parse(ConfigKey.SERVER_ROLE, text -> ServerRole.parse(text), "api, worker or all")
              .orElse(ServerRole.ALL);
      Path dataDir = Path.of(text(ConfigKey.STORAGE_DATA_DIR).orElse("data"));
      ServerConfig.Http http =
          new ServerConfig.Http(
              text(ConfigKey.HTTP_HOST).orElse("0.0.0.0"),
              parse(ConfigKey.HTTP_PORT, Builder::port, "a port number from 0 to 65535").orElse(0),
              parse(ConfigKey.HTTP_PUBLIC_URL, Builder::httpUrl, "an http or https URL"),
              size(ConfigKey.HTTP_MAX_BODY_SIZE),
              size(ConfigKey.HTTP_MAX_UPLOAD_SIZE),
              size(ConfigKey.HTTP_MAX_IMPORT_SIZE),
              (int) Math.min(Integer.MAX_VALUE, size(ConfigKey.HTTP_MAX_LINE_SIZE)),
              duration(ConfigKey.HTTP_EVENTS_INTERVAL));
      ServerConfig.Storage storage =
          new ServerConfig.Storage(
              dataDir,
              parse(
                      ConfigKey.STORAGE_DB_URL,
                      Builder::jdbcUrl,
                      "a jdbc:sqlite: or jdbc:postgresql: URL")
                  .orElse("jdbc:sqlite:" + dataDir.resolve("foundry.db")),
              text(ConfigKey.STORAGE_DB_USER),
              secret(ConfigKey.STORAGE_DB_PASSWORD),
              secret(ConfigKey.STORAGE_MASTER_KEY));
      Optional<SecretValue> adminKey =
          parse(
              ConfigKey.AUTH_ADMIN_KEY,
              text -> text.length() >= 32 ? Optional.of(new SecretValue(text)) : Optional.empty(),
              "a key of at least 32 characters");
      List<Cidr> allowed = networks();
      ServerConfig.Files files =
          new ServerConfig.Files(
              secret(ConfigKey.FILES_SIGNING_KEY),
              parse(ConfigKey.FILES_URL_TTL, Sizes::duration, "a positive duration such as 15m")
                  .orElse(Duration.ofMinutes(15)));
      return new ServerConfig(
          role,
          http,
          storage,
          new ServerConfig.Auth(adminKey),
          new ServerConfig.Outbound(allowed),
          files,
          dispatch());
    }

    /** The lease must outlast two polls: a worker renews its leases when half of one is left. */
    private ServerConfig.Dispatch dispatch() {
      Duration poll = duration(ConfigKey.DISPATCH_POLL_INTERVAL);
      Duration lease = duration(ConfigKey.DISPATCH_LEASE_DURATION);
      if (poll.compareTo(lease.dividedBy(2)) < 0) {
        return new ServerConfig.Dispatch(poll, lease);
      }
      Raw where = raw.get(ConfigKey.DISPATCH_LEASE_DURATION);
      problems.add(
          positioned(
              Problem.error(
                  ConfigKey.DISPATCH_LEASE_DURATION.key(),
                  "expected more than twice dispatch.poll_interval ("
                      + raw.get(ConfigKey.DISPATCH_POLL_INTERVAL).text()
                      + "), got \""
                      + where.text()
                      + "\" ["
                      + where.origin()
                      + "]: leases are renewed when half of one is left"),
              where.position()));
      return new ServerConfig.Dispatch(
          Sizes.duration(ConfigKey.DISPATCH_POLL_INTERVAL.defaultValue()).orElseThrow(),
          Sizes.duration(ConfigKey.DISPATCH_LEASE_DURATION.defaultValue()).orElseThrow());
    }

    private Optional<String> text(ConfigKey key) {
      String text = raw.get(key).text();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private Optional<SecretValue> secret(ConfigKey key) {
      return text(key).map(SecretValue::new);
    }

    private <T> Optional<T> parse(
        ConfigKey key, Function<String, Optional<T>> parser, String expected) {
      Optional<String> text = text(key);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      Optional<T> value = parser.apply(text.get());
      if (value.isEmpty()) {
        Raw where = raw.get(key);
        String shown = key.secret() ? "a value that is too short" : "\"" + text.get() + "\"";
        problems.add(
            positioned(
                Problem.error(
                    key.key(),
                    "expected " + expected + ", got " + shown + " [" + where.origin() + "]"),
                where.position()));
      }
      return value;
    }

    private Duration duration(ConfigKey key) {
      return parse(key, Sizes::duration, "a positive duration such as 500ms, 30s or 15m")
          .orElseGet(() -> Sizes.duration(key.defaultValue()).orElseThrow());
    }

    private long size(ConfigKey key) {
      return parse(key, Sizes::bytes, "a positive size such as 10MiB or 1048576")
          .orElseGet(() -> Sizes.bytes(key.defaultValue()).orElseThrow());
    }

    private List<Cidr> networks() {
      List<Cidr> networks = new ArrayList<>();
      Optional<String> text = text(ConfigKey.OUTBOUND_ALLOWED_NETWORKS);
      if (text.isEmpty()) {
        return networks;
      }
      Raw where = raw.get(ConfigKey.OUTBOUND_ALLOWED_NETWORKS);
      for (String each : text.get().split(",")) {
        if (each.isBlank()) {
          continue;
        }
        try {
          networks.add(Cidr.parse(each));
        } catch (FoundryException invalid) {
          problems.add(
              positioned(
                  Problem.error(
                      ConfigKey.OUTBOUND_ALLOWED_NETWORKS.key(),
                      "expected CIDR blocks such as 127.0.0.0/8, got \""
                          + each.trim()
                          + "\" ["
                          + where.origin()
                          + "]"),
                  where.position()));
        }
      }
      return networks;
    }

    private static Optional<Integer> port(String text) {
      try {
        int port = Integer.parseInt(text);
        return port >= 0 && port <= 65_535 ? Optional.of(port) : Optional.empty();
      } catch (NumberFormatException notNumber) {
        return Optional.empty();
      }
    }

    private static Optional<URI> httpUrl(String text) {
      try {
        URI uri = new URI(text);
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
      } catch (URISyntaxException malformed) {
        return Optional.empty();
      }
    }

    private static Optional<String> jdbcUrl(String text) {
      boolean known = text.startsWith("jdbc:sqlite:") || text.startsWith("jdbc:postgresql:");
      return known ? Optional.of(text) : Optional.empty();
    }
  }
}
